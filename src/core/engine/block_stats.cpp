#include "block_stats.h"

#include <cmath>
#include <limits>

#include "core/engine/backprop.h"

namespace initscope {
namespace {

constexpr double kBlockStatsNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

ChannelMoments channel_moments(const Eigen::MatrixXf& m) {
  const Eigen::Index B = m.rows(), n = m.cols();
  if (B == 0 || n == 0) return {kBlockStatsNaN, kBlockStatsNaN};
  // Per channel on the pool (one thread each, fixed order), then summed in channel order: the
  // same bits whatever the number of threads.
  Eigen::VectorXd sq_mean(n), var(n);
#pragma omp parallel for schedule(static) if (m.size() >= (1 << 15))
  for (Eigen::Index j = 0; j < n; ++j) {
    const auto c = m.col(j).array().cast<double>();
    const double mu = c.sum() / static_cast<double>(B);
    sq_mean[j] = mu * mu;
    var[j] = (c - mu).square().sum() / static_cast<double>(B);
  }
  ChannelMoments r;
  for (Eigen::Index j = 0; j < n; ++j) {
    r.sq_mean += sq_mean[j];
    r.var += var[j];
  }
  r.sq_mean /= static_cast<double>(n);
  r.var /= static_cast<double>(n);
  return r;
}

ChannelMoments channel_moments(const double* sum, const double* sq, int channels, int rows) {
  ChannelMoments r;
  if (channels == 0 || rows == 0) return {kBlockStatsNaN, kBlockStatsNaN};
  for (int j = 0; j < channels; ++j) {
    const double mu = sum[j] / rows;
    r.sq_mean += mu * mu;
    r.var += std::max(0.0, sq[j] / rows - mu * mu);
  }
  r.sq_mean /= channels;
  r.var /= channels;
  return r;
}

void QuantityStats::add(const Eigen::MatrixXf& m, int bins, SaturationRule rule,
                        const std::optional<std::pair<double, double>>& bounded) {
  const size_t n = static_cast<size_t>(m.size());
  if (!acc.empty()) {
    acc.add(m.data(), n);
    return;
  }
  if (bounded) {
    range = {bounded->first, bounded->second};
    acc = StatsAccumulator(range.lo, range.hi, bins, rule);
    acc.add(m.data(), n);
    return;
  }
  // Bin with the range kept from the last update, then check it against this batch's extremes
  // (the accumulator has them): right while the data stay put — the live view's common case —
  // and one pass over m instead of two (finite_extremes, then add). The same range as
  // stable_range(range, m) either way.
  if (range.hi > range.lo) {
    StatsAccumulator kept(range.lo, range.hi, bins, rule);
    kept.add(m.data(), n);
    const ValueStats v = kept.result();
    if (stable_range(range, v.count > v.nonfinite, v.min, v.max) == range) {
      acc = std::move(kept);
      return;
    }
  }
  range = stable_range(range, m.data(), n);
  acc = StatsAccumulator(range.lo, range.hi, bins, rule);
  acc.add(m.data(), n);
}

void LayerAccumulators::reset() {
  for (QuantityStats* q : {&pre, &act, &normed, &branch, &grad_act, &grad_w})
    q->acc = StatsAccumulator{};
  sq_mean_sum = var_sum = branch_var_sum = grad_norm_sum = 0;
}

void LayerAccumulators::fill(int batches, bool gradients, double weight_norm,
                             LayerStats& ls) const {
  ls.preact = pre.result();
  ls.act = act.result();
  ls.has_normed = !normed.acc.empty();
  if (ls.has_normed) ls.normed = normed.result();
  ls.has_branch = !branch.acc.empty();
  if (ls.has_branch) ls.branch = branch.result();
  if (batches > 0) {
    ls.channel_sq_mean = sq_mean_sum / batches;
    ls.channel_var = var_sum / batches;
    if (ls.has_branch) ls.branch_channel_var = branch_var_sum / batches;
  }
  if (gradients && batches > 0) {
    ls.has_grad = true;
    ls.grad_act = grad_act.result();
    ls.grad_weight = grad_w.result();
    ls.grad_norm = grad_norm_sum / batches;
    ls.grad_ratio = weight_norm > 0 ? ls.grad_norm / weight_norm : 0;
  }
}

BlockColumn::BlockColumn(const Architecture& arch, const Activation& act,
                         std::vector<Eigen::MatrixXf> w, std::vector<Eigen::RowVectorXf> b,
                         bool head)
    : net_(arch, act, static_cast<int>(w.size()), head), act_(act) {
  p_.w = std::move(w);
  p_.b = std::move(b);
  init_norm_params(arch, head, p_);
}

// Layer l's values into its accumulators: z, out (φ's range when a plain layer's φ is bounded;
// the stream of a residual net has none), the norm's output, the branch r = α·z; the signal
// numbers of out and of the branch.
void BlockColumn::add_forward(int l, const BlockLayer& v, int bins, LayerAccumulators& a) const {
  const bool plain = net_.role(l) == BlockNet::Role::Plain;
  a.pre.add(v.z, bins, SaturationRule::None);
  if (plain) {
    a.act.add(v.out, bins, saturation_rule(act_), act_.bounded_range());
  } else {
    a.act.add(v.out, bins, SaturationRule::None);
  }
  // By the architecture, not by v.normed's size: scratch buffers are shared between columns.
  // The classifier head has no norm.
  if (net_.arch().has_norm(l + 1) && net_.role(l) != BlockNet::Role::Head)
    a.normed.add(v.normed, bins, SaturationRule::None);
  const ChannelMoments out = channel_moments(v.out);
  a.sq_mean_sum += out.sq_mean;
  a.var_sum += out.var;
  if (net_.role(l) == BlockNet::Role::Block) {
    a.branch.add(v.branch, bins, SaturationRule::None);
    a.branch_var_sum += channel_moments(v.branch).var;
  }
}

bool BlockColumn::update(const BlockUpdate& u, BlockScratch& s, std::vector<LayerAccumulators>& acc,
                         double& loss) {
  BlockNetOptions o;
  o.keep_all = u.gradients;
  o.layer_done = [&](int l, const BlockLayer& v) {
    add_forward(l, v, u.bins, acc[static_cast<size_t>(l)]);
    if (u.layer_done) u.layer_done();
  };
  net_.forward(p_, *u.x, s.layers, o);
  loss = 0;
  if (!u.gradients) return true;
  if (u.cancel != nullptr && u.cancel->load(std::memory_order_relaxed)) return false;
  Rng targets = u.targets;
  loss = loss_gradient(u.loss, s.layers.back().out, targets, s.d_out);
  // dL/d(out_l) and dL/dW_l of every layer, last first.
  auto visit = [&](int l, const Eigen::MatrixXf& d_out, const Eigen::MatrixXf& d_w) {
    LayerAccumulators& a = acc[static_cast<size_t>(l)];
    a.grad_act.add(d_out, u.bins, SaturationRule::None);
    a.grad_w.add(d_w, u.bins, SaturationRule::None);
    a.grad_norm_sum += std::sqrt(d_w.cast<double>().squaredNorm());
  };
  net_.backward(p_, *u.x, s.layers, s.d_out, s.grads, visit);
  return true;
}

}  // namespace initscope
