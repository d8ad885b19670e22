#include "figure_view.h"

#include <iterator>

namespace initscope::app {

const char* view_key(FigureView v) {
  switch (v) {
    case FigureView::Grid:
      return "grid";
    case FigureView::Heatmap:
      return "heatmap";
    case FigureView::History:
      return "history";
    case FigureView::Phase:
      return "phase";
    case FigureView::Training:
      return "training";
  }
  return "";
}

const char* view_title(FigureView v) {
  switch (v) {
    case FigureView::Grid:
      return "Histogram grid";
    case FigureView::Heatmap:
      return "Heatmap";
    case FigureView::History:
      return "Over time";
    case FigureView::Phase:
      return "Phase diagram";
    case FigureView::Training:
      return "Training";
  }
  return "";
}

bool parse_view(const std::string& key, FigureView& out) {
  for (FigureView v : kFigureViews)
    if (key == view_key(v)) {
      out = v;
      return true;
    }
  return false;
}

FigureView next_view(FigureView v, int step) {
  const int n = static_cast<int>(std::size(kFigureViews));
  return kFigureViews[((static_cast<int>(v) + step) % n + n) % n];
}

}  // namespace initscope::app
