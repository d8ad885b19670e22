#include "packed_gemm.h"

#include <immintrin.h>

#include <algorithm>
#include <cstring>

namespace initscope::gemm {
namespace {

// The SIMD register the kernel is written with: the one operation set it needs, per target.
// Not simd.h's GCC vector types, which serve the elementwise kernels: written with them this
// loop lost its memory-operand broadcasts (an extra add and shuffle per W value) and ran at
// 80–95% of this speed, or at a fifth of it with a lane-by-lane splat (measured).
#if defined(__AVX512F__)
using Vec = __m512;
inline Vec broadcast(const float* p) {
  return _mm512_set1_ps(*p);
}
inline Vec load(const float* p) {
  return _mm512_load_ps(p);
}
inline void store(float* p, Vec v) {
  _mm512_store_ps(p, v);
}
inline Vec fma(Vec a, Vec b, Vec c) {
  return _mm512_fmadd_ps(a, b, c);
}
#elif defined(__AVX2__) && defined(__FMA__)
using Vec = __m256;
inline Vec broadcast(const float* p) {
  return _mm256_broadcast_ss(p);
}
inline Vec load(const float* p) {
  return _mm256_load_ps(p);
}
inline void store(float* p, Vec v) {
  _mm256_store_ps(p, v);
}
inline Vec fma(Vec a, Vec b, Vec c) {
  return _mm256_fmadd_ps(a, b, c);
}
#else
using Vec = __m128;
inline Vec broadcast(const float* p) {
  return _mm_set1_ps(*p);
}
inline Vec load(const float* p) {
  return _mm_load_ps(p);
}
inline void store(float* p, Vec v) {
  _mm_store_ps(p, v);
}
inline Vec fma(Vec a, Vec b, Vec c) {
  return _mm_add_ps(_mm_mul_ps(a, b), c);
}
#endif
constexpr int kVec = sizeof(Vec) / sizeof(float);
static_assert(kTileRows == 2 * kVec, "a tile is two registers tall");

// Keeps v in a register. Without AVX-512 the broadcasts cannot be memory operands, and GCC 12
// then folds the A loads into every FMA instead (2·NR loads a step, not 2): on the Zen 3 VM
// (AVX2, 2 × 256-bit loads a cycle) the kernel ran at ≈ 50% of the FMA peak, with A in
// registers at 85–95% (measured, 16 × 4 tiles, K = 200 and 500).
inline void keep_in_register([[maybe_unused]] Vec& v) {
#if !defined(__AVX512F__) && (defined(__AVX__) || defined(__SSE2__))
  asm("" : "+x"(v));
#endif
}

// How far ahead of the product step W's panel is prefetched: 32 steps (1.5 KB with AVX-512).
// A W panel that comes from memory, not from L2 (each layer's first row panel; the depth
// profiles' 16 pairs, one row panel through the whole network), held the kernel at 50–70
// GFLOP/s on the AVX-512 Xeon of issue 15's fifth pass — the hardware prefetcher kept up with
// 3.4 GB/s — and at 108–158 with this (standalone, 40 MB of panels; 155 either way from L2).
constexpr int kPrefetchAhead = 32 * kTileCols;

// acc += A_panel[k] (2 registers) ⊗ W_panel[k] (NR broadcasts).
inline void product_step(const float* a, const float* w, Vec (&acc)[2][kTileCols]) {
  __builtin_prefetch(w + kPrefetchAhead);
  Vec a0 = load(a), a1 = load(a + kVec);
  keep_in_register(a0);
  keep_in_register(a1);
#pragma GCC unroll 16
  for (int j = 0; j < kTileCols; ++j) {
    const Vec wj = broadcast(w + j);
    acc[0][j] = fma(a0, wj, acc[0][j]);
    acc[1][j] = fma(a1, wj, acc[1][j]);
  }
}

}  // namespace

int PanelMatrix::rows_in_panel(int q) const {
  return std::min(kTileRows, rows_ - q * kTileRows);
}

void PanelMatrix::reshape(int rows, int cols) {
  rows_ = rows;
  cols_ = cols;
  const size_t need = static_cast<size_t>(panels()) * panel_size();
  if (data_.size() < need) data_.resize(need);
}

void PanelMatrix::pack_rows(const Eigen::MatrixXf& m, int q0, int q1) {
  for (int q = q0; q < q1; ++q) {
    const int r0 = q * kTileRows, n = rows_in_panel(q);
    float* dst = panel(q);
    for (int k = 0; k < cols_; ++k, dst += kTileRows) {
      std::memcpy(dst, m.data() + static_cast<size_t>(k) * m.rows() + r0, n * sizeof(float));
      std::fill(dst + n, dst + kTileRows, 0.f);
    }
  }
}

void PanelMatrix::unpack_rows(Eigen::MatrixXf& m, int q0, int q1) const {
  for (int q = q0; q < q1; ++q) {
    const int r0 = q * kTileRows, n = rows_in_panel(q);
    const float* src = panel(q);
    for (int k = 0; k < cols_; ++k, src += kTileRows) {
      std::memcpy(m.data() + static_cast<size_t>(k) * m.rows() + r0, src, n * sizeof(float));
    }
  }
}

PackedWeights::PackedWeights(const Eigen::MatrixXf& w, const Eigen::RowVectorXf* bias)
    : rows_(static_cast<int>(w.rows())), cols_(static_cast<int>(w.cols())) {
  // Written in order, panel by panel (kTileCols strided reads of W's columns): one pass over the
  // new memory, which is left unset before (UnsetAllocator).
  data_.resize(static_cast<size_t>(panels()) * rows_ * kTileCols);
  bias_.assign(static_cast<size_t>(panels()) * kTileCols, 0.f);
  float* dst = data_.data();
  for (int p = 0; p < panels(); ++p) {
    const int c0 = p * kTileCols, n = std::min(kTileCols, cols_ - c0);
    for (int k = 0; k < rows_; ++k, dst += kTileCols) {
      for (int j = 0; j < n; ++j) dst[j] = w(k, c0 + j);
      for (int j = n; j < kTileCols; ++j) dst[j] = 0.f;
    }
    for (int j = 0; j < n && bias; ++j) bias_[c0 + j] = (*bias)(c0 + j);
  }
}

Eigen::MatrixXf PackedWeights::unpack() const {
  Eigen::MatrixXf w(rows_, cols_);
  for (int p = 0; p < panels(); ++p) {
    const int c0 = p * kTileCols, n = std::min(kTileCols, cols_ - c0);
    const float* src = panel(p);
    for (int k = 0; k < rows_; ++k, src += kTileCols)
      for (int j = 0; j < n; ++j) w(k, c0 + j) = src[j];
  }
  return w;
}

namespace {

// The tile's accumulators start at the bias and end in `tile`, column by column.
inline void start_tile(const float* bias, Vec (&acc)[2][kTileCols]) {
#pragma GCC unroll 16
  for (int j = 0; j < kTileCols; ++j) acc[0][j] = acc[1][j] = broadcast(bias + j);
}
inline void store_tile(const Vec (&acc)[2][kTileCols], float* tile) {
#pragma GCC unroll 16
  for (int j = 0; j < kTileCols; ++j) {
    store(tile + j * kTileRows, acc[0][j]);
    store(tile + j * kTileRows + kVec, acc[1][j]);
  }
}

}  // namespace

void tile_product(int k, const float* a_panel, const float* w_panel, const float* bias, float* tile,
                  PendingCounts pending) {
  Vec acc[2][kTileCols];
  start_tile(bias, acc);
  // Two histogram increments ride along with each product step while they last.
  const int paired = std::min(k, pending.count / 2);
  const int32_t* slot = pending.slots;
  uint32_t* counts = pending.counts;
  int i = 0;
  for (; i < paired; ++i, a_panel += kTileRows, w_panel += kTileCols, slot += 2) {
    product_step(a_panel, w_panel, acc);
    ++counts[slot[0]];
    ++counts[slot[1]];
  }
  for (; i < k; ++i, a_panel += kTileRows, w_panel += kTileCols) {
    product_step(a_panel, w_panel, acc);
  }
  for (int r = 2 * paired; r < pending.count; ++r) ++counts[pending.slots[r]];
  store_tile(acc, tile);
}

void tile_product(int k, const float* a_panel, const float* w_panel, const float* bias,
                  float* tile) {
  Vec acc[2][kTileCols];
  start_tile(bias, acc);
  for (int i = 0; i < k; ++i, a_panel += kTileRows, w_panel += kTileCols)
    product_step(a_panel, w_panel, acc);
  store_tile(acc, tile);
}

}  // namespace initscope::gemm
