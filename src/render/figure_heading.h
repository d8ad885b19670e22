#pragma once
// A figure's title that stays readable at every text size: "<what> — <experiment heading>" on one
// line when it fits; else what the figure shows as the title and the experiment's heading
// (core/experiment_heading.h) as a subtitle of at most two lines under it. Measures text: needs
// the current ImGui context's fonts (those the figure is drawn with).
#include <imgui.h>

#include <string>
#include <vector>

#include "figure.h"

namespace initscope::render {

struct FigureHeading {
  std::string title;                  // title font
  std::vector<std::string> subtitle;  // regular font, empty when the title holds it all
  // Room the subtitle takes between the title line and what follows (0 without one).
  float subtitle_height(float font_px) const;
};

FigureHeading figure_heading(const std::string& what, const std::string& heading, float width,
                             float font_px);
// The title from `top` (+ 0.25 font sizes, as every figure's title), the subtitle's lines
// ending at `subtitle_bottom` (the legend's top).
void draw_figure_heading(ImDrawList* dl, const FigureHeading& h, ImVec2 top, float subtitle_bottom,
                         const FigureOptions& opt);

}  // namespace initscope::render
