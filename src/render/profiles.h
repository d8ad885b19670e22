#pragma once
// Geometry of the depth profiles (draw_depth_profiles in figure.h): small plots against layer
// index, one line per column — mean, std, saturated %, zero % of the quantity shown, and the
// gradient norm ‖dL/dW‖ (log scale) when the snapshot has gradients. Pure arithmetic, so the
// window can map the mouse to a layer and tests can find the plots.
#include <imgui.h>

#include <string>
#include <vector>

#include "figure.h"
#include "figure_heading.h"

namespace initscope::render {

// The signal propagation plot (signal_propagation.h) uses the same panels with the stream's
// average channel squared mean and channel variance and the branch's channel variance.
enum class ProfileMetric {
  Mean,
  Std,
  Saturated,
  Zero,
  GradNorm,
  ChannelSqMean,
  ChannelVar,
  BranchVar,
  // The correlation c^l of two inputs' pre-activations (Snapshot::pairs), the c-map dashed.
  PairCorrelation
};

struct ProfilePanel {
  ProfileMetric metric;
  CellRect plot;  // the data area
  double lo, hi;  // y range (log10 of the values when log)
  bool log = false;
};
struct ProfileLayout {
  // In ProfileMetric order; GradNorm only with gradients, PairCorrelation only when some column
  // has a measured pair correlation (has_pair_correlation).
  std::vector<ProfilePanel> panels;
  int layers = 0;  // L
  float legend_y = 0, title_y = 0;
  float caption_y = 0;    // top of the caption lines under the plots (signal plot; dL/dA)
  int caption_lines = 2;  // at most; fewer in a short area (signal_layout)
};
// With opt.title it measures the title (profiles_heading): the context's fonts are needed.
ProfileLayout profile_layout(ImVec2 pos, ImVec2 size, const Snapshot& snap,
                             const FigureOptions& opt, float font_px);
// The signal propagation plot's panels: ChannelSqMean, ChannelVar and (when some layer has a
// branch) BranchVar, all on log axes, with room for a caption under them and, when the title is
// too long for one line, for the subtitle (signal_heading): it measures text, so it needs the
// current ImGui context's fonts (those the figure is drawn with).
ProfileLayout signal_layout(ImVec2 pos, ImVec2 size, const Snapshot& snap, const FigureOptions& opt,
                            float font_px);
// Both: `metrics` in a row (two rows when narrow) under the title and legend, `caption_h`
// pixels left free at the bottom.
ProfileLayout panels_layout(ImVec2 pos, ImVec2 size, const Snapshot& snap, const FigureOptions& opt,
                            float font_px, const std::vector<ProfileMetric>& metrics,
                            float caption_h);
// The depth profiles' caption when they show dL/dA of a snapshot with an architecture
// prediction (mean_field.h Prediction::grad_sq_growth / grad_note): what the dashed gradient line
// is — BatchNorm ReLU nets' π/(π−1) growth per layer (Yang et al. 2019), anchored at the last
// layer — and, per column without a line, why not. "" otherwise (no caption, no room taken).
std::string gradient_caption(const Snapshot& snap, const FigureOptions& opt);
// Why a column has no pair-correlation line (a residual or normed column), when the panel is
// shown: "pair correlation: <init>: <note>. …"; "" otherwise.
std::string pair_caption(const Snapshot& snap);
// The depth profiles' caption: gradient_caption, then pair_caption.
std::string profiles_caption(const Snapshot& snap, const FigureOptions& opt);
// A caption under a figure's plots: at most two lines of dim text from `top`, the second cut
// with "…" when the text is longer (room: caption_height).
void draw_figure_caption(ImDrawList* dl, ImVec2 top, float width, const std::string& text,
                         const FigureOptions& opt, int max_lines = 2);
float caption_height(float font_px, int lines = 2);
// The legend (column names, phases, the dashed-line key when a prediction is drawn) and the
// panels of a layout, without title or caption.
void draw_profile_panels(ImDrawList* dl, ImVec2 pos, ImVec2 size, const ProfileLayout& lay,
                         const Snapshot& snap, const FigureOptions& opt);

// The depth profiles' title in an area of `size`: "Depth profiles of <quantity>" and the
// experiment's heading, on one line or with the heading as a subtitle (figure_heading.h; needs
// the context's fonts) — no subtitle in a short area, whose plots need the height.
FigureHeading profiles_heading(const Snapshot& snap, const FigureOptions& opt, ImVec2 size,
                               float font_px);
const char* metric_title(ProfileMetric m, const FigureOptions& opt);
// The value plotted for one layer (fractions for saturated/zero; NaN when not finite or not
// computed — gradients of a snapshot without them).
double profile_value(const LayerStats& l, ProfileMetric m, const FigureOptions& opt);
// The value a panel plots at a 1-based layer of column c: profile_value of the layer, or the
// measured pair correlation for PairCorrelation (NaN where there is none).
double measured_value(const Snapshot& snap, size_t column, int layer, ProfileMetric m,
                      const FigureOptions& opt);
// Whether some column of the snapshot has a measured pair correlation.
bool has_pair_correlation(const Snapshot& snap);
// Whether any column of the snapshot has gradients (then the GradNorm panel is shown).
bool has_gradients(const Snapshot& snap);
// Whether any column is residual or any layer has a measured branch (then the signal plot shows
// BranchVar).
bool has_branches(const Snapshot& snap);
// The dashed line's value of panel `m` at a 1-based layer of column c: predicted_std for Std,
// the prediction's channel statistics for the signal metrics, the c-map's c^l for
// PairCorrelation; NaN for the others or when the theory does not apply.
double predicted_value(const Snapshot& snap, size_t column, int layer, ProfileMetric m,
                       const FigureOptions& opt);
// The mean-field prediction of the std panel for a 1-based layer of column c: predicted std of
// A (or of Z, the norm's output or the branch when the figure shows them; dL/dA: the last
// layer's measured std × grad_sq_growth^((L − l)/2) where the theory has a growth rate); NaN
// when there is none (dL/dW, no theory, or the theory does not apply — its caveat).
double predicted_std(const Snapshot& snap, size_t column, int layer, const FigureOptions& opt);
// x of a 1-based layer in a plot, and the nearest layer to x (clamped to 1..layers).
float layer_x(const CellRect& plot, int layer, int layers);
int layer_at(const CellRect& plot, float x, int layers);
// y of a value in a panel (clamped to the plot).
float value_y(const ProfilePanel& p, double v);

}  // namespace initscope::render
