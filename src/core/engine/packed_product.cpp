#include "packed_product.h"

#include <omp.h>

#include <algorithm>
#include <cstring>

namespace initscope::gemm {
namespace {

alignas(64) constexpr float kProductZeroBias[kTileCols] = {};

int panel_count(int n, int per_panel) {
  return (n + per_panel - 1) / per_panel;
}

// Row panel q of a lhs that is not column-major (a transposed view, row_step ≠ 1): dst[k·MR + i]
// = lhs(q·MR + i, k), 0 past M — each of its rows read along k, written to every MR-th float.
void pack_product_lhs_rows(ConstView lhs, int q, float* dst) {
  const int r0 = q * kTileRows, n = std::min(kTileRows, lhs.rows - r0);
  if (n < kTileRows) std::fill(dst, dst + static_cast<size_t>(lhs.cols) * kTileRows, 0.f);
  for (int i = 0; i < n; ++i) {
    const float* src = &lhs(r0 + i, 0);
    for (int k = 0; k < lhs.cols; ++k) dst[k * kTileRows + i] = src[k * lhs.col_step];
  }
}

// Row panels [q0, q1) of a column-major lhs (row_step 1): dst as above, column by column —
// each column's part read once, in order, into every panel. Panel by panel read K strided
// runs of MR floats each: a sweep point's W (500 × 500, 1 MB, last read when it was drawn, so
// from DRAM) spent most of the products' packing time waiting for them (perf).
void pack_product_lhs_columns(ConstView lhs, int q0, int q1, float* packed) {
  const size_t panel_size = static_cast<size_t>(lhs.cols) * kTileRows;
  for (int k = 0; k < lhs.cols; ++k) {
    const float* src = &lhs(0, k);
    for (int q = q0; q < q1; ++q) {
      float* dst = packed + q * panel_size + static_cast<size_t>(k) * kTileRows;
      const int r0 = q * kTileRows, n = std::min(kTileRows, lhs.rows - r0);
      if (n == kTileRows) {
        std::memcpy(dst, src + r0, sizeof(float) * kTileRows);
      } else {
        std::copy_n(src + r0, n, dst);
        std::fill(dst + n, dst + kTileRows, 0.f);
      }
    }
  }
}

// Column panel p of rhs (K × N): dst[k·NR + j] = rhs(k, p·NR + j), 0 past N.
void pack_product_rhs(ConstView rhs, int p, float* dst) {
  const int c0 = p * kTileCols, n = std::min(kTileCols, rhs.cols - c0);
  if (rhs.col_step == 1) {
    for (int k = 0; k < rhs.rows; ++k, dst += kTileCols) {
      if (n == kTileCols) {
        std::memcpy(dst, &rhs(k, c0), sizeof(float) * kTileCols);
      } else {
        std::copy_n(&rhs(k, c0), n, dst);
        std::fill(dst + n, dst + kTileCols, 0.f);
      }
    }
    return;
  }
  if (n < kTileCols) std::fill(dst, dst + static_cast<size_t>(rhs.rows) * kTileCols, 0.f);
  for (int j = 0; j < n; ++j) {
    const float* src = &rhs(0, c0 + j);
    for (int k = 0; k < rhs.rows; ++k) dst[k * kTileCols + j] = src[k * rhs.row_step];
  }
}

// Tile (q, p) (tile[j·MR + i] = out(q·MR + i, p·NR + j)) into out, padding left out.
void write_product_tile(const float* tile, View out, int q, int p) {
  const int r0 = q * kTileRows, c0 = p * kTileCols;
  const int rows = std::min(kTileRows, out.rows - r0), cols = std::min(kTileCols, out.cols - c0);
  if (out.row_step == 1) {
    for (int j = 0; j < cols; ++j) {
      if (rows == kTileRows)
        std::memcpy(&out(r0, c0 + j), tile + j * kTileRows, sizeof(float) * kTileRows);
      else
        std::copy_n(tile + j * kTileRows, rows, &out(r0, c0 + j));
    }
    return;
  }
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) out(r0 + i, c0 + j) = tile[j * kTileRows + i];
}

}  // namespace

ConstView view_of(const Eigen::MatrixXf& m) {
  return {m.data(), static_cast<int>(m.rows()), static_cast<int>(m.cols()), 1, m.rows()};
}
ConstView transposed_view_of(const Eigen::MatrixXf& m) {
  return {m.data(), static_cast<int>(m.cols()), static_cast<int>(m.rows()), m.rows(), 1};
}
View result_view_of(Eigen::MatrixXf& m) {
  return {m.data(), static_cast<int>(m.rows()), static_cast<int>(m.cols()), 1, m.rows()};
}
View transposed_result_view_of(Eigen::MatrixXf& m) {
  return {m.data(), static_cast<int>(m.cols()), static_cast<int>(m.rows()), m.rows(), 1};
}

void product(ConstView lhs, ConstView rhs, View out, ProductScratch& scratch, int threads) {
  const int k = lhs.cols;
  const int row_panels = panel_count(out.rows, kTileRows);
  const int col_panels = panel_count(out.cols, kTileCols);
  const size_t lhs_panel = static_cast<size_t>(k) * kTileRows;
  const size_t rhs_panel = static_cast<size_t>(k) * kTileCols;
  if (scratch.lhs.size() < row_panels * lhs_panel) scratch.lhs.resize(row_panels * lhs_panel);
  if (scratch.rhs.size() < col_panels * rhs_panel) scratch.rhs.resize(col_panels * rhs_panel);
  float* packed_lhs = scratch.lhs.data();
  float* packed_rhs = scratch.rhs.data();
  const int tiles = row_panels * col_panels;
#pragma omp parallel num_threads(threads) if (threads > 1)
  {
    if (lhs.row_step == 1) {  // this thread's share of the panels, as the static loop's below
      const int nt = omp_get_num_threads(), id = omp_get_thread_num();
      pack_product_lhs_columns(lhs, row_panels * id / nt, row_panels * (id + 1) / nt, packed_lhs);
    } else {
#pragma omp for schedule(static) nowait
      for (int q = 0; q < row_panels; ++q)
        pack_product_lhs_rows(lhs, q, packed_lhs + q * lhs_panel);
    }
#pragma omp for schedule(static)
    for (int p = 0; p < col_panels; ++p) pack_product_rhs(rhs, p, packed_rhs + p * rhs_panel);
    // Column panel by column panel: its K × NR floats stay in L1 while the row panels pass.
    // This thread's tiles [t0, t1), as a static schedule deals them, walked without a division
    // per tile.
    const int nt = omp_get_num_threads(), id = omp_get_thread_num();
    const int t0 = static_cast<int>(int64_t{tiles} * id / nt);
    const int t1 = static_cast<int>(int64_t{tiles} * (id + 1) / nt);
    int p = t0 / row_panels, q = t0 % row_panels;
    for (int t = t0; t < t1; ++t) {
      alignas(64) float tile[kTileSize];
      tile_product(k, packed_lhs + q * lhs_panel, packed_rhs + p * rhs_panel, kProductZeroBias,
                   tile);
      write_product_tile(tile, out, q, p);
      if (++q == row_panels) q = 0, ++p;
    }
  }
}

}  // namespace initscope::gemm
