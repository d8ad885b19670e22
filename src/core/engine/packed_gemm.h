#pragma once
// Z = A·W + b for the forward pass, as a packed micro-kernel in the GotoBLAS/BLIS structure:
// W (K × N) is packed once per experiment into column panels of NR, the rows of A live in row
// panels of MR, and one call computes an MR × NR tile of Z with every one of the K products
// in registers. The tile is final when it leaves the kernel, so the caller takes its
// activation and statistics while it is still in L1 (forward_pass.h).
// Why not Eigen: on the CS231n layer (1000×500 · 500×500) Eigen 3.4 reaches ≈ 53% of the fp32
// FMA peak of an AVX-512 machine and this kernel ≈ 90% (README, Benchmarks).
#include <Eigen/Core>
#include <cstdint>
#include <new>
#include <utility>
#include <vector>

namespace initscope::gemm {

// Tile shape: two SIMD registers of rows × kTileCols columns of accumulators, as many as the
// register file holds next to the two A vectors and a broadcast W value.
#if defined(__AVX512F__)
constexpr int kTileRows = 32, kTileCols = 12;  // 24 of 32 zmm registers
#elif defined(__AVX2__) && defined(__FMA__)
// 12 of 16 ymm. With A kept in registers (packed_gemm.cpp) GCC 12 no longer spills 6 columns;
// 16 × 4 ran at 95–125 GFLOP/s on both cores of the Zen 3 VM and 16 × 6 at 130–143 (1000×500 ·
// 500×500, interleaved runs): W's panels, streamed from L3 for every row panel, feed 50% more
// FMAs per byte, and a row panel's A is read from L1 a third fewer times.
constexpr int kTileRows = 16, kTileCols = 6;
#else
constexpr int kTileRows = 8, kTileCols = 4;  // SSE2: the portable build
#endif
constexpr int kTileSize = kTileRows * kTileCols;

using AlignedFloats = std::vector<float, Eigen::aligned_allocator<float>>;

// Eigen's aligned allocator whose resize() leaves new floats unset (default-, not
// value-initialised), for buffers whose every element is written next: zeroing the `compare`
// preset's 40 MB of packed weights first was a whole extra pass over memory.
template <class T>
struct UnsetAllocator : Eigen::aligned_allocator<T> {
  template <class U>
  struct rebind {
    using other = UnsetAllocator<U>;
  };
  UnsetAllocator() = default;
  template <class U>
  UnsetAllocator(const UnsetAllocator<U>&) noexcept {}
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};
using UnsetFloats = std::vector<float, UnsetAllocator<float>>;

// A rows × cols matrix in row panels: panel q holds rows [q·MR, q·MR + MR) as padded_cols()
// columns of MR consecutive floats, cols rounded up to whole column panels, so that the
// MR × NR tile (q, p) is MR·NR consecutive floats (tile[j·MR + i] = M(q·MR + i, p·NR + j)).
// Rows past `rows` and columns past `cols` are padding, never counted.
class PanelMatrix {
 public:
  // Reuses the storage when it is large enough (a buffer serves layers of every width).
  void reshape(int rows, int cols);
  int rows() const { return rows_; }
  int cols() const { return cols_; }
  int panels() const { return (rows_ + kTileRows - 1) / kTileRows; }
  int column_panels() const { return (cols_ + kTileCols - 1) / kTileCols; }
  int padded_cols() const { return column_panels() * kTileCols; }
  int rows_in_panel(int q) const;  // MR but for the last panel
  float* panel(int q) { return data_.data() + static_cast<size_t>(q) * panel_size(); }
  const float* panel(int q) const { return data_.data() + static_cast<size_t>(q) * panel_size(); }
  float* tile(int q, int p) { return panel(q) + static_cast<size_t>(p) * kTileSize; }
  const float* tile(int q, int p) const { return panel(q) + static_cast<size_t>(p) * kTileSize; }

  // Panels [q0, q1) from the rows of m (rows() × cols(), column-major); padding rows are 0.
  void pack_rows(const Eigen::MatrixXf& m, int q0, int q1);
  // Panels [q0, q1) into the rows of m (rows() × cols()), padding left out.
  void unpack_rows(Eigen::MatrixXf& m, int q0, int q1) const;

 private:
  size_t panel_size() const { return static_cast<size_t>(padded_cols()) * kTileRows; }
  int rows_ = 0, cols_ = 0;
  AlignedFloats data_;
};

// W (K × N) in column panels of NR: panel p holds W(k, p·NR + j) at [k·NR + j], 0 past N;
// the bias (zeros without one) padded to whole panels.
class PackedWeights {
 public:
  PackedWeights() = default;
  PackedWeights(const Eigen::MatrixXf& w, const Eigen::RowVectorXf* bias);
  int rows() const { return rows_; }
  int cols() const { return cols_; }
  int panels() const { return (cols_ + kTileCols - 1) / kTileCols; }
  const float* panel(int p) const {
    return data_.data() + static_cast<size_t>(p) * rows_ * kTileCols;
  }
  const float* bias(int p) const { return bias_.data() + static_cast<size_t>(p) * kTileCols; }
  // W again (K × N), padding left out: for a reader of a column whose W was not kept.
  Eigen::MatrixXf unpack() const;

 private:
  int rows_ = 0, cols_ = 0;
  UnsetFloats data_;  // every float written by the constructor, padding columns as 0
  AlignedFloats bias_;
};

// Histogram increments handed from one tile's statistics to the next kernel call.
struct PendingCounts {
  const int32_t* slots = nullptr;
  int count = 0;
  uint32_t* counts = nullptr;
};

// tile = bias + A_panel · W_panel over k products (A_panel: k × MR, W_panel: k × NR, both as
// packed above; tile column by column). While the FMA units work it also carries out
// `pending` (++counts[slot], two per product step): that scalar work runs on the integer and
// load/store ports, idle during the FMAs, so the previous tile's histogram costs almost nothing.
void tile_product(int k, const float* a_panel, const float* w_panel, const float* bias, float* tile,
                  PendingCounts pending);
// The same without histogram work (the backward products): no PendingCounts is built, which
// cost a store-forwarding stall per tile.
void tile_product(int k, const float* a_panel, const float* w_panel, const float* bias,
                  float* tile);

}  // namespace initscope::gemm
