#include "simulation.h"

#include <omp.h>

#include <chrono>
#include <cmath>
#include <mutex>

#include "backprop.h"
#include "error.h"
#include "init/data_stage.h"
#include "init/start_weights.h"
#include "region_exceptions.h"

namespace initscope {
namespace {

const uint64_t kInputStream = hash_text("input batch");
const uint64_t kLossStream = hash_text("loss targets");

bool cancelled(const std::atomic<bool>* c) {
  return c != nullptr && c->load(std::memory_order_relaxed);
}

}  // namespace

Simulation::Simulation(Experiment e, const std::atomic<bool>* cancel) : exp_(std::move(e)) {
  exp_.validate();
  exp_.check_memory();
  draw_weights(cancel);
  for (const InitSpec& spec : exp_.inits) theory_.push_back(predict(exp_, spec));
}

void Simulation::draw_weights(const std::atomic<bool>* cancel) {
  const int L = exp_.layers;
  const int C = static_cast<int>(exp_.inits.size());
  cols_.assign(exp_.inits.size(), Column{});
  for (Column& col : cols_) {
    col.weight_moments.resize(L);
    col.pre.assign(L, StatsAccumulator{});
    col.act.assign(L, StatsAccumulator{});
    col.pre_range.assign(L, Range{0, 0});
    col.act_range.assign(L, Range{0, 0});
    col.grad_act.assign(exp_.gradients ? L : 0, StatsAccumulator{});
    col.grad_w.assign(exp_.gradients ? L : 0, StatsAccumulator{});
    col.grad_act_range.assign(L, Range{0, 0});
    col.grad_w_range.assign(L, Range{0, 0});
    col.grad_norm_sum.assign(L, 0.0);
    col.weight_norm.assign(L, 0.0);
    col.loss_sum = 0;
  }
  std::vector<StartWeights> start = draw_start_weights(exp_, cancel);
  // Data-driven inits (lsuv, rbm) are fitted on the batch of the first update (the training
  // mode uses its probe batch and the training images instead, trainer.h).
  Eigen::MatrixXf x0;
  for (size_t c = 0; c < cols_.size(); ++c) {
    const InitSpec& spec = exp_.inits[c];
    if (spec.scheme->stage == nullptr) continue;
    if (x0.size() == 0) input_batch(0, x0);
    StageData data;
    data.batch = &x0;
    data.examples = RbmData::rows_of(x0);
    data.pretrained_layers = L;
    data.seed = exp_.seed;
    data.cancel = cancel;
    StageOutcome outcome;
    spec.scheme->stage->fit(spec, exp_.activation, data, start[c], outcome);
    cols_[c].lsuv_rounds = std::move(outcome.lsuv_rounds);
  }
  for (size_t c = 0; c < cols_.size(); ++c) {
    cols_[c].w = std::move(start[c].w);
    cols_[c].b = std::move(start[c].b);
    cols_[c].packed.resize(static_cast<size_t>(L));
  }

#pragma omp parallel for schedule(dynamic) if (static_cast <int64_t>(C) * L > 1)
  for (int64_t k = 0; k < static_cast<int64_t>(C) * L; ++k) {
    Column& col = cols_[static_cast<size_t>(k / L)];
    const int l = static_cast<int>(k % L);
    const Eigen::MatrixXf& w = col.w[l];
    const double n = static_cast<double>(w.size());
    const double mean = w.cast<double>().sum() / n;
    const double var = (w.cast<double>().array() - mean).square().sum() / n;
    col.weight_moments[l] = {mean, std::sqrt(var)};
    col.weight_norm[l] = std::sqrt(w.cast<double>().squaredNorm());
    col.packed[l] = gemm::PackedWeights(w, exp_.bias ? &col.b[l] : nullptr);
  }
  update_index_ = 0;
  batches_ = 0;
}

void Simulation::input_batch(uint64_t update, Eigen::MatrixXf& x) const {
  x.resize(exp_.batch, exp_.resolved_input_dim());
  // Blocks of values from their own streams, drawn in parallel: the same batch whatever the
  // number of threads (one stream for all would leave a core idle for ≈ 1.5 ms per update).
  constexpr int64_t kBlock = 1 << 16;
  const uint64_t update_seed = Rng::stream(exp_.seed, kInputStream, update).next();
  const int64_t n = x.size(), blocks = (n + kBlock - 1) / kBlock;
  float* data = x.data();
#pragma omp parallel for schedule(static) if (blocks > 1)
  for (int64_t b = 0; b < blocks; ++b) {
    Rng r = Rng::stream(update_seed, static_cast<uint64_t>(b));
    fill_values(exp_.input, data + b * kBlock,
                static_cast<size_t>(std::min(kBlock, n - b * kBlock)), r);
  }
}

void Simulation::reset_stats() {
  for (Column& col : cols_) {
    for (auto& a : col.pre) a = StatsAccumulator{};
    for (auto& a : col.act) a = StatsAccumulator{};
    for (auto& a : col.grad_act) a = StatsAccumulator{};
    for (auto& a : col.grad_w) a = StatsAccumulator{};
    std::fill(col.grad_norm_sum.begin(), col.grad_norm_sum.end(), 0.0);
    col.loss_sum = 0;
  }
  batches_ = 0;
}

// A gradient's accumulator for the first batch since a reset: a nice range from this batch —
// kept from earlier updates unless the data left it or shrank below a quarter of it, so live
// histograms do not jump between frames (the forward pass does the same for Z and A).
StatsAccumulator Simulation::gradient_accumulator(const Eigen::MatrixXf& m,
                                                  std::vector<Range>& ranges, int l) const {
  Range& r = ranges[static_cast<size_t>(l)];
  r = stable_range(r, m.data(), static_cast<size_t>(m.size()));
  return StatsAccumulator(r.lo, r.hi, exp_.bins, SaturationRule::None);
}

bool Simulation::update(const std::atomic<bool>* cancel, const Progress& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  const int L = exp_.layers;
  // X: B×d0, the same batch for every column (a fair comparison).
  input_batch(update_index_, x_);
  const bool grad = exp_.gradients;
  const int total = static_cast<int>(cols_.size()) * L * (grad ? 2 : 1);
  int done = 0;
  std::mutex progress_mu;  // columns may finish layers on several threads at once
  auto count = [&](int layers) {
    std::lock_guard<std::mutex> lock(progress_mu);
    done += layers;
    if (progress) progress(done, total);
  };
  auto sinks_of = [L](Column& col) {
    std::vector<LayerSink> sinks(static_cast<size_t>(L));
    for (int l = 0; l < L; ++l)
      sinks[l] = {&col.pre[l], &col.act[l], &col.pre_range[l], &col.act_range[l]};
    return sinks;
  };
  // Whole columns per thread when they share out evenly: no thread ever waits for another
  // (rows split across threads meet once per layer). With gradients the columns take turns:
  // each keeps every layer's Z and A for its backward pass.
  const int threads = omp_get_max_threads();
  const int columns = static_cast<int>(cols_.size());
  const bool by_column = !grad && threads > 1 && columns % threads == 0;
  forwards_.resize(by_column ? static_cast<size_t>(threads) : 1);
  if (by_column) {
    std::atomic<bool> stopped{false};
    RegionExceptions errors;  // a column's exception, rethrown after the region
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int c = 0; c < columns; ++c) {
      if (stopped) continue;
      errors.capture([&] {
        ForwardOptions o;
        o.threads = 1;
        o.cancel = cancel;
        o.layer_done = [&] { count(1); };
        if (!forwards_[static_cast<size_t>(omp_get_thread_num())].run(
                x_, cols_[c].packed, exp_.activation, exp_.bins, sinks_of(cols_[c]), o))
          stopped = true;
      });
      if (errors.failed()) stopped = true;
    }
    errors.rethrow();
    if (stopped) return false;
  } else {
    for (Column& col : cols_) {
      ForwardOptions o;
      o.keep_z = grad ? &zs_ : nullptr;
      o.keep_a = grad ? &as_ : nullptr;
      o.cancel = cancel;
      o.layer_done = [&] { count(1); };
      if (!forwards_[0].run(x_, col.packed, exp_.activation, exp_.bins, sinks_of(col), o))
        return false;
      if (grad) {
        if (!backward(col, cancel)) return false;
        count(L);
      }
    }
  }
  ++update_index_;
  ++batches_;
  last_ms_ =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return true;
}

