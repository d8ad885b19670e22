#pragma once
// Colours of the figures and the window, per theme (dark for screens, light for projectors and
// paper). column_color() and apply_theme() are declared in figure.h.
#include <imgui.h>

#include "figure.h"

namespace initscope::render {

struct Palette {
  ImU32 background;  // figure and window background
  ImU32 cell;        // plot area of a histogram cell / profile panel
  ImU32 grid_line;   // faint guides (zero line, ticks)
  ImU32 axis;        // axis baselines
  ImU32 text;
  ImU32 text_dim;  // secondary text: formulas, tick labels
  ImU32 hover;     // highlight of the hovered bar / layer
};
const Palette& palette(Theme theme);

// Background colour as floats, for glClearColor.
ImVec4 clear_color(Theme theme);

// Parses "dark" / "light"; returns false for anything else.
bool parse_theme(const char* text, Theme& out);

}  // namespace initscope::render
