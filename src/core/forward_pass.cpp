#include "forward_pass.h"

#include <omp.h>

#include <algorithm>
#include <cfloat>

namespace initscope {

using gemm::kTileCols;
using gemm::kTileRows;
using gemm::kTileSize;
using gemm::PanelMatrix;

// One thread's share of the running layer: its row panels, the moments and histogram counts
// of its values of Z and A, and the slots of its last tile, waiting for the next kernel call.
// Aligned apart: written on every tile, a cache line shared by two threads' shares would
// bounce between the cores.
struct alignas(128) ForwardPass::Share {
  int q0 = 0, q1 = 0;
  PartialMoments pre, act;
  std::vector<uint32_t> counts;  // [Z's histogram copies | A's histogram copies]
  std::vector<int32_t> slots;    // 2 × kTileSize: the last tile's, until the next kernel call
};

// How one quantity (Z or A) of the running layer is binned.
struct ForwardPass::Plan {
  bool fixed = false;   // range settled before the layer: accumulating, or a bounded φ
  bool binned = false;  // tiles binned with `range` during the layer (else after it)
  Range range{0, 0};
};

namespace {

// Calls f(values, n) for the values of an MR × NR tile that lie inside the matrix (`rows`
// rows, `cols` columns of it): one run when the tile is full height, else one per column.
template <class F>
void for_each_valid_run(const float* tile, int rows, int cols, F&& f) {
  if (rows == kTileRows) {
    f(tile, rows * cols);
  } else {
    for (int j = 0; j < cols; ++j) f(tile + j * kTileRows, rows);
  }
}

int cols_in_panel(const PanelMatrix& m, int p) {
  return std::min(kTileCols, m.cols() - p * kTileCols);
}

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

ForwardPass::ForwardPass() = default;
ForwardPass::ForwardPass(ForwardPass&&) noexcept = default;
ForwardPass& ForwardPass::operator=(ForwardPass&&) noexcept = default;
ForwardPass::~ForwardPass() = default;

bool ForwardPass::run(const Eigen::MatrixXf& x, const std::vector<gemm::PackedWeights>& w,
                      const Activation& act, int bins, const std::vector<LayerSink>& sinks,
                      const ForwardOptions& options) {
  std::vector<Eigen::MatrixXf>* keep_z = options.keep_z;
  std::vector<Eigen::MatrixXf>* keep_a = options.keep_a;
  const std::atomic<bool>* cancel = options.cancel;
  const std::function<void()>& layer_done = options.layer_done;
  auto cancelled = [cancel] {
    return cancel != nullptr && cancel->load(std::memory_order_relaxed);
  };
  if (cancelled()) return false;
  const int L = static_cast<int>(w.size());
  const int batch = static_cast<int>(x.rows());
  int widest = 0;
  for (const auto& pw : w) widest = std::max(widest, pw.cols());
  // Sized once for the widest layer; reshape() below never reallocates.
  x_.reshape(batch, static_cast<int>(x.cols()));
  z_.reshape(batch, widest);
  a_[0].reshape(batch, widest);
  a_[1].reshape(batch, widest);
  if (keep_z) keep_z->resize(L);
  if (keep_a) keep_a->resize(L);
  for (int l = 0; l < L; ++l) {
    if (keep_z) (*keep_z)[l].resize(batch, w[l].cols());
    if (keep_a) (*keep_a)[l].resize(batch, w[l].cols());
  }

  const Binning layout(0, 1, bins);  // every quantity has `bins` bins: the same copy layout
  const int copies = layout.copies_size();
  const SaturationRule act_rule = saturation_rule(act);
  const auto bounded = act.bounded_range();
  const int pool = options.threads > 0 ? options.threads : omp_get_max_threads();
  const int threads = std::max(1, std::min(pool, x_.panels()));
  shares_.resize(static_cast<size_t>(threads));
  for (Share& s : shares_) {
    s.counts.assign(2 * static_cast<size_t>(copies), 0);
    s.slots.assign(2 * kTileSize, 0);
  }

  Plan plan[2];  // Z, A of the running layer; written by one thread between barriers
  bool stop = false;
  // Before layer l (one thread, the others waiting): the shapes of its outputs — reshape()
  // keeps the storage, and the buffer it reshapes was last read by layer l − 1 — and how its
  // Z and A are binned.
  auto prepare = [&](int l) {
    const gemm::PackedWeights& wl = w[static_cast<size_t>(l)];
    z_.reshape(batch, wl.cols());
    a_[l % 2].reshape(batch, wl.cols());
    const LayerSink& sink = sinks[static_cast<size_t>(l)];
    const StatsAccumulator* accs[2] = {sink.pre, sink.act};
    const Range* kept[2] = {sink.pre_range, sink.act_range};
    for (int k = 0; k < 2; ++k) {
      Plan& p = plan[k];
      if (!accs[k]->empty()) {
        p = {true, true, {accs[k]->lo(), accs[k]->hi()}};
      } else if (k == 1 && bounded) {
        p = {true, true, {bounded->first, bounded->second}};
      } else {
        // Bin with the range kept from the last update and check it after the layer: it
        // stays right while the data stay put, the common case of a live simulation.
        p = {false, kept[k]->hi > kept[k]->lo, *kept[k]};
      }
    }
  };
  // After layer l, every thread's share complete: settle the ranges of this batch
  // (stable_range on all threads' extremes); true when a quantity must be binned again.
  auto settle_ranges = [&](int l, int nt, bool(&rebin)[2]) {
    const LayerSink& sink = sinks[static_cast<size_t>(l)];
    Range* kept[2] = {sink.pre_range, sink.act_range};
    for (int k = 0; k < 2; ++k) {
      Plan& p = plan[k];
      rebin[k] = false;
      if (p.fixed) {
        if (k == 1 && bounded) *kept[k] = p.range;
        continue;
      }
      uint64_t finite = 0;
      float mn = FLT_MAX, mx = -FLT_MAX;
      for (int t = 0; t < nt; ++t) {
        const PartialMoments& m = k == 0 ? shares_[t].pre : shares_[t].act;
        finite += m.finite_count();
        mn = std::min(mn, m.min_value());
        mx = std::max(mx, m.max_value());
      }
      const Range r = stable_range(*kept[k], finite > 0, mn, mx);
      rebin[k] = !p.binned || !(r == p.range);
      *kept[k] = r;
      p.range = r;
    }
    return rebin[0] || rebin[1];
  };
  // Merge every share in thread order, then prepare the next layer.
  auto merge = [&](int l, int nt) {
    const LayerSink& sink = sinks[static_cast<size_t>(l)];
    StatsAccumulator* accs[2] = {sink.pre, sink.act};
    for (int k = 0; k < 2; ++k) {
      if (accs[k]->empty()) {
        *accs[k] = StatsAccumulator(plan[k].range.lo, plan[k].range.hi, bins,
                                    k == 0 ? SaturationRule::None : act_rule);
      }
      for (int t = 0; t < nt; ++t) {
        const Share& s = shares_[static_cast<size_t>(t)];
        accs[k]->merge(k == 0 ? s.pre : s.act, s.counts.data() + k * copies);
      }
    }
    if (layer_done) layer_done();
    stop = cancelled();
    if (!stop && l + 1 < L) prepare(l + 1);
  };
  prepare(0);

  // Two meeting points per layer (three when a range changed): a barrier once every share is
  // complete, and one thread settling ranges and merging while the others wait.
#pragma omp parallel num_threads(threads)
  {
    const int nt = omp_get_num_threads(), id = omp_get_thread_num();
    Share& me = shares_[static_cast<size_t>(id)];
    me.q0 = x_.panels() * id / nt;
    me.q1 = x_.panels() * (id + 1) / nt;
    x_.pack_rows(x, me.q0, me.q1);
    for (int l = 0; l < L && !stop; ++l) {
      const gemm::PackedWeights& wl = w[static_cast<size_t>(l)];
      const PanelMatrix& in = l == 0 ? x_ : a_[(l - 1) % 2];
      PanelMatrix& out = a_[l % 2];
      const Binning bz(plan[0].range.lo, plan[0].range.hi, bins);
      const Binning ba(plan[1].range.lo, plan[1].range.hi, bins);
      const bool bin_z = plan[0].binned, bin_a = plan[1].binned;
      me.pre = PartialMoments{};
      me.act = PartialMoments{};
      std::fill(me.counts.begin(), me.counts.end(), 0u);
      int pending = 0;
      for (int q = me.q0; q < me.q1; ++q) {
        const int rows = in.rows_in_panel(q);
        for (int p = 0; p < wl.panels(); ++p) {
          float* zt = z_.tile(q, p);
          gemm::tile_product(wl.rows(), in.panel(q), wl.panel(p), wl.bias(p), zt,
                             {me.slots.data(), pending, me.counts.data()});
          pending = 0;
          float* at = out.tile(q, p);
          act.apply(zt, at, kTileSize);
          const int cols = cols_in_panel(z_, p);
          for_each_valid_run(zt, rows, cols, [&](const float* v, int n) {
            me.pre.add(v, static_cast<size_t>(n), SaturationRule::None, bin_z ? &bz : nullptr, 0,
                       me.slots.data() + pending);
            if (bin_z) pending += n;
          });
          for_each_valid_run(at, rows, cols, [&](const float* v, int n) {
            me.act.add(v, static_cast<size_t>(n), act_rule, bin_a ? &ba : nullptr, copies,
                       me.slots.data() + pending);
            if (bin_a) pending += n;
          });
        }
      }
      count_slots(me.slots.data(), static_cast<size_t>(pending), me.counts.data());
      if (keep_z) z_.unpack_rows((*keep_z)[l], me.q0, me.q1);
      if (keep_a) out.unpack_rows((*keep_a)[l], me.q0, me.q1);
#pragma omp barrier
      bool rebin[2];
#pragma omp single copyprivate(rebin)
      {
        if (!settle_ranges(l, nt, rebin)) merge(l, nt);
      }  // implicit barrier
      if (rebin[0] || rebin[1]) {
        for (int k = 0; k < 2; ++k) {
          if (!rebin[k]) continue;
          uint32_t* counts = me.counts.data() + k * copies;
          std::fill(counts, counts + copies, 0u);
          bin_panels(k == 0 ? z_ : out, me.q0, me.q1,
                     Binning(plan[k].range.lo, plan[k].range.hi, bins), me.slots.data(), counts);
        }
#pragma omp barrier
#pragma omp single
        merge(l, nt);
      }
    }
  }
  return !stop;
}

}  // namespace initscope