// Back-propagates the loss through every layer of `col` (its Z and A are in zs_, as_) and
// accumulates the statistics of dL/dA and dL/dW. Every column gets the same loss targets.
bool Simulation::backward(Column& col, const std::atomic<bool>* cancel) {
  const int L = exp_.layers;
  Rng targets = Rng::stream(exp_.seed, kLossStream, update_index_);
  col.loss_sum += loss_gradient(exp_.loss, as_[L - 1], targets, d_a_);
  for (int l = L - 1; l >= 0; --l) {
    if (cancelled(cancel)) return false;
    if (col.grad_act[l].empty())
      col.grad_act[l] = gradient_accumulator(d_a_, col.grad_act_range, l);
    col.grad_act[l].add(d_a_.data(), static_cast<size_t>(d_a_.size()));
    const Eigen::MatrixXf& a_prev = l == 0 ? x_ : as_[l - 1];
    layer_backward(exp_.activation, d_a_, zs_[l], a_prev, col.w[l], d_z_, d_w_,
                   l > 0 ? &d_a_prev_ : nullptr);
    if (col.grad_w[l].empty()) col.grad_w[l] = gradient_accumulator(d_w_, col.grad_w_range, l);
    col.grad_w[l].add(d_w_.data(), static_cast<size_t>(d_w_.size()));
    col.grad_norm_sum[l] += std::sqrt(d_w_.cast<double>().squaredNorm());
    if (l > 0) d_a_.swap(d_a_prev_);
  }
  return true;
}

