#include "simulation.h"

#include <omp.h>

#include <chrono>
#include <cmath>
#include <mutex>

#include "core/engine/backprop.h"
#include "core/engine/stats_kernels.h"
#include "core/engine/threading.h"
#include "core/init/data_stage.h"
#include "core/init/start_weights.h"
#include "core/theory/correlation_map.h"
#include "error.h"
#include "region_exceptions.h"

namespace initscope {
namespace {

const uint64_t kInputStream = hash_text("input batch");
const uint64_t kLossStream = hash_text("loss targets");
const uint64_t kPairStream = hash_text("input pairs");

// Mean over the row pairs (2i, 2i+1) of Z (B × n, in the forward pass's row panels) of their
// cosine and of their mean square. Each pair's sums run over the columns in order, a panel's
// MR / 2 pairs side by side (independent chains, where one pair at a time was one chain of
// dependent double adds).
void add_pair_moments(const gemm::PanelMatrix& z, double& c, double& q) {
  constexpr int kPanelPairs = gemm::kTileRows / 2;
  const int pairs = z.rows() / 2, n = z.cols();
  double c_sum = 0, q_sum = 0;
  for (int panel = 0; panel * kPanelPairs < pairs; ++panel) {
    double s11[kPanelPairs] = {}, s22[kPanelPairs] = {}, s12[kPanelPairs] = {};
    for (int p = 0; p < z.column_panels(); ++p) {
      const float* t = z.tile(panel, p);
      const int cols = std::min(gemm::kTileCols, n - p * gemm::kTileCols);
      for (int j = 0; j < cols; ++j, t += gemm::kTileRows) {
        for (int k = 0; k < kPanelPairs; ++k) {
          const double a = t[2 * k], b = t[2 * k + 1];
          s11[k] += a * a;
          s22[k] += b * b;
          s12[k] += a * b;
        }
      }
    }
    for (int k = 0; k < std::min(kPanelPairs, pairs - panel * kPanelPairs); ++k) {
      c_sum += s12[k] / std::sqrt(s11[k] * s22[k]);
      q_sum += (s11[k] + s22[k]) / (2.0 * static_cast<double>(n));
    }
  }
  c = c_sum / static_cast<double>(pairs);
  q = q_sum / static_cast<double>(pairs);
}

}  // namespace

// The fused forward pass (engine/forward_pass.h) runs every column when no column is residual
// and, with gradients, none has a norm (the norm's backward pass is the block engine's); else
// the block engine runs every column.
bool Simulation::fused_forward(const Experiment& e) {
  for (size_t c = 0; c < e.inits.size(); ++c) {
    const Architecture a = e.column_arch(c);
    if (a.residual_net() || (e.gradients && a.norm != NormKind::None)) return false;
  }
  return true;
}

// One update's work (engine/threading.h): per column and layer B·fan_in·fan_out multiply-adds
// and B·fan_out values for each statistic (≈ 8 per value: Z, A, histogram slots), three times
// that with gradients.
int64_t Simulation::update_work(const Experiment& e) {
  int64_t per_column = 0;
  for (int l = 1; l <= e.layers; ++l)
    per_column += static_cast<int64_t>(e.batch) * (e.fan_in(l) + 8) * e.width(l);
  return per_column * static_cast<int64_t>(e.inits.size()) * (e.gradients ? 3 : 1);
}

Simulation::Simulation(Experiment e, const std::atomic<bool>* cancel, SimulationOutputs outputs)
    : exp_(std::move(e)), outputs_(outputs) {
  exp_.validate();
  exp_.check_memory();
  draw_weights(cancel);
  if (outputs_.theory) {
    // With the signal plot's quadrature a column's prediction takes ≈ 12 ms (47 ms for the
    // `compare` preset's 4, BM_StatsParts): the columns on every thread. Without it ≈ 0.6 ms,
    // not worth a region.
    const int64_t columns = static_cast<int64_t>(exp_.inits.size());
    theory_.resize(exp_.inits.size());
    RegionExceptions errors;
#pragma omp parallel for schedule(dynamic) if (outputs_.signal_theory && columns > 1)
    for (int64_t c = 0; c < columns; ++c)
      errors.capture([&] {
        const size_t k = static_cast<size_t>(c);
        theory_[k] = predict(exp_, exp_.inits[k], outputs_.signal_theory);
      });
    errors.rethrow();
  }
  if (outputs_.pair_correlation) measure_pairs();
}

// Per plain column: the first outputs_.pairs pairs' c^l and, with the theory, the c-map's.
// Measured once per weight draw (the weights do not change between updates): a forward pass of
// 2·pairs rows per column, plus one 2-D quadrature per layer for the theory.
void Simulation::measure_pairs() {
  pairs_.assign(cols_.size(), PairCorrelation{});
  if (exp_.batch < 2) {
    for (PairCorrelation& p : pairs_) p.note = "needs a batch of 2 or more";
    return;
  }
  for (size_t c = 0; c < cols_.size(); ++c) {
    PairCorrelation& p = pairs_[c];
    const Architecture arch = exp_.column_arch(c);
    if (!arch.plain()) {
      p.note = arch.residual_net() ? "not measured for residual networks"
                                   : "not measured with a norm layer";
      continue;
    }
    p.measured = pair_profile(c, outputs_.pair_start, outputs_.pairs).c;
  }
  // The c-map: a 2-D quadrature per layer, ≈ 17 ms per 10-layer tanh column (bench_sweep.cpp's
  // BM_StatsParts) against ≈ 4 ms for the measurement — the columns on every thread.
  const int64_t columns = static_cast<int64_t>(std::min(cols_.size(), theory_.size()));
#pragma omp parallel for schedule(dynamic) if (columns > 1)
  for (int64_t c = 0; c < columns; ++c) {
    PairCorrelation& p = pairs_[static_cast<size_t>(c)];
    if (!p.measured.empty())
      p.predicted =
          predicted_pair_correlation(exp_, exp_.inits[static_cast<size_t>(c)],
                                     theory_[static_cast<size_t>(c)], outputs_.pair_start);
  }
}

// Layer l's weight mean, std (two passes: exact enough when |mean| ≫ std) and norm, and its
// packed copy, while w is in cache.
void Simulation::take_weights(Column& col, int l, const Eigen::MatrixXf& w,
                              const Eigen::RowVectorXf* b) const {
  const size_t size = static_cast<size_t>(w.size());
  const auto [sum, squares] = double_sums(w.data(), size);
  const double n = static_cast<double>(size);
  const double mean = sum / n;
  col.weight_moments[l] = {mean, std::sqrt(squared_deviations(w.data(), size, mean) / n)};
  col.weight_norm[l] = std::sqrt(squares);
  if (fused_) col.packed[l] = gemm::PackedWeights(w, b);
}

void Simulation::draw_weights(const std::atomic<bool>* cancel) {
  const int L = exp_.layers;
  fused_ = fused_forward(exp_);
  threads_ = threads_for_work(update_work(exp_));
  cols_.assign(exp_.inits.size(), Column{});
  for (Column& col : cols_) {
    col.weight_moments.resize(L);
    col.acc.assign(static_cast<size_t>(L), LayerAccumulators{});
    col.weight_norm.assign(L, 0.0);
    col.loss_sum = 0;
    if (fused_) col.packed.resize(static_cast<size_t>(L));
  }
  // Columns without a data stage start from the weights as drawn: their moments and packing are
  // taken on the drawing thread while each layer is in cache (reading the `compare` preset's 40
  // MB of weights again, four times, cost ≈ 20 ms of its 46 ms build, BM_StatsParts). A
  // forward-only fused column then drops W: `compare` faults in 56 MB instead of 94 (`stats`
  // 154 against 164 ms, median, on the AVX-512 VM of issue 15's fifth pass).
  auto fitted = [this](size_t c) { return exp_.inits[c].scheme->stage != nullptr; };
  const bool keep_w = !fused_ || exp_.gradients;
  std::vector<StartWeights> start =
      draw_start_weights(exp_, cancel, [&](size_t c, int l, StartWeights& drawn) {
        if (fitted(c)) return;
        take_weights(cols_[c], l, drawn.w[l], exp_.bias ? &drawn.b[l] : nullptr);
        if (!keep_w) drawn.w[l] = Eigen::MatrixXf();
      });
  // Data-driven inits (lsuv, rbm) are fitted on the batch of the first update (the training
  // mode uses its probe batch and the training images instead, trainer.h).
  Eigen::MatrixXf x0;
  std::vector<int64_t> fitted_layers;  // c·L + l of the fitted columns' layers
  for (size_t c = 0; c < cols_.size(); ++c) {
    const InitSpec& spec = exp_.inits[c];
    if (!fitted(c)) continue;
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
    for (int l = 0; l < L; ++l) fitted_layers.push_back(static_cast<int64_t>(c) * L + l);
  }
  for (size_t c = 0; c < cols_.size(); ++c) {
    Column& col = cols_[c];
    col.w = std::move(start[c].w);
    col.b = std::move(start[c].b);
    if (!fused_) {
      // A residual column of a training experiment ends in the classifier, not in a block
      // (Experiment::validate_architectures lets its width differ): as a block, its pre-norm
      // read γ of the classifier's width over the stream's — garbage, past the end of γ.
      const Architecture arch = exp_.column_arch(c);
      col.block.emplace(arch, exp_.activation, col.w, col.b,
                        /*head=*/exp_.training.has_value() && arch.residual_net());
      continue;
    }
    const Architecture arch = exp_.column_arch(c);
    col.norm = arch.norm;
    if (col.norm == NormKind::None) continue;
    for (int l = 0; l < L; ++l) {  // γ = --norm-gain, β = 0 (block_net.h's init_norm_params)
      const Eigen::Index n = exp_.width(l + 1);
      col.gamma.push_back(Eigen::RowVectorXf::Constant(n, static_cast<float>(arch.norm_gain)));
      col.beta.push_back(Eigen::RowVectorXf::Zero(n));
    }
  }
  const int64_t fitted_count = static_cast<int64_t>(fitted_layers.size());
#pragma omp parallel for schedule(dynamic) if (threads_ > 1 && fitted_count > 1)
  for (int64_t k = 0; k < fitted_count; ++k) {
    Column& col = cols_[static_cast<size_t>(fitted_layers[k] / L)];
    const int l = static_cast<int>(fitted_layers[k] % L);
    take_weights(col, l, col.w[l], exp_.bias ? &col.b[l] : nullptr);
  }
  update_index_ = 0;
  batches_ = 0;
}

Eigen::MatrixXf Simulation::weight(size_t column, int layer) const {
  const Column& col = cols_.at(column);
  const Eigen::MatrixXf& w = col.w.at(static_cast<size_t>(layer));
  return w.size() > 0 || col.packed.empty() ? w : col.packed[static_cast<size_t>(layer)].unpack();
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
    for (LayerAccumulators& a : col.acc) a.reset();
    col.loss_sum = 0;
  }
  batches_ = 0;
}

