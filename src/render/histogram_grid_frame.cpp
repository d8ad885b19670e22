// Around the histogram grid's cells (histogram_grid_parts.h): the title line (the experiment's
// heading, the quantity and the update), the legend of the flags shown, the column headers (spec,
// phase, formula; compact: the spec alone at a size that fits) and the value axis under the last
// row.
#include <algorithm>
#include <cmath>
#include <string>

#include "column_title.h"
#include "core/experiment_heading.h"
#include "histogram_grid_parts.h"
#include "text.h"
#include "ticks.h"

namespace initscope::render {
namespace {

// The compact header's font size: the size at which every column's spec fits on its line
// (at most f, at least 0.7 f — below that the spec is cut with "…", the tooltip has it whole).
float compact_header_size(const Fonts& fo, const GridMetrics& m, const GridGeometry& g,
                          const Snapshot& snap) {
  const float f = m.f, room = g.col_w - std::round(0.75f * f) - 0.4f * f;
  float scale = 1.0f;
  for (int c = 0; c < g.columns; ++c) {
    const float w = text_size(fo.bold, f, snap.columns[c].init).x;
    if (w > room) scale = std::min(scale, room / w);
  }
  return std::floor(std::max(0.7f, scale) * f);
}

}  // namespace

float grid_flag_badge(ImDrawList* dl, const ImFont* font, float f, ImVec2 p, Flag flag,
                      const char* label, Theme theme, bool draw) {
  return draw_badge(draw ? dl : nullptr, font, f, p, label, flag_color(flag, theme),
                    IM_COL32(255, 255, 255, 255));
}

float draw_grid_title(ImDrawList* dl, const Fonts& fo, const GridMetrics& m, ImVec2 pos,
                      float width, const Snapshot& snap, const FigureOptions& opt,
                      const Palette& pal) {
  const float f = m.f, tf = fo.title->FontSize;
  const Experiment& e = snap.experiment;
  std::string right = quantity_title(opt.quantity);
  if (opt.log_counts) right += ", log counts";
  // A training probe counts mini-batch steps, the explore simulation updates.
  right += (snap.experiment.training ? " \xC2\xB7 step " : " \xC2\xB7 update ") +
           std::to_string(snap.update_index);
  const float rw = text_size(fo.regular, f, right).x;
  const float y = pos.y + m.title_top;
  // A preset's title only while the experiment is the preset's (core/experiment_heading.h).
  const ExperimentHeading heading = experiment_heading(e);
  const std::string& title = heading.title;
  // A title cut beside the quantity (a preset's at a projector's text size) gets the whole line
  // when it then fits: the quantity goes to the right end of the legend's line.
  const float title_w = text_size(fo.title, tf, title).x;
  const bool right_below = opt.legend && title_w > width - rw - 2 * f && title_w <= width;
  float legend_w = width;
  if (right_below) {
    draw_text(dl, fo.regular, f,
              ImVec2(pos.x + width - rw, pos.y + m.title_h + std::round(0.2f * f)), pal.text_dim,
              right);
    legend_w = width - rw - f;
  } else {
    draw_text(dl, fo.regular, f, ImVec2(pos.x + width - rw, y + (tf - f)), pal.text_dim, right);
  }
  const float avail = right_below ? width : width - rw - 2 * f;
  const std::string t = fit_text(fo.title, tf, title, avail);
  draw_text(dl, fo.title, tf, ImVec2(pos.x, y), pal.text, t);
  if ((!heading.as_given || !e.title.empty()) && t == title) {
    const float tw = text_size(fo.title, tf, t).x + f;
    // The summary only when it fits whole: a cut summary reads as a glitch. A description
    // names the network already: beside it, the rest and where it came from.
    const std::string sum = heading.as_given ? e.summary()
                                             : "batch " + std::to_string(e.batch) + ", seed " +
                                                   std::to_string(e.seed) + " \xC2\xB7 " +
                                                   heading.narrative_label();
    if (text_size(fo.regular, f, sum).x <= avail - tw)
      draw_text(dl, fo.regular, f, ImVec2(pos.x + tw, y + (tf - f)), pal.text_dim, sum);
  }
  return legend_w;
}

// The legend names the flags present in the shown rows (a legend of what is on screen); with
// none, it says that every layer looks healthy.
void draw_grid_legend(ImDrawList* dl, const Fonts& fo, const GridMetrics& m, ImVec2 p, float width,
                      const Palette& pal, Theme theme, unsigned present) {
  const float f = m.f, s = 0.85f * f;
  float x = p.x;
  const float y = p.y + std::round(0.2f * f);
  if (!present) {
    draw_text(
        dl, fo.regular, s, ImVec2(x, y + 1), pal.text_dim,
        fit_text(fo.regular, s,
                 "No flags: no layer collapsed, saturated, dead, exploding or non-finite", width));
    return;
  }
  for (const FlagInfo& info : flag_infos()) {
    if (!(present & info.flag)) continue;
    const float bw =
        grid_flag_badge(dl, fo.regular, f, ImVec2(x, y), info.flag, info.label, theme, false);
    const float mw = text_size(fo.regular, s, info.meaning).x;
    if (x + bw > p.x + width) break;
    grid_flag_badge(dl, fo.regular, f, ImVec2(x, y), info.flag, info.label, theme);
    draw_text(dl, fo.regular, s, ImVec2(x + bw + 0.4f * f, y + 1), pal.text_dim,
              fit_text(fo.regular, s, info.meaning, p.x + width - (x + bw + 0.4f * f)));
    x += bw + 0.4f * f + mw + 1.2f * f;
  }
}

void draw_grid_header(ImDrawList* dl, const Fonts& fo, const GridMetrics& m, const GridGeometry& g,
                      float y, const Snapshot& snap, const FigureOptions& opt, const Palette& pal) {
  const float f = m.f;
  if (m.compact) {
    const float hf = compact_header_size(fo, m, g, snap), s = 0.7f * f;
    draw_text(dl, fo.regular, s, ImVec2(g.x0, y + (hf - s)), pal.text_dim,
              fit_text(fo.regular, s, "layer", g.col_x0 - g.x0 - 0.2f * f));
    for (int c = 0; c < g.columns; ++c) {
      const float x = std::round(g.col_x0 + c * (g.col_w + m.col_gap));
      draw_column_title(dl, fo, hf, ImVec2(x, y + (f - hf)), g.col_w, snap, static_cast<size_t>(c),
                        opt.theme, nullptr);
    }
    return;
  }
  draw_text(dl, fo.regular, f, ImVec2(g.x0, y + 1.25f * f), pal.text_dim,
            fit_text(fo.regular, f, "layer", g.col_x0 - g.x0));
  for (int c = 0; c < g.columns; ++c) {
    const float x = std::round(g.col_x0 + c * (g.col_w + m.col_gap));
    draw_column_title(dl, fo, f, ImVec2(x, y), g.col_w, snap, static_cast<size_t>(c), opt.theme,
                      &snap.columns[c].description);
  }
}

void draw_grid_axis(ImDrawList* dl, const Fonts& fo, const GridMetrics& m, const GridGeometry& g,
                    float y, const std::vector<std::vector<BarLayout>>& bars, const Palette& pal) {
  const float f = m.f, s = 0.9f * f;
  for (int c = 0; c < g.columns; ++c) {
    const CellRect r = grid_cell_rect(g, m, g.layers.size() - 1, c);
    const float x0 = r.x0, x1 = r.x1;
    if (!grid_uniform_range(bars[c])) {
      const std::string t = fit_text(fo.regular, s, "x range per cell", x1 - x0);
      draw_text(dl, fo.regular, s, ImVec2(x0, y + 0.3f * f), pal.text_dim, t);
      continue;
    }
    // Ticks at nice steps (about one per 5 font sizes); labels where they do not collide.
    const BarLayout& h = bars[c].back();
    const float ty = y + 0.35f * f;
    const int want = std::max(2, static_cast<int>((x1 - x0) / (5.0f * f)));
    float last_right = x0 - 1e9f;
    for (double tick : nice_ticks(h.lo, h.hi, want)) {
      const float x = std::round(h.x_of(tick, x0, x1)) + 0.5f;
      dl->AddLine(ImVec2(x, y), ImVec2(x, y + 0.3f * f), pal.axis);
      const std::string label = format_number(tick);
      const float w = text_size(fo.regular, s, label).x;
      const float tx = std::clamp(x - w / 2, x0, x1 - w);
      if (tx < last_right + 0.6f * f) continue;
      draw_text(dl, fo.regular, s, ImVec2(tx, ty), pal.text_dim, label);
      last_right = tx + w;
    }
  }
}

}  // namespace initscope::render