Snapshot Simulation::snapshot() const {
  Snapshot s;
  s.experiment = exp_;
  s.theory = theory_;
  s.update_index = update_index_;
  s.batches = batches_;
  s.update_ms = last_ms_;
  for (size_t c = 0; c < cols_.size(); ++c) {
    const Column& col = cols_[c];
    ColumnStats cs;
    cs.init = exp_.inits[c].text;
    cs.description = describe(exp_.inits[c], exp_.fan_in(1), exp_.width(1), exp_.activation);
    cs.loss = batches_ > 0 ? col.loss_sum / batches_ : 0;
    cs.lsuv_rounds = col.lsuv_rounds;
    for (int l = 0; l < exp_.layers; ++l) {
      LayerStats ls;
      ls.layer = l + 1;
      ls.fan_in = exp_.fan_in(l + 1);
      ls.fan_out = exp_.width(l + 1);
      ls.weight_mean = col.weight_moments[l].first;
      ls.weight_std = col.weight_moments[l].second;
      ls.preact = col.pre[l].result();
      ls.act = col.act[l].result();
      if (exp_.gradients && batches_ > 0) {
        ls.has_grad = true;
        ls.grad_act = col.grad_act[l].result();
        ls.grad_weight = col.grad_w[l].result();
        ls.grad_norm = col.grad_norm_sum[l] / batches_;
        ls.grad_ratio = col.weight_norm[l] > 0 ? ls.grad_norm / col.weight_norm[l] : 0;
      }
      cs.layers.push_back(std::move(ls));
    }
    s.columns.push_back(std::move(cs));
  }
  return s;
}

Snapshot Simulation::run(const Experiment& e) {
  Simulation sim(e);
  for (int k = 0; k < e.updates; ++k) sim.update();
  return sim.snapshot();
}

}  // namespace initscope
