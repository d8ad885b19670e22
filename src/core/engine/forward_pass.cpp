#include "forward_pass.h"

#include <omp.h>

#include <algorithm>
#include <cfloat>
#include <optional>
#include <stdexcept>
#include <utility>

#include "block_stats.h"
#include "core/error.h"
#include "forward_pass_parts.h"

namespace initscope {

using namespace forward_tiles;

namespace {

// The histogram of this thread's values of m (its panels), into counts (base 0).
void bin_panels(const PanelMatrix& m, int q0, int q1, const Binning& b, int32_t* slots,
                uint32_t* counts) {
  for (int q = q0; q < q1; ++q) {
    for (int p = 0; p < m.column_panels(); ++p) {
      for_each_valid_run(m.tile(q, p), m.rows_in_panel(q), cols_in_panel(m, p),
                         [&](const float* v, int n) {
                           histogram_slots(v, static_cast<size_t>(n), b, 0, slots);
                           count_slots(slots, static_cast<size_t>(n), counts);
                         });
    }
  }
}

}  // namespace

void ForwardPass::add_channel_sums(const float* tile, int rows, int p, Share& me) {
  const size_t at = static_cast<size_t>(p) * kTileSize;
  add_channel_lanes_of_tile(tile, rows, me.channel_sum.data() + at, me.channel_sq.data() + at);
}

ForwardPass::ForwardPass() = default;
ForwardPass::ForwardPass(ForwardPass&&) noexcept = default;
ForwardPass& ForwardPass::operator=(ForwardPass&&) noexcept = default;
ForwardPass::~ForwardPass() = default;

bool ForwardPass::run(const Eigen::MatrixXf& x, const std::vector<gemm::PackedWeights>& w,
                      const Activation& act, int bins, const std::vector<LayerSink>& sinks,
                      const ForwardOptions& options) {
  if (cancel_requested(options.cancel)) return false;
  const Binning layout(0, 1, bins);  // every quantity has `bins` bins: the same copy layout
  const Job job{x,
                w,
                act,
                sinks,
                options,
                static_cast<int>(w.size()),
                static_cast<int>(x.rows()),
                bins,
                layout.copies_size(),
                saturation_rule(act),
                act.bounded_range(),
                options.norm == NormKind::None ? 2 : 3};
  if (options.norm != NormKind::None) {
    for (const LayerSink& s : sinks) {
      if (s.normed == nullptr || s.normed_range == nullptr)
        throw std::logic_error("ForwardPass: a norm needs every sink's normed accumulator");
    }
    if (options.gamma == nullptr || options.beta == nullptr)
      throw std::logic_error("ForwardPass: a norm needs gamma and beta");
  }
  if (!options.statistics && options.norm != NormKind::None)
    throw std::logic_error("ForwardPass: a pass without statistics is for plain layers only");
  size_buffers(job);
  const int pool = options.threads > 0 ? options.threads : omp_get_max_threads();
  const int threads = std::max(1, std::min(pool, x_.panels()));
  shares_.resize(static_cast<size_t>(threads));
  for (Share& s : shares_) {
    s.counts.assign(static_cast<size_t>(job.quantities) * job.copies, 0);
    s.slots.assign(2 * kStatsTiles * kTileSize, 0);
  }
  Meeting meeting;
  plan_layer(job, 0, meeting);
#pragma omp parallel num_threads(threads)
  run_thread(job, meeting);
  meeting.errors.rethrow();
  return !meeting.stop;
}

// Before the region, one thread: every buffer sized once for the widest layer (B × widest), so
// that plan_layer's reshape() never reallocates; the kept Z and A sized B × fan_out per layer.
void ForwardPass::size_buffers(const Job& job) {
  int widest = 0;
  for (const auto& pw : job.w) widest = std::max(widest, pw.cols());
  x_.reshape(job.batch, static_cast<int>(job.x.cols()));
  z_.reshape(job.batch, widest);
  a_[0].reshape(job.batch, widest);
  a_[1].reshape(job.batch, widest);
  std::vector<Eigen::MatrixXf>* keep[2] = {job.options.keep_z, job.options.keep_a};
  for (std::vector<Eigen::MatrixXf>* k : keep) {
    if (!k) continue;
    k->resize(static_cast<size_t>(job.layers));
    for (int l = 0; l < job.layers; ++l) (*k)[l].resize(job.batch, job.w[l].cols());
  }
}

// Before layer l, one thread while the others wait (before the region for layer 0, inside the
// `single` of layer l − 1's last meeting otherwise): the shapes of its outputs, B × fan_out —
// reshape() keeps the storage, and a_[l % 2] was last read by layer l − 1 as its input, which
// every thread has finished — and how its Z and A are binned.
void ForwardPass::plan_layer(const Job& job, int l, Meeting& m) {
  const gemm::PackedWeights& wl = job.w[static_cast<size_t>(l)];
  z_.reshape(job.batch, wl.cols());
  a_[l % 2].reshape(job.batch, wl.cols());
  if (!job.options.statistics) return;
  const LayerSink& sink = job.sinks[static_cast<size_t>(l)];
  const StatsAccumulator* accs[3] = {sink.pre, sink.act, sink.normed};
  const Range* kept[3] = {sink.pre_range, sink.act_range, sink.normed_range};
  if (job.options.norm == NormKind::Layer || job.options.norm == NormKind::Rms)
    set_feature_lanes(job, l);
  for (int k = 0; k < job.quantities; ++k) {
    Plan& p = m.plan[k];
    if (!accs[k]->empty()) {
      p = {true, true, {accs[k]->lo(), accs[k]->hi()}};
    } else if (k == kQuantityA && job.bounded) {
      p = {true, true, {job.bounded->first, job.bounded->second}};
    } else {
      // Bin with the range kept from the last update and check it after the layer: it stays
      // right while the data stay put, the common case of a live simulation. With none kept (a
      // first update) the guess is the range this quantity settled on in the layer before (still
      // in p): nice_range often gives neighbouring layers the same one. A wrong guess costs what
      // no guess does, binning again after the layer; the settled range is stable_range's on the
      // kept one either way.
      const bool have = kept[k]->hi > kept[k]->lo;
      const Range guess = have ? *kept[k] : (l > 0 ? p.range : Range{0, 0});
      p = {false, guess.hi > guess.lo, guess};
    }
  }
}

// Every thread, its own rows through every layer. Layer l's phases and meeting points:
//   forward_rows        own rows: Z_l, A_l (B_t × fan_out) and their statistics; no meeting
//                       needed before it — its input rows are this thread's own, and the
//                       plan it reads was published by the barrier ending the last meeting
//   barrier 1           every share complete before one thread reads them all
//   single: meet — settle_ranges (+ merge_layer when no range moved)
//   barrier 2           the ranges, rebin flags, next plan and stop seen by every thread;
//                       the shares merged before any thread overwrites its own
//   if a range moved:   rebin_rows (own rows), barrier 3, single: meet — merge_layer, barrier 4
// Every phase runs through m.errors.capture: an exception may not leave the region.
// The `single`s are `nowait` and their barriers written out: correctness depends on each.
void ForwardPass::run_thread(const Job& job, Meeting& m) {
  const int nt = omp_get_num_threads(), id = omp_get_thread_num();
  Share& me = shares_[static_cast<size_t>(id)];
  me.q0 = x_.panels() * id / nt;
  me.q1 = x_.panels() * (id + 1) / nt;
  x_.pack_rows(job.x, me.q0, me.q1);  // own rows: only this thread reads them in layer 0
  for (int l = 0; l < job.layers && !m.stop; ++l) {
    layer_rows(job, l, m, me);
#pragma omp barrier
#pragma omp single nowait
    meet(job, l, nt, m, /*rebinned=*/false);
#pragma omp barrier
    if (m.rebin[0] || m.rebin[1] || m.rebin[2]) {
      m.errors.capture([&] { rebin_rows(job, l, m, me); });
#pragma omp barrier
#pragma omp single nowait
      meet(job, l, nt, m, /*rebinned=*/true);
#pragma omp barrier
    }
  }
}

// Layer l's phase before its meeting, on this thread's rows: the plain layer, or one with a norm
// (forward_norm.cpp). BatchNorm's meets once inside (its barriers run on every thread).
void ForwardPass::layer_rows(const Job& job, int l, Meeting& m, Share& me) {
  switch (job.options.norm) {
    case NormKind::None:
      m.errors.capture([&] { forward_rows(job, l, m, me); });
      break;
    case NormKind::Batch:
      forward_batch_norm_rows(job, l, m, me);
      break;
    case NormKind::Layer:
    case NormKind::Rms:
      m.errors.capture([&] { forward_row_norm_rows(job, l, m, me); });
      break;
  }
}

// One thread's rows [q0·MR, q1·MR) of layer l: Z = A_{l−1}·W_l + b_l tile by tile (MR × NR),
// A = φ(Z), the moments and histogram slots of kStatsTiles tiles at a time taken while they are
// in L1; their slots are counted during the next tiles' products (tile_product's PendingCounts).
// Writes only this thread's rows of z_, a_[l % 2], its Share, and its rows of the kept Z and A.
void ForwardPass::forward_rows(const Job& job, int l, const Meeting& m, Share& me) {
  const gemm::PackedWeights& wl = job.w[static_cast<size_t>(l)];
  PanelMatrix& out = a_[l % 2];
  const LayerBinnings b(m, job.quantities, job.bins);
  const Binning* ba = b.of[kQuantityA];
  // Locals, not job's fields: the slot stores below (int32) could alias those for the compiler.
  const int copies = job.copies;
  const SaturationRule act_rule = job.act_rule;
  begin_layer_share(job, l, me);
  const bool stats = job.options.statistics;
  const bool channels = stats && job.sinks[static_cast<size_t>(l)].sq_mean_sum != nullptr;
  int pending = 0;
  for (int q = me.q0; q < me.q1; ++q) {
    const int rows = out.rows_in_panel(q);
    for (int p0 = 0; p0 < wl.panels(); p0 += kStatsTiles) {
      const int p1 = std::min(wl.panels(), p0 + kStatsTiles);
      product_tiles(job, l, b, q, p0, p1, me, pending);
      job.act.apply(z_.tile(q, p0), out.tile(q, p0), static_cast<size_t>(p1 - p0) * kTileSize);
      if (!stats) continue;
      for_each_valid_run(out, q, p0, p1, [&](const float* v, int n) {
        me.act.add(v, static_cast<size_t>(n), act_rule, ba, copies, me.slots.data() + pending);
        if (ba) pending += n;
      });
      for (int p = p0; p < p1 && channels; ++p) add_channel_sums(out.tile(q, p), rows, p, me);
    }
  }
  count_slots(me.slots.data(), static_cast<size_t>(pending), me.counts.data());
  keep_rows(job, l, me);
}

// This thread's rows of layer l's Z and A into the kept matrices (ForwardOptions::keep_z/_a).
void ForwardPass::keep_rows(const Job& job, int l, const Share& me) {
  if (job.options.keep_z) z_.unpack_rows((*job.options.keep_z)[l], me.q0, me.q1);
  if (job.options.keep_a) a_[l % 2].unpack_rows((*job.options.keep_a)[l], me.q0, me.q1);
}

// A meeting point's one thread (inside the `single`): settle_ranges, then merge_layer unless a
// range moved; after the rebinning (`rebinned`), merge_layer. An exception of any thread's phase
// (captured in m.errors) ends the pass: no rebinning, no further layer.
void ForwardPass::meet(const Job& job, int l, int nt, Meeting& m, bool rebinned) {
  m.errors.capture([&] {
    if (m.errors.failed()) return;
    if (!job.options.statistics)
      end_layer(job, l, m);
    else if (rebinned || !settle_ranges(job, l, nt, m))
      merge_layer(job, l, nt, m);
  });
  if (m.errors.failed()) {
    m.stop = true;
    m.rebin[0] = m.rebin[1] = m.rebin[2] = false;
  }
}

// After layer l, one thread, every share complete (barrier 1): settles the ranges of this
// batch (stable_range on all threads' extremes) and sets m.rebin for a quantity binned with
// another range or not at all; true when one must be binned again.
bool ForwardPass::settle_ranges(const Job& job, int l, int nt, Meeting& m) {
  const LayerSink& sink = job.sinks[static_cast<size_t>(l)];
  Range* kept[3] = {sink.pre_range, sink.act_range, sink.normed_range};
  for (int k = 0; k < job.quantities; ++k) {
    Plan& p = m.plan[k];
    m.rebin[k] = false;
    if (p.fixed) {
      if (k == kQuantityA && job.bounded) *kept[k] = p.range;
      continue;
    }
    uint64_t finite = 0;
    float mn = FLT_MAX, mx = -FLT_MAX;
    for (int t = 0; t < nt; ++t) {
      const PartialMoments& pm = shares_[static_cast<size_t>(t)].moments(k);
      finite += pm.finite_count();
      mn = std::min(mn, pm.min_value());
      mx = std::max(mx, pm.max_value());
    }
    const Range r = stable_range(*kept[k], finite > 0, mn, mx);
    m.rebin[k] = !p.binned || !(r == p.range);
    *kept[k] = r;
    p.range = r;
  }
  return m.rebin[0] || m.rebin[1] || m.rebin[2];
}

// A range moved (seen after barrier 2): this thread's histogram of that quantity again, over
// its own rows of Z, A or H (B_t × fan_out; H normalized again from Z tile by tile), with the
// settled range.
void ForwardPass::rebin_rows(const Job& job, int l, const Meeting& m, Share& me) {
  for (int k = 0; k < job.quantities; ++k) {
    if (!m.rebin[k]) continue;
    uint32_t* counts = me.counts.data() + k * job.copies;
    std::fill(counts, counts + job.copies, 0u);
    const Binning b(m.plan[k].range.lo, m.plan[k].range.hi, job.bins);
    if (k != kQuantityH) {
      bin_panels(k == kQuantityZ ? z_ : a_[l % 2], me.q0, me.q1, b, me.slots.data(), counts);
      continue;
    }
    alignas(64) float h[kTileSize];
    for (int q = me.q0; q < me.q1; ++q) {
      for (int p = 0; p < z_.column_panels(); ++p) {
        normalize_tile(job, q, p, me, h);
        for_each_valid_run(h, z_.rows_in_panel(q), cols_in_panel(z_, p),
                           [&](const float* v, int n) {
                             histogram_slots(v, static_cast<size_t>(n), b, 0, me.slots.data());
                             count_slots(me.slots.data(), static_cast<size_t>(n), counts);
                           });
      }
    }
  }
}

// One thread, every share final (barrier 1 or 3): merges the shares into layer l's
// accumulators in thread order (the same bits run after run, whatever the scheduling), reports
// the layer, sees a cancellation, and plans layer l + 1; the barrier after it publishes all.
void ForwardPass::merge_layer(const Job& job, int l, int nt, Meeting& m) {
  const LayerSink& sink = job.sinks[static_cast<size_t>(l)];
  StatsAccumulator* accs[3] = {sink.pre, sink.act, sink.normed};
  for (int k = 0; k < job.quantities; ++k) {
    if (accs[k]->empty()) {
      *accs[k] = StatsAccumulator(m.plan[k].range.lo, m.plan[k].range.hi, job.bins,
                                  k == kQuantityA ? job.act_rule : SaturationRule::None);
    }
    for (int t = 0; t < nt; ++t) {
      const Share& s = shares_[static_cast<size_t>(t)];
      accs[k]->merge(s.moments(k), s.counts.data() + k * job.copies);
    }
  }
  if (sink.sq_mean_sum != nullptr) merge_channel_sums(job, l, nt);
  end_layer(job, l, m);
}

// The end of layer l's meeting, one thread: reports the layer, sees a cancellation, and plans
// layer l + 1.
void ForwardPass::end_layer(const Job& job, int l, Meeting& m) {
  if (job.options.z_done) job.options.z_done(l, z_);
  if (job.options.layer_done) job.options.layer_done();
  m.stop = cancel_requested(job.options.cancel);
  if (!m.stop && l + 1 < job.layers) plan_layer(job, l + 1, m);
}

}  // namespace initscope

