#pragma once
// Lengths of the depth-profile figures (profiles.h), shared by their layout (profile_layout.cpp)
// and their drawing (depth_profiles.cpp): every length a multiple of the font size, so the
// panels scale with the text.
#include <cmath>

#include "figure.h"

namespace initscope::render {

struct ProfileMetrics {
  float f, title_h, legend_h, panel_title_h, tick_h, ylabel_w, gap;
  ProfileMetrics(float font_px, const FigureOptions& opt) : f(font_px) {
    title_h = opt.title ? std::round(1.9f * f) : 0;
    legend_h = opt.legend ? std::round(1.6f * f) : 0;
    panel_title_h = std::round(1.5f * f);
    tick_h = std::round(1.4f * f);
    ylabel_w = std::round(4.2f * f);
    gap = std::round(1.0f * f);
  }
};

}  // namespace initscope::render
