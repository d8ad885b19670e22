#pragma once
// The private parts of ForwardPass shared by forward_pass.cpp (the plain layer, the meetings)
// and forward_norm.cpp (the layer with a norm): one thread's share, the plans, the call's
// constants, the meeting's decisions, and the tile helpers both use. Include only there.
#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "core/region_exceptions.h"
#include "forward_pass.h"

namespace initscope {

// One thread's share of the running layer: its row panels, the moments and histogram counts
// of its values of Z, A and H (the norm's output), and the slots of its last tile, waiting for
// the next kernel call. Aligned apart: written on every tile, a cache line shared by two
// threads' shares would bounce between the cores.
struct alignas(128) ForwardPass::Share {
  int q0 = 0, q1 = 0;
  PartialMoments pre, act, normed;
  std::vector<uint32_t> counts;  // [Z's histogram copies | A's | H's (with a norm)]
  std::vector<int32_t> slots;    // 2 × kTileSize: the last tile's, until the next kernel call
  // Σ over this thread's rows of a and a² for the signal numbers, per channel and tile row
  // (lanes: column panel p's tile layout, kTileSize values per panel, so a full tile adds
  // element by element — vectorised, no reduction inside the tile loop); merge_channel_sums
  // folds the kTileRows lanes of each channel.
  std::vector<double> channel_sum, channel_sq;
  // BatchNorm: Σ z and Σ z² of this thread's rows in the same lanes.
  std::vector<double> norm_sum, norm_sq;
  // LayerNorm / RMSNorm: μ and 1/√(v + ε) of this thread's rows (row r at r − q0·MR; past the
  // matrix's rows μ = 0, 1), kept for rebin_rows.
  std::vector<float> row_mean, row_inv;
  // The moments of quantity k (ForwardQuantity).
  const PartialMoments& moments(int k) const { return k == 0 ? pre : k == 1 ? act : normed; }
};

// How one quantity (Z, A or H) of the running layer is binned.
struct ForwardPass::Plan {
  bool fixed = false;   // range settled before the layer: accumulating, or a bounded φ
  bool binned = false;  // tiles binned with `range` during the layer (else after it)
  Range range{0, 0};
};

// The quantities of a layer, as indices into plans, counts and sinks: H only with a norm.
enum ForwardQuantity : int { kQuantityZ = 0, kQuantityA = 1, kQuantityH = 2 };

// One call's inputs and the constants derived from them; read-only inside the parallel region.
struct ForwardPass::Job {
  const Eigen::MatrixXf& x;                   // B × d0
  const std::vector<gemm::PackedWeights>& w;  // layer l: fan_in × fan_out, packed
  const Activation& act;
  const std::vector<LayerSink>& sinks;
  const ForwardOptions& options;
  int layers, batch, bins;
  int copies;  // histogram slots of one quantity: Binning::copies_size() for `bins` bins
  SaturationRule act_rule;
  std::optional<std::pair<double, double>> bounded;  // φ's range when it is bounded
  int quantities;                                    // 2: Z, A; 3 with a norm: Z, A, H
};

// What one thread decides at a meeting point (inside a `single`) and every thread reads after
// the barrier that follows it. Written only there, by that one thread.
struct ForwardPass::Meeting {
  Plan plan[3];                           // Z, A, H of the running layer
  bool rebin[3] = {false, false, false};  // the range moved: bin this quantity again
  bool stop = false;                      // cancelled or failed: no further layer
  RegionExceptions errors;                // what a phase threw, rethrown after the region
};

// The running layer's histogram binnings, made once from the meeting's plans and handed to
// every tile: of[k] null where quantity k (ForwardQuantity) is binned after the layer instead.
struct ForwardPass::LayerBinnings {
  Binning storage[3];
  const Binning* of[3] = {nullptr, nullptr, nullptr};
  LayerBinnings(const Meeting& m, int quantities, int bins) {
    for (int k = 0; k < quantities; ++k) {
      if (!m.plan[k].binned) continue;
      storage[k] = Binning(m.plan[k].range.lo, m.plan[k].range.hi, bins);
      of[k] = &storage[k];
    }
  }
};

namespace forward_tiles {

using gemm::kTileCols;
using gemm::kTileRows;
using gemm::kTileSize;
using gemm::PanelMatrix;

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

// A tile's a and a², added to its column panel's lanes (kTileSize doubles: lane j·MR + i is
// channel j's share of tile row i); a partial tile (the last row panel) only its `rows` rows.
// Padding columns of the last column panel land in lanes nobody reads.
inline void add_channel_lanes_of_tile(const float* tile, int rows, double* sum, double* sq) {
  if (rows == kTileRows) {
    for (int k = 0; k < kTileSize; ++k) {
      const double v = tile[k];
      sum[k] += v;
      sq[k] += v * v;
    }
    return;
  }
  for (int j = 0; j < kTileCols; ++j) {
    for (int i = 0; i < rows; ++i) {
      const double v = tile[j * kTileRows + i];
      sum[j * kTileRows + i] += v;
      sq[j * kTileRows + i] += v * v;
    }
  }
}

inline int cols_in_panel(const PanelMatrix& m, int p) {
  return std::min(kTileCols, m.cols() - p * kTileCols);
}

// The plain layer takes the statistics of this many consecutive tiles of a row panel at once
// (≈ 1024 values, 4 KB: in L1). One PartialMoments::add per 16 × 4 tile of the AVX2 build spent
// 16% of `stats --preset compare` in the call's set-up and lane reductions (perf, Zen 3).
constexpr int kStatsTiles = kTileSize >= 1024 ? 1 : 1024 / kTileSize;

// for_each_valid_run over row panel q's tiles [p0, p1) of m: one run when the panel is full
// height (the tiles are consecutive, a tile's columns too, and only m's last column panel has
// padding columns, after its valid ones), else one per column as above.
template <class F>
void for_each_valid_run(const PanelMatrix& m, int q, int p0, int p1, F&& f) {
  const int rows = m.rows_in_panel(q);
  if (rows == kTileRows) {
    f(m.tile(q, p0), (p1 - 1 - p0) * kTileSize + cols_in_panel(m, p1 - 1) * kTileRows);
    return;
  }
  for (int p = p0; p < p1; ++p) for_each_valid_run(m.tile(q, p), rows, cols_in_panel(m, p), f);
}

}  // namespace forward_tiles
}  // namespace initscope
