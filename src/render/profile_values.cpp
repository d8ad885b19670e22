// The numbers the depth profiles and the signal plot draw (profiles.h): each panel's measured
// value per layer, the dashed line's prediction (mean-field, architecture theory, and for dL/dA
// of BatchNorm ReLU nets the π/(π−1) growth per layer anchored at the last layer), the panels'
// titles and the gradient caption that says what that line is and where there is none.
#include <cmath>
#include <limits>

#include "core/experiment_heading.h"
#include "profiles.h"
#include "quantity.h"

namespace initscope::render {

const char* metric_title(ProfileMetric m, const FigureOptions& opt) {
  switch (m) {
    case ProfileMetric::Mean:
      return "mean";
    case ProfileMetric::Std:
      return opt.log_std ? "std (log scale)" : "std";
    case ProfileMetric::Saturated:
      return "saturated %";
    case ProfileMetric::Zero:
      return "near zero % (|x| < 0.01)";
    case ProfileMetric::GradNorm:
      return "\xE2\x80\x96"
             "dL/dW\xE2\x80\x96 gradient norm (log scale)";
    case ProfileMetric::ChannelSqMean:
      return "stream: channel mean\xC2\xB2 (log)";
    case ProfileMetric::ChannelVar:
      return "stream: channel variance (log)";
    case ProfileMetric::BranchVar:
      return "branch: channel variance (log)";
    case ProfileMetric::PairCorrelation:
      return "correlation of 2 inputs' Z";
  }
  return "";
}

double profile_value(const LayerStats& l, ProfileMetric m, const FigureOptions& opt) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (m == ProfileMetric::GradNorm) return l.has_grad ? l.grad_norm : kNaN;
  if (m == ProfileMetric::ChannelSqMean) return l.channel_sq_mean;
  if (m == ProfileMetric::ChannelVar) return l.channel_var;
  if (m == ProfileMetric::BranchVar) return l.branch_channel_var;
  if (!is_measured(l, opt.quantity)) return kNaN;
  const ValueStats& v = shown(l, opt.quantity);
  if (v.count > 0 && v.nonfinite == v.count) return kNaN;
  switch (m) {
    case ProfileMetric::Mean:
      return v.mean;
    case ProfileMetric::Std:
      return v.std;
    case ProfileMetric::Saturated:
      return v.saturated;
    case ProfileMetric::Zero:
      return v.zero;
    default:
      break;
  }
  return 0;
}

// Entry layer−1 of a per-layer vector, NaN outside it.
double pair_entry(const std::vector<double>& v, int layer) {
  return layer >= 1 && layer <= static_cast<int>(v.size())
             ? v[static_cast<size_t>(layer - 1)]
             : std::numeric_limits<double>::quiet_NaN();
}

double measured_value(const Snapshot& snap, size_t column, int layer, ProfileMetric m,
                      const FigureOptions& opt) {
  if (m == ProfileMetric::PairCorrelation)
    return column < snap.pairs.size() ? pair_entry(snap.pairs[column].measured, layer)
                                      : std::numeric_limits<double>::quiet_NaN();
  const auto& layers = snap.columns[column].layers;
  return layer >= 1 && layer <= static_cast<int>(layers.size())
             ? profile_value(layers[static_cast<size_t>(layer - 1)], m, opt)
             : std::numeric_limits<double>::quiet_NaN();
}

bool has_pair_correlation(const Snapshot& snap) {
  for (const PairCorrelation& p : snap.pairs)
    if (!p.measured.empty()) return true;
  return false;
}

double predicted_value(const Snapshot& snap, size_t column, int layer, ProfileMetric m,
                       const FigureOptions& opt) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (m == ProfileMetric::Std) return predicted_std(snap, column, layer, opt);
  if (m == ProfileMetric::PairCorrelation)
    return column < snap.pairs.size() ? pair_entry(snap.pairs[column].predicted, layer) : kNaN;
  if (m != ProfileMetric::ChannelSqMean && m != ProfileMetric::ChannelVar &&
      m != ProfileMetric::BranchVar)
    return kNaN;
  if (column >= snap.theory.size()) return kNaN;
  const Prediction& p = snap.theory[column];
  if (!p.caveat.empty() || layer < 1 || layer > static_cast<int>(p.layers.size())) return kNaN;
  const LayerPrediction& lp = p.layers[layer - 1];
  return m == ProfileMetric::ChannelSqMean ? lp.channel_sq_mean
         : m == ProfileMetric::ChannelVar  ? lp.channel_var
                                           : lp.branch_channel_var;
}

bool has_branches(const Snapshot& snap) {
  // A residual column (its prediction has branches), or measured branches.
  for (size_t c = 0; c < snap.experiment.inits.size(); ++c)
    if (snap.experiment.column_arch(c).residual_net() && snap.experiment.layers > 1) return true;
  for (const ColumnStats& c : snap.columns)
    for (const LayerStats& l : c.layers)
      if (l.has_branch) return true;
  return false;
}