bool Simulation::update(const std::atomic<bool>* cancel, const Progress& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  // X: B×d0, the same batch for every column (a fair comparison).
  input_batch(update_index_, x_);
  const int total = static_cast<int>(cols_.size()) * exp_.layers * (exp_.gradients ? 2 : 1);
  int done = 0;
  std::mutex progress_mu;  // columns may finish layers on several threads at once
  auto count = [&](int layers) {
    std::lock_guard<std::mutex> lock(progress_mu);
    done += layers;
    if (progress) progress(done, total);
  };
  if (!(fused_ ? update_plain(cancel, count) : update_blocks(cancel, count))) return false;
  ++update_index_;
  ++batches_;
  last_ms_ =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return true;
}

bool Simulation::update_plain(const std::atomic<bool>* cancel, const CountLayers& count) {
  const int L = exp_.layers;
  const bool grad = exp_.gradients;
  auto sinks_of = [L](Column& col) {
    std::vector<LayerSink> sinks(static_cast<size_t>(L));
    for (int l = 0; l < L; ++l) {
      LayerAccumulators& a = col.acc[static_cast<size_t>(l)];
      sinks[l] = {&a.pre.acc, &a.act.acc, &a.pre.range, &a.act.range, &a.sq_mean_sum, &a.var_sum};
      if (col.norm != NormKind::None) {
        sinks[l].normed = &a.normed.acc;
        sinks[l].normed_range = &a.normed.range;
      }
    }
    return sinks;
  };
  // A column's options: its norm, and the layer statistics unless the outputs skip them (a pass
  // without statistics is for plain layers only).
  auto options_of = [this](const Column& col) {
    ForwardOptions o;
    o.norm = col.norm;
    o.gamma = &col.gamma;
    o.beta = &col.beta;
    o.statistics = outputs_.layer_statistics || col.norm != NormKind::None;
    return o;
  };
  // Whole columns per thread when they share out evenly: no thread ever waits for another
  // (rows split across threads meet once per layer). With gradients the columns take turns:
  // each keeps every layer's Z and A for its backward pass.
  const int threads = threads_;
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
        ForwardOptions o = options_of(cols_[c]);
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
    return !stopped;
  }
  for (Column& col : cols_) {
    ForwardOptions o = options_of(col);
    o.threads = threads_;
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
  return true;
}

