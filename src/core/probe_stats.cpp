#include "probe_stats.h"

#include <cmath>
#include <tuple>

namespace initscope {
namespace {

// The range for the next probe of this data (see ProbeRanges).
Range next_range(Range current, const Eigen::MatrixXf& m) {
  return stable_range(current, m.data(), static_cast<size_t>(m.size()));
}

ValueStats stats_of(const Eigen::MatrixXf& m, Range range, int bins, SaturationRule rule) {
  StatsAccumulator acc(range.lo, range.hi, bins, rule);
  acc.add(m.data(), static_cast<size_t>(m.size()));
  return acc.result();
}

std::pair<double, double> moments(const Eigen::MatrixXf& w) {
  const double n = static_cast<double>(w.size());
  const double mean = w.cast<double>().sum() / n;
  const double var = (w.cast<double>().array() - mean).square().sum() / n;
  return {mean, std::sqrt(var)};
}

}  // namespace

ColumnStats probe_column_stats(const MlpParams& p, const Activation& act, const RowMatrixXf& x,
                               const uint8_t* labels, int bins, MlpPass& pass,
                               ProbeRanges& ranges) {
  const int L = p.layers();
  for (auto* r : {&ranges.pre, &ranges.act, &ranges.grad_act, &ranges.grad_w}) {
    r->resize(static_cast<size_t>(L), Range{0, 0});
  }
  mlp_forward(p, act, x, pass);
  ColumnStats cs;
  cs.loss = mlp_loss_backward(p, act, x, labels, pass, true);
  const auto bounded = act.bounded_range();
  const SaturationRule saturation = saturation_rule(act);
  for (int l = 0; l < L; ++l) {
    const bool hidden = l + 1 < L;
    const Eigen::MatrixXf& z = pass.z[l];
    const Eigen::MatrixXf& a = hidden ? pass.a[l] : pass.z[l];
    LayerStats ls;
    ls.layer = l + 1;
    ls.fan_in = static_cast<int>(p.w[l].rows());
    ls.fan_out = static_cast<int>(p.w[l].cols());
    std::tie(ls.weight_mean, ls.weight_std) = moments(p.w[l]);
    ranges.pre[l] = next_range(ranges.pre[l], z);
    ls.preact = stats_of(z, ranges.pre[l], bins, SaturationRule::None);
    ranges.act[l] =
        hidden && bounded ? Range{bounded->first, bounded->second} : next_range(ranges.act[l], a);
    ls.act = stats_of(a, ranges.act[l], bins, hidden ? saturation : SaturationRule::None);
    ls.has_grad = true;
    ranges.grad_act[l] = next_range(ranges.grad_act[l], pass.d_a[l]);
    ls.grad_act = stats_of(pass.d_a[l], ranges.grad_act[l], bins, SaturationRule::None);
    ranges.grad_w[l] = next_range(ranges.grad_w[l], pass.d_w[l]);
    ls.grad_weight = stats_of(pass.d_w[l], ranges.grad_w[l], bins, SaturationRule::None);
    ls.grad_norm = std::sqrt(pass.d_w[l].cast<double>().squaredNorm());
    const double w_norm = std::sqrt(p.w[l].cast<double>().squaredNorm());
    ls.grad_ratio = w_norm > 0 ? ls.grad_norm / w_norm : 0;
    cs.layers.push_back(std::move(ls));
  }
  return cs;
}

}  // namespace initscope