bool has_gradients(const Snapshot& snap) {
  for (const ColumnStats& c : snap.columns)
    if (!c.layers.empty() && c.layers.front().has_grad) return true;
  return false;
}

double predicted_std(const Snapshot& snap, size_t column, int layer, const FigureOptions& opt) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (opt.quantity == Quantity::WeightGrad || column >= snap.theory.size()) return kNaN;
  const Prediction& p = snap.theory[column];
  if (!p.caveat.empty() || layer < 1 || layer > static_cast<int>(p.layers.size())) return kNaN;
  const LayerPrediction& lp = p.layers[layer - 1];
  switch (opt.quantity) {
    case Quantity::PreActivation:
      return lp.preact_std;
    case Quantity::Normed:
      return lp.normed_std;
    case Quantity::Branch:
      return lp.branch_std;
    case Quantity::ActivationGrad: {
      // E‖dL/dA‖² grows by grad_sq_growth per layer towards the input (BatchNorm ReLU nets), so
      // the std by its square root; anchored at the last layer's measurement (the loss sets the
      // scale).
      const auto& layers = snap.columns[column].layers;
      if (!std::isfinite(p.grad_sq_growth) || layers.size() != p.layers.size() ||
          !layers.back().has_grad)
        return kNaN;
      const int L = static_cast<int>(layers.size());
      return layers.back().grad_act.std * std::pow(p.grad_sq_growth, 0.5 * (L - layer));
    }
    default:
      return lp.act_std;
  }
}

std::string gradient_caption(const Snapshot& snap, const FigureOptions& opt) {
  if (opt.quantity != Quantity::ActivationGrad || !has_gradients(snap)) return "";
  bool any_arch = false, any_line = false;
  for (size_t c = 0; c < snap.columns.size() && c < snap.theory.size(); ++c) {
    const Prediction& p = snap.theory[c];
    any_arch = any_arch || std::isfinite(p.grad_sq_growth) || !p.grad_note.empty();
    any_line = any_line || std::isfinite(predicted_std(snap, c, 1, opt));
  }
  if (!any_arch) return "";  // plain stacks: no gradient line, no caption (as before)
  std::string text;
  if (any_line)
    text =
        "Dashed (std): BatchNorm ReLU's \xE2\x80\x96"
        "dL/dA\xE2\x80\x96\xC2\xB2 grows \xC3\x97\xCF\x80/(\xCF\x80\xE2\x88\x92"
        "1) \xE2\x89\x88 1.467 per layer towards the input (Yang et al. 2019, large batch), from "
        "layer " +
        std::to_string(snap.columns.front().layers.size()) + ".";
  for (size_t c = 0; c < snap.columns.size(); ++c) {
    if (std::isfinite(predicted_std(snap, c, 1, opt))) continue;
    const Prediction* p = c < snap.theory.size() ? &snap.theory[c] : nullptr;
    std::string why = "no line (plain stack)";
    if (p && !p->caveat.empty())
      why = "no line \xE2\x80\x94 " + p->caveat;
    else if (p && !p->grad_note.empty())
      why = p->grad_note;
    text += (text.empty() ? "" : " ") + snap.columns[c].init + ": " + why + ".";
  }
  return text;
}

std::string pair_caption(const Snapshot& snap) {
  if (!has_pair_correlation(snap)) return "";
  std::string text;
  for (size_t c = 0; c < snap.pairs.size() && c < snap.columns.size(); ++c)
    if (snap.pairs[c].measured.empty() && !snap.pairs[c].note.empty())
      text += " " + snap.columns[c].init + ": " + snap.pairs[c].note + ".";
  return text.empty() ? "" : "Correlation of 2 inputs' Z (plain columns):" + text;
}

std::string profiles_caption(const Snapshot& snap, const FigureOptions& opt) {
  const std::string g = gradient_caption(snap, opt), p = pair_caption(snap);
  return g.empty() ? p : p.empty() ? g : g + " " + p;
}

FigureHeading profiles_heading(const Snapshot& snap, const FigureOptions& opt, ImVec2 size,
                               float font_px) {
  FigureHeading h = figure_heading(std::string("Depth profiles of ") + quantity_title(opt.quantity),
                                   experiment_heading(snap.experiment).title, size.x, font_px);
  // A short area (under the grid in `--view both`, where the grid's title names the experiment
  // already) keeps its height for the plots: no subtitle. 16 font sizes: title, legend and one
  // row of panels at least 6 font sizes high.
  if (size.y < 16 * font_px) h.subtitle.clear();
  return h;
}

}  // namespace initscope::render