// Every column through the block engine (engine/block_stats.h), whole columns per thread when
// they share out evenly and there is no backward pass (as the fused pass does); otherwise one
// column at a time, Eigen's products on the OpenMP pool.
bool Simulation::update_blocks(const std::atomic<bool>* cancel, const CountLayers& count) {
  const int threads = threads_;
  const int columns = static_cast<int>(cols_.size());
  const bool by_column = !exp_.gradients && threads > 1 && columns % threads == 0;
  block_scratch_.resize(by_column ? static_cast<size_t>(threads) : 1);
  BlockUpdate u;
  u.x = &x_;
  u.bins = exp_.bins;
  u.gradients = exp_.gradients;
  u.loss = exp_.loss;
  u.targets = Rng::stream(exp_.seed, kLossStream, update_index_);
  u.cancel = cancel;
  u.layer_done = [&] { count(1); };
  std::atomic<bool> stopped{false};
  RegionExceptions errors;
#pragma omp parallel for num_threads(threads) schedule(static) if (by_column)
  for (int c = 0; c < columns; ++c) {
    if (stopped || (cancel != nullptr && cancel->load(std::memory_order_relaxed))) {
      stopped = true;
      continue;
    }
    errors.capture([&] {
      Column& col = cols_[static_cast<size_t>(c)];
      BlockScratch& s = block_scratch_[by_column ? static_cast<size_t>(omp_get_thread_num()) : 0];
      double loss = 0;
      if (!col.block->update(u, s, col.acc, loss)) stopped = true;
      col.loss_sum += loss;
      if (exp_.gradients) count(exp_.layers);
    });
    if (errors.failed()) stopped = true;
  }
  errors.rethrow();
  return !stopped;
}