namespace initscope {

// Inside merge_layer: the threads' per-channel sums of A (their lanes folded) in thread order, then
// the layer's signal numbers added to the sink's sums (a NaN or Inf in A makes them NaN, as it
// should).
void ForwardPass::merge_channel_sums(const Job& job, int l, int nt) {
  const LayerSink& sink = job.sinks[static_cast<size_t>(l)];
  const int n = job.w[static_cast<size_t>(l)].cols();
  std::vector<double> sum(static_cast<size_t>(n), 0.0), sq(static_cast<size_t>(n), 0.0);
  for (int t = 0; t < nt; ++t) {
    const Share& s = shares_[static_cast<size_t>(t)];
    for (int j = 0; j < n; ++j) {
      // Channel j: column j % NR of column panel j / NR, its MR lanes.
      const size_t at = static_cast<size_t>(j / kTileCols) * kTileSize +
                        static_cast<size_t>(j % kTileCols) * kTileRows;
      for (int i = 0; i < kTileRows; ++i) {
        sum[j] += s.channel_sum[at + i];
        sq[j] += s.channel_sq[at + i];
      }
    }
  }
  const ChannelMoments cm = channel_moments(sum.data(), sq.data(), n, job.batch);
  *sink.sq_mean_sum += cm.sq_mean;
  *sink.var_sum += cm.var;
}

}  // namespace initscope
