#pragma once
// The window's tiled layout as pure arithmetic (no ImGui context needed), so the GUI test can
// find the histogram grid (or another figure view) in a screenshot:
//
//   [menu bar                                                    ]
//   [controls | Grid | Heatmap | Over time | Phase   | narrative   ]
//   [         | figure: histogram grid (scrolls),  | (preset)    ]
//   [         |   heatmap, over time or phase      |             ]
//   [         | depth profiles                     |             ]
//   [status bar                                                  ]
#include "render/figure.h"

namespace initscope::app {

struct Rect {
  float x = 0, y = 0, w = 0, h = 0;
  bool empty() const { return w <= 0 || h <= 0; }
};

// Style lengths derived from the font size (ImGui style + our panels use the same numbers).
struct UiMetrics {
  float font_px;
  float pad;                       // inner margin of panels
  float frame_pad_x, frame_pad_y;  // ImGuiStyle::FramePadding
  float menu_h;                    // = ImGui::GetFrameHeight() = font + 2 × frame_pad_y
  float status_h;
  float tabs_h;  // the strip of view tabs above the figure
};
UiMetrics ui_metrics(float font_px);

struct PanelToggles {
  bool controls = true, profiles = true, narrative = true;
};

struct MainLayout {
  // figure: the view chosen in the tabs above it (FigureView). Hidden panels are empty.
  Rect menu, controls, tabs, figure, profiles, narrative, status;
  // Panels that are switched on but had to give way to the figure (window too small for the
  // text size); the status bar says so.
  bool controls_squeezed = false, narrative_squeezed = false, profiles_squeezed = false;
};
// The centre (tabs + figure + profiles) keeps at least this many font sizes of width.
inline constexpr float kMinCentre = 36.0f;
// The depth profiles' smallest readable height, in font sizes.
inline constexpr float kMinProfiles = 7.0f;
// `grid_needed_h`: height the figure needs — the grid without scrolling (grid_needed_height),
// another view its smallest readable height (figure_needed_height) — 0 = unknown.
MainLayout main_layout(float width, float height, const UiMetrics& m, const PanelToggles& t,
                       bool has_narrative, float grid_needed_h = 0);
// Presentation mode: no menu, tabs, controls or status bar. The figure on the left, the narrative
// (narrative_w wide, 0 = none) on the right, both the window's full height; the depth profiles
// under the figure only when the figure still gets grid_needed_h with them (else they fold
// away: the figure comes first).
MainLayout presentation_layout(float width, float height, const UiMetrics& m, float narrative_w,
                               bool profiles, float grid_needed_h);
// The grid panel's height for every shown row at its minimum height (plus margins).
float grid_needed_height(const Snapshot& snap, const render::FigureOptions& opt,
                         const UiMetrics& m);

// The smallest readable height of the heatmap and phase diagram views (their titles, legend
// and axes, and a plot of about 12 font sizes), plus margins.
float figure_needed_height(float font_px);

// Where the figure is drawn inside its panel (the grid: when it is not scrolled).
Rect figure_rect(const MainLayout& l, const UiMetrics& m);
Rect profiles_figure_rect(const MainLayout& l, const UiMetrics& m);

// The figure options the window starts with (the test reproduces the window's grid with them).
render::FigureOptions window_figure_options(render::Theme theme);

}  // namespace initscope::app
