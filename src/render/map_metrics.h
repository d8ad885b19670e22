#pragma once
// The frame of a figure that is one colour map with a colour bar (the phase diagram, the sweep
// figure): heights and widths of its parts, in pixels, from the font size.
#include <cmath>

#include "figure.h"

namespace initscope::render {

struct MapMetrics {
  float f, title_h, legend_h, top_label_h, axis_h, ylabel_w, bar_gap, bar_w, bar_label_w;
  // bar_label_em: the colour bar's tick labels' width in font sizes (its widest label).
  MapMetrics(float font_px, const FigureOptions& opt, float bar_label_em) : f(font_px) {
    title_h = opt.title ? std::round(1.9f * f) : 0;
    legend_h = opt.legend ? std::round(1.7f * f) : 0;
    top_label_h = std::round(1.4f * f);
    axis_h = std::round(2.8f * f);
    ylabel_w = std::round(3.4f * f);
    bar_gap = std::round(1.4f * f);
    bar_w = std::round(0.9f * f);
    bar_label_w = std::round(bar_label_em * f);
  }
};

}  // namespace initscope::render
