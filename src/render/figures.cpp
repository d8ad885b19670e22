#include "figures.h"

#include "enum_keys.h"
#include "gan_figure.h"
#include "heatmap.h"
#include "phase_diagram.h"
#include "signal_propagation.h"
#include "training_curves.h"

namespace initscope::render {

const char* figure_key(FigureKind k) {
  switch (k) {
    case FigureKind::Grid:
      return "grid";
    case FigureKind::Profiles:
      return "profiles";
    case FigureKind::Heatmap:
      return "heatmap";
    case FigureKind::History:
      return "history";
    case FigureKind::Phase:
      return "phase";
    case FigureKind::Training:
      return "training";
    case FigureKind::Signal:
      return "signal";
    case FigureKind::Gan:
      return "gan";
  }
  return "";
}

bool parse_figure_kind(const std::string& key, FigureKind& out) {
  return parse_key(kFigureKinds, figure_key, key, out);
}

bool has_sources(FigureKind kind, const FigureSources& src) {
  switch (kind) {
    case FigureKind::Training:
      return src.training != nullptr;
    case FigureKind::Gan:
      return src.gan != nullptr;
    case FigureKind::History:
      return src.snap && src.history;
    default:
      return src.snap != nullptr;
  }
}

void draw_figure(ImDrawList* dl, ImVec2 pos, ImVec2 size, FigureKind kind, const FigureSources& src,
                 const FigureOptions& opt) {
  if (!has_sources(kind, src)) return;
  switch (kind) {
    case FigureKind::Grid:
      draw_histogram_grid(dl, pos, size, *src.snap, opt);
      break;
    case FigureKind::Profiles:
      draw_depth_profiles(dl, pos, size, *src.snap, opt);
      break;
    case FigureKind::Heatmap:
      draw_heatmaps(dl, pos, size, layer_series(*src.snap, opt.quantity), *src.snap, opt);
      break;
    case FigureKind::History:
      draw_heatmaps(dl, pos, size, src.history->series(), *src.snap, opt);
      break;
    case FigureKind::Phase:
      draw_phase_diagram(dl, pos, size, src.phase, *src.snap, opt, src.selected_column);
      break;
    case FigureKind::Training:
      draw_training_curves(dl, pos, size, *src.training, opt);
      break;
    case FigureKind::Signal:
      draw_signal_propagation(dl, pos, size, *src.snap, opt);
      break;
    case FigureKind::Gan:
      draw_gan_figure(dl, pos, size, *src.gan, opt, src.gan_images);
      break;
  }
}

}  // namespace initscope::render
