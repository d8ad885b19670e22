#include "column_title.h"

#include <cmath>

#include "color_maps.h"
#include "text.h"
#include "theme.h"

namespace initscope::render {

float phase_badge(ImDrawList* dl, const ImFont* font, float f, ImVec2 p, const FixedPoint& fp,
                  Theme theme, bool without_chi) {
  const std::string label = phase_text(fp, without_chi);
  if (label.empty()) return 0;
  const ImU32 bg = chi1_color(chi1_position(fp.chi1), theme);
  // Near χ₁ = 1 the map's centre is the theme's background tone: the outline keeps the shape.
  return draw_badge(dl, font, f, p, label, bg, contrast_text(bg), palette(theme).axis);
}

void draw_column_title(ImDrawList* dl, const Fonts& fo, float f, ImVec2 p, float width,
                       const Snapshot& snap, size_t c, Theme theme, const std::string* subtitle) {
  const Palette& pal = palette(theme);
  const float sw = std::round(0.75f * f), gap = 0.5f * f;
  dl->AddRectFilled(ImVec2(p.x, p.y + 0.2f * f), ImVec2(p.x + sw, p.y + 0.2f * f + sw),
                    column_color(static_cast<int>(c), theme), 0.15f * f);
  const std::string& name = snap.columns[c].init;
  const float name_x = p.x + sw + 0.4f * f, room = p.x + width - name_x;
  const float name_w = text_size(fo.bold, f, name).x;
  const FixedPoint* fp =
      c < snap.theory.size() && snap.theory[c].caveat.empty() ? &snap.theory[c].fixed : nullptr;
  if (subtitle) {
    draw_text(dl, fo.bold, f, ImVec2(name_x, p.y), pal.text, fit_text(fo.bold, f, name, room));
    float x = p.x;
    const float y2 = p.y + 1.25f * f;
    if (fp) {
      const float w = phase_badge(nullptr, fo.regular, f, ImVec2(), *fp, theme);
      if (w > 0 && w <= width) {
        phase_badge(dl, fo.regular, f, ImVec2(x, y2 + std::round(0.05f * f)), *fp, theme);
        x += w + gap;
      }
    }
    draw_text(dl, fo.regular, 0.9f * f, ImVec2(x, y2), pal.text_dim,
              fit_text(fo.regular, 0.9f * f, *subtitle, p.x + width - x));
    return;
  }
  float badge_w = 0;
  for (bool short_badge : {false, true}) {
    const float w = fp ? phase_badge(nullptr, fo.regular, f, ImVec2(), *fp, theme, short_badge) : 0;
    if (w > 0 && name_w + gap + w <= room) {
      badge_w = w;
      phase_badge(dl, fo.regular, f, ImVec2(p.x + width - w, p.y + std::round(0.08f * f)), *fp,
                  theme, short_badge);
      break;
    }
  }
  draw_text(dl, fo.bold, f, ImVec2(name_x, p.y), pal.text,
            fit_text(fo.bold, f, name, room - (badge_w > 0 ? badge_w + gap : 0)));
}

}  // namespace initscope::render