// Back-propagates the loss through every layer of `col` (its Z and A are in zs_, as_) and
// accumulates the statistics of dL/dA and dL/dW. Every column gets the same loss targets.
bool Simulation::backward(Column& col, const std::atomic<bool>* cancel) {
  const int L = exp_.layers;
  Rng targets = Rng::stream(exp_.seed, kLossStream, update_index_);
  col.loss_sum += loss_gradient(exp_.loss, as_[L - 1], targets, d_a_);
  const bool stats = outputs_.layer_statistics;
  for (int l = L - 1; l >= 0; --l) {
    if (cancel_requested(cancel)) return false;
    LayerAccumulators& a = col.acc[static_cast<size_t>(l)];
    if (stats) a.grad_act.add(d_a_, exp_.bins, SaturationRule::None);
    const Eigen::MatrixXf& a_prev = l == 0 ? x_ : as_[l - 1];
    layer_backward(exp_.activation, d_a_, zs_[l], a_prev, col.w[l], d_z_, d_w_,
                   l > 0 ? &d_a_prev_ : nullptr, backward_products_);
    if (stats) a.grad_w.add(d_w_, exp_.bins, SaturationRule::None);
    a.grad_norm_sum += std::sqrt(d_w_.cast<double>().squaredNorm());
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
  s.pairs = pairs_;
  s.pair_start = outputs_.pair_start;
  s.pair_count = pairs_.empty() ? 0 : std::min(outputs_.pairs, exp_.batch / 2);
  for (size_t c = 0; c < cols_.size(); ++c) {
    const Column& col = cols_[c];
    ColumnStats cs;
    cs.init = exp_.inits[c].text;
    cs.description = describe(exp_.inits[c], exp_.fan_in(1), exp_.width(1),
                              init_activation(exp_, exp_.inits[c], 1));
    cs.loss = batches_ > 0 ? col.loss_sum / batches_ : 0;
    cs.lsuv_rounds = col.lsuv_rounds;
    for (int l = 0; l < exp_.layers; ++l) {
      LayerStats ls;
      ls.layer = l + 1;
      ls.fan_in = exp_.fan_in(l + 1);
      ls.fan_out = exp_.width(l + 1);
      ls.weight_mean = col.weight_moments[l].first;
      ls.weight_std = col.weight_moments[l].second;
      col.acc[static_cast<size_t>(l)].fill(batches_, exp_.gradients, col.weight_norm[l], ls);
      cs.layers.push_back(std::move(ls));
    }
    s.columns.push_back(std::move(cs));
  }
  return s;
}

Simulation::PairProfile Simulation::pair_profile(size_t column, double start_correlation,
                                                 int max_pairs) {
  if (!exp_.column_arch(column).plain())
    throw UsageError("pair correlations: plain networks only (no --norm, no --residual)");
  if (exp_.batch < 2) throw UsageError("--batch 1: pair correlations need a batch of 2 or more");
  const int L = exp_.layers;
  const Eigen::Index drawn = exp_.batch / 2, d0 = exp_.resolved_input_dim();
  const Eigen::Index pairs = max_pairs > 0 ? std::min<Eigen::Index>(max_pairs, drawn) : drawn;
  // X: 2·pairs × d0, rows 2i and 2i+1 the pair. x₁ and x′ are drawn into Eigen's aligned
  // storage (d0 × ⌊B/2⌋, one example per column), as input_batch draws: fill_values's vector
  // path depends on where a buffer starts, a std::vector's start would change the last bits.
  // All ⌊B/2⌋ are drawn so that the first `pairs` are the same whatever max_pairs is.
  Eigen::MatrixXf x1(d0, drawn), x2(d0, drawn);
  Rng rng = Rng::stream(exp_.seed, kPairStream, 0);
  fill_values(exp_.input, x1.data(), static_cast<size_t>(x1.size()), rng);
  fill_values(exp_.input, x2.data(), static_cast<size_t>(x2.size()), rng);
  Eigen::MatrixXf x(2 * pairs, d0);
  const double r = start_correlation, r_other = std::sqrt(std::max(0.0, 1 - r * r));
  for (Eigen::Index p = 0; p < pairs; ++p) {
    for (Eigen::Index j = 0; j < d0; ++j) {
      x(2 * p, j) = x1(j, p);
      x(2 * p + 1, j) = static_cast<float>(r * x1(j, p) + r_other * x2(j, p));
    }
  }
  // Z only: a pass without statistics, so no sinks.
  PairProfile profile;
  profile.c.resize(static_cast<size_t>(L));
  profile.q.resize(static_cast<size_t>(L));
  ForwardOptions o;
  o.statistics = false;
  o.z_done = [&profile](int l, const gemm::PanelMatrix& z) {
    add_pair_moments(z, profile.c[static_cast<size_t>(l)], profile.q[static_cast<size_t>(l)]);
  };
  // A few pairs (the depth profiles' 16) on one thread: rows split over threads meet once per
  // layer, and beside the exporter's GL set-up those meetings cost 0.4 s of spinning (measured,
  // `export --preset compare`); the whole batch (a sweep row) as its update runs.
  o.threads = 2 * pairs == exp_.batch ? 0 : 1;
  // The batch's own forward pass when the rows are the batch's (its buffers fit), else one of
  // its own (resizing the batch's would reallocate them for the next update).
  forwards_.resize(std::max<size_t>(forwards_.size(), 1));
  ForwardPass& pass = 2 * pairs == exp_.batch ? forwards_[0] : pair_forward_;
  // A plain column beside residual ones runs on the block engine: its weights packed here.
  const Column& col = cols_.at(column);
  std::vector<gemm::PackedWeights> packed_here;
  if (col.packed.empty())
    for (int l = 0; l < L; ++l) packed_here.emplace_back(col.w[l], exp_.bias ? &col.b[l] : nullptr);
  pass.run(x, col.packed.empty() ? packed_here : col.packed, exp_.activation, exp_.bins, {}, o);
  return profile;
}

Snapshot Simulation::run(const Experiment& e, SimulationOutputs outputs) {
  Simulation sim(e, nullptr, outputs);
  for (int k = 0; k < e.updates; ++k) sim.update();
  return sim.snapshot();
}

}  // namespace initscope
