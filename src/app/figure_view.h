#pragma once
// The figure in the window's centre, chosen in the tabs above it (View menu, key V), and the
// names the command line uses for it (`gui --view`, like `export --view`).
#include <string>

namespace initscope::app {

enum class FigureView {
  Grid,      // histogram grid: rows = layers, columns = inits
  Heatmap,   // per column: x = layer, y = value, colour = log count
  History,   // one layer over time: x = update, y = value, colour = log count
  Phase,     // mean-field phase diagram; click to move the selected column's (σ_w², σ_b²)
  Training,  // training mode's loss and accuracy curves (a hint to start training otherwise)
};
inline constexpr FigureView kFigureViews[] = {FigureView::Grid, FigureView::Heatmap,
                                              FigureView::History, FigureView::Phase,
                                              FigureView::Training};

const char* view_key(FigureView v);    // "grid", "heatmap", "history", "phase", "training"
const char* view_title(FigureView v);  // tab label: "Histogram grid", "Heatmap", …
bool parse_view(const std::string& key, FigureView& out);
FigureView next_view(FigureView v, int step = 1);  // cyclic

}  // namespace initscope::app
