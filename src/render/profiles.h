#pragma once
// Geometry of the depth profiles (draw_depth_profiles in figure.h): small plots against layer
// index, one line per column — mean, std, saturated %, zero % of the quantity shown, and the
// gradient norm ‖dL/dW‖ (log scale) when the snapshot has gradients. Pure arithmetic, so the
// window can map the mouse to a layer and tests can find the plots.
#include <imgui.h>

#include <string>
#include <vector>

#include "figure.h"

namespace initscope::render {

enum class ProfileMetric { Mean, Std, Saturated, Zero, GradNorm };

struct ProfilePanel {
  ProfileMetric metric;
  CellRect plot;  // the data area
  double lo, hi;  // y range (log10 of the values when log)
  bool log = false;
};
struct ProfileLayout {
  std::vector<ProfilePanel> panels;  // in ProfileMetric order; GradNorm only with gradients
  int layers = 0;                    // L
  float legend_y = 0, title_y = 0;
};
ProfileLayout profile_layout(ImVec2 pos, ImVec2 size, const Snapshot& snap,
                             const FigureOptions& opt, float font_px);

const char* metric_title(ProfileMetric m, const FigureOptions& opt);
// The value plotted for one layer (fractions for saturated/zero; NaN when not finite or not
// computed — gradients of a snapshot without them).
double profile_value(const LayerStats& l, ProfileMetric m, const FigureOptions& opt);
// Whether any column of the snapshot has gradients (then the GradNorm panel is shown).
bool has_gradients(const Snapshot& snap);
// The mean-field prediction of the std panel for a 1-based layer of column c: predicted std of
// A (or of Z when the figure shows pre-activations); NaN when there is none (gradients shown,
// no theory, or the theory does not apply to that column's init — its caveat).
double predicted_std(const Snapshot& snap, size_t column, int layer, const FigureOptions& opt);
// x of a 1-based layer in a plot, and the nearest layer to x (clamped to 1..layers).
float layer_x(const CellRect& plot, int layer, int layers);
int layer_at(const CellRect& plot, float x, int layers);
// y of a value in a panel (clamped to the plot).
float value_y(const ProfilePanel& p, double v);

}  // namespace initscope::render
