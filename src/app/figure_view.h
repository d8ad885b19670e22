#pragma once
// The figure in the window's centre, chosen in the tabs above it (View menu, key V), and the
// names the command line uses for it (`gui --view`, like `export --view`). A view is one of
// render's figures (render/figures.h: the one table of "which figure, which draw call"); the
// depth profiles are not a tab — they sit under the grid.
#include <string>

#include "render/figures.h"

namespace initscope::app {

using FigureView = render::FigureKind;
// The tabs, in order.
inline constexpr FigureView kFigureViews[] = {FigureView::Grid,    FigureView::Heatmap,
                                              FigureView::History, FigureView::Signal,
                                              FigureView::Phase,   FigureView::Training};

const char* view_key(FigureView v);  // "grid", "heatmap", "history", "signal", "phase", "training"
const char* view_title(FigureView v);  // tab label: "Histogram grid", "Heatmap", …
bool parse_view(const std::string& key, FigureView& out);  // the tabs' keys only
FigureView next_view(FigureView v, int step = 1);          // cyclic over the tabs

}  // namespace initscope::app
