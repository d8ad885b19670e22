#include "figure_view.h"

#include <algorithm>
#include <iterator>

#include "render/enum_keys.h"

namespace initscope::app {

const char* view_key(FigureView v) {
  return render::figure_key(v);
}

const char* view_title(FigureView v) {
  switch (v) {
    case FigureView::Grid:
      return "Histogram grid";
    case FigureView::Profiles:
      return "Depth profiles";
    case FigureView::Heatmap:
      return "Heatmap";
    case FigureView::History:
      return "Over time";
    case FigureView::Phase:
      return "Phase diagram";
    case FigureView::Training:
      return "Training";
    case FigureView::Signal:
      return "Signal";     // short: six tabs fit a projector's 1280 pixels at text ×3
    case FigureView::Gan:  // not a tab: the Training tab's GAN mode
      return "GAN";
  }
  return "";
}

bool parse_view(const std::string& key, FigureView& out) {
  return render::parse_key(kFigureViews, view_key, key, out);
}

FigureView next_view(FigureView v, int step) {
  const int n = static_cast<int>(std::size(kFigureViews));
  const int i = static_cast<int>(std::find(std::begin(kFigureViews), std::end(kFigureViews), v) -
                                 std::begin(kFigureViews));
  return kFigureViews[((i % n + step) % n + n) % n];
}

}  // namespace initscope::app
