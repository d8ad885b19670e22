#include "figure_heading.h"

#include <cmath>

#include "fonts.h"
#include "text.h"
#include "theme.h"

namespace initscope::render {

float FigureHeading::subtitle_height(float font_px) const {
  return std::round(1.25f * font_px * static_cast<float>(subtitle.size()));
}

FigureHeading figure_heading(const std::string& what, const std::string& heading, float width,
                             float font_px) {
  const Fonts fo = fonts();
  const float tf = fo.title->FontSize;
  const std::string whole = what + " \xE2\x80\x94 " + heading;
  if (text_size(fo.title, tf, whole).x <= width) return {whole, {}};
  // Too long for one line (a preset's title at a projector's text size).
  return {fit_text(fo.title, tf, what, width), wrap_text(fo.regular, font_px, heading, width, 2)};
}

void draw_figure_heading(ImDrawList* dl, const FigureHeading& h, ImVec2 top, float subtitle_bottom,
                         const FigureOptions& opt) {
  const Fonts fo = fonts();
  const float f = font_pixels_now();
  const Palette& pal = palette(opt.theme);
  draw_text(dl, fo.title, fo.title->FontSize, ImVec2(top.x, top.y + 0.25f * f), pal.text, h.title);
  float y = subtitle_bottom - h.subtitle_height(f);
  for (const std::string& line : h.subtitle) {
    draw_text(dl, fo.regular, f, ImVec2(top.x, y), pal.text, line);
    y += std::round(1.25f * f);
  }
}

}  // namespace initscope::render
