#pragma once
// Geometry of the depth profiles (draw_depth_profiles in figure.h): four small plots — mean,
// std, saturated %, zero % — against layer index, one line per column. Pure arithmetic, so the
// window can map the mouse to a layer and tests can find the plots.
#include <imgui.h>

#include <array>
#include <string>

#include "figure.h"

namespace initscope::render {

enum class ProfileMetric { Mean, Std, Saturated, Zero };

struct ProfilePanel {
  ProfileMetric metric;
  CellRect plot;  // the data area
  double lo, hi;  // y range (log10 of the values when log)
  bool log = false;
};
struct ProfileLayout {
  std::array<ProfilePanel, 4> panels;
  int layers = 0;  // L
  float legend_y = 0, title_y = 0;
};
ProfileLayout profile_layout(ImVec2 pos, ImVec2 size, const Snapshot& snap,
                             const FigureOptions& opt, float font_px);

const char* metric_title(ProfileMetric m, const FigureOptions& opt);
// The value plotted for one layer (fractions for saturated/zero; NaN when not finite).
double profile_value(const LayerStats& l, ProfileMetric m, const FigureOptions& opt);
// x of a 1-based layer in a plot, and the nearest layer to x (clamped to 1..layers).
float layer_x(const CellRect& plot, int layer, int layers);
int layer_at(const CellRect& plot, float x, int layers);
// y of a value in a panel (clamped to the plot).
float value_y(const ProfilePanel& p, double v);

}  // namespace initscope::render
