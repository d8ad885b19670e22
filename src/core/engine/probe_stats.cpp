#include "probe_stats.h"

#include <algorithm>
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

// Over the channels j of m (B × n): the mean of (mean_i m_ij)² and of var_i m_ij (in double).
std::pair<double, double> probe_channel_moments(const Eigen::MatrixXf& m) {
  const double B = static_cast<double>(m.rows());
  double sq_mean = 0, var = 0;
  for (Eigen::Index j = 0; j < m.cols(); ++j) {
    const Eigen::ArrayXd c = m.col(j).cast<double>().array();
    const double mu = c.sum() / B;
    sq_mean += mu * mu;
    var += (c - mu).square().sum() / B;
  }
  const double n = static_cast<double>(std::max<Eigen::Index>(1, m.cols()));
  return {sq_mean / n, var / n};
}

// W's moments, ‖dL/dW‖_F, ‖dL/dW‖_F/‖W‖_F and the dL/dW histogram of layer l.
void probe_weight_stats(const Eigen::MatrixXf& w, const Eigen::MatrixXf& d_w, Range& range,
                        int bins, LayerStats& ls) {
  ls.fan_in = static_cast<int>(w.rows());
  ls.fan_out = static_cast<int>(w.cols());
  std::tie(ls.weight_mean, ls.weight_std) = moments(w);
  range = next_range(range, d_w);
  ls.grad_weight = stats_of(d_w, range, bins, SaturationRule::None);
  ls.grad_norm = std::sqrt(d_w.cast<double>().squaredNorm());
  const double w_norm = std::sqrt(w.cast<double>().squaredNorm());
  ls.grad_ratio = w_norm > 0 ? ls.grad_norm / w_norm : 0;
}

}  // namespace

LayerStats dense_layer_stats(int layer, const Eigen::MatrixXf& w, const Eigen::MatrixXf& z,
                             const Eigen::MatrixXf& a, const Activation* phi,
                             const Eigen::MatrixXf& d_a, const Eigen::MatrixXf& d_w, int bins,
                             ProbeRanges& ranges) {
  const size_t l = static_cast<size_t>(layer - 1);
  for (auto* r : {&ranges.pre, &ranges.act, &ranges.grad_act, &ranges.grad_w}) {
    if (r->size() <= l) r->resize(l + 1, Range{0, 0});
  }
  const auto bounded = phi ? phi->bounded_range() : std::nullopt;
  LayerStats ls;
  ls.layer = layer;
  ranges.pre[l] = next_range(ranges.pre[l], z);
  ls.preact = stats_of(z, ranges.pre[l], bins, SaturationRule::None);
  ranges.act[l] = bounded ? Range{bounded->first, bounded->second} : next_range(ranges.act[l], a);
  ls.act = stats_of(a, ranges.act[l], bins, phi ? saturation_rule(*phi) : SaturationRule::None);
  ls.has_grad = true;
  ranges.grad_act[l] = next_range(ranges.grad_act[l], d_a);
  ls.grad_act = stats_of(d_a, ranges.grad_act[l], bins, SaturationRule::None);
  probe_weight_stats(w, d_w, ranges.grad_w[l], bins, ls);
  return ls;
}

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
  for (int l = 0; l < L; ++l) {
    const bool hidden = l + 1 < L;
    cs.layers.push_back(dense_layer_stats(l + 1, p.w[l], pass.z[l], hidden ? pass.a[l] : pass.z[l],
                                          hidden ? &act : nullptr, pass.d_a[l], pass.d_w[l], bins,
                                          ranges));
  }
  return cs;
}

ColumnStats probe_block_stats(const BlockNet& net, const Activation& act, MlpParams& p,
                              const RowMatrixXf& x, const uint8_t* labels, int bins,
                              BlockPass& pass, ProbeRanges& ranges) {
  const int L = p.layers();
  for (auto* r : {&ranges.pre, &ranges.act, &ranges.grad_act, &ranges.grad_w, &ranges.normed,
                  &ranges.branch}) {
    r->resize(static_cast<size_t>(L), Range{0, 0});
  }
  block_forward(net, p, x, pass);  // the batch's moments; running moments untouched
  ColumnStats cs;
  cs.loss = block_loss_backward(net, p, labels, pass, true, 0, true);
  const auto bounded = act.bounded_range();
  const SaturationRule saturation = saturation_rule(act);
  for (int l = 0; l < L; ++l) {
    const BlockLayer& v = pass.layers[l];
    const BlockNet::Role role = net.role(l);
    // φ is the last thing applied only in plain layers: saturation and a bounded range there.
    const bool phi_out = role == BlockNet::Role::Plain;
    LayerStats ls;
    ls.layer = l + 1;
    ranges.pre[l] = next_range(ranges.pre[l], v.z);
    ls.preact = stats_of(v.z, ranges.pre[l], bins, SaturationRule::None);
    ranges.act[l] = phi_out && bounded ? Range{bounded->first, bounded->second}
                                       : next_range(ranges.act[l], v.out);
    ls.act = stats_of(v.out, ranges.act[l], bins, phi_out ? saturation : SaturationRule::None);
    ls.has_grad = true;
    ranges.grad_act[l] = next_range(ranges.grad_act[l], pass.d_out[l]);
    ls.grad_act = stats_of(pass.d_out[l], ranges.grad_act[l], bins, SaturationRule::None);
    probe_weight_stats(p.w[l], pass.grads.w[l], ranges.grad_w[l], bins, ls);
    if (v.normed.size() > 0 && p.gamma[l].size() > 0) {
      ls.has_normed = true;
      ranges.normed[l] = next_range(ranges.normed[l], v.normed);
      ls.normed = stats_of(v.normed, ranges.normed[l], bins, SaturationRule::None);
    }
    std::tie(ls.channel_sq_mean, ls.channel_var) = probe_channel_moments(v.out);
    if (role == BlockNet::Role::Block) {
      ls.has_branch = true;
      ranges.branch[l] = next_range(ranges.branch[l], v.branch);
      ls.branch = stats_of(v.branch, ranges.branch[l], bins, SaturationRule::None);
      ls.branch_channel_var = probe_channel_moments(v.branch).second;
    }
    cs.layers.push_back(std::move(ls));
  }
  return cs;
}

}  // namespace initscope
