#pragma once
// The window's tiled layout as pure arithmetic (no ImGui context needed), so the GUI test can
// find the histogram grid in a screenshot:
//
//   [menu bar                                                    ]
//   [controls | histogram grid (scrolls)           | narrative   ]
//   [         |                                    | (preset)    ]
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
};
UiMetrics ui_metrics(float font_px);

struct PanelToggles {
  bool controls = true, profiles = true, narrative = true;
};

struct MainLayout {
  Rect menu, controls, grid, profiles, narrative, status;  // hidden panels are empty
  // Panels that are switched on but had to give way to the figure (window too small for the
  // text size); the status bar says so.
  bool controls_squeezed = false, narrative_squeezed = false, profiles_squeezed = false;
};
// The centre (grid + profiles) keeps at least this many font sizes of width.
inline constexpr float kMinCentre = 36.0f;
// `grid_needed_h`: height the grid needs without scrolling (grid_needed_height), 0 = unknown.
MainLayout main_layout(float width, float height, const UiMetrics& m, const PanelToggles& t,
                       bool has_narrative, float grid_needed_h = 0);
// The grid panel's height for every shown row at its minimum height (plus margins).
float grid_needed_height(const Snapshot& snap, const render::FigureOptions& opt,
                         const UiMetrics& m);

// Where the grid figure is drawn inside the grid panel when it is not scrolled.
Rect grid_figure_rect(const MainLayout& l, const UiMetrics& m);
Rect profiles_figure_rect(const MainLayout& l, const UiMetrics& m);

// The figure options the window starts with (the test reproduces the window's grid with them).
render::FigureOptions window_figure_options(render::Theme theme);

}  // namespace initscope::app
