// The packed GEMM kernel and its panel layouts against a naive double-precision product, on
// shapes that leave partial row and column panels; the histogram increments it carries.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/engine/packed_gemm.h"
#include "core/rng.h"

using namespace initscope;
using namespace initscope::gemm;

namespace {

Eigen::MatrixXf random_matrix(int rows, int cols, Rng& rng) {
  Eigen::MatrixXf m(rows, cols);
  for (int i = 0; i < m.size(); ++i) m(i) = static_cast<float>(rng.normal());
  return m;
}

// Z = A·W + b through the panels and the kernel, tile by tile.
Eigen::MatrixXf packed_product(const Eigen::MatrixXf& a, const Eigen::MatrixXf& w,
                               const Eigen::RowVectorXf* b) {
  PanelMatrix in, out;
  in.reshape(static_cast<int>(a.rows()), static_cast<int>(a.cols()));
  in.pack_rows(a, 0, in.panels());
  const PackedWeights pw(w, b);
  out.reshape(static_cast<int>(a.rows()), static_cast<int>(w.cols()));
  for (int q = 0; q < in.panels(); ++q)
    for (int p = 0; p < pw.panels(); ++p)
      tile_product(pw.rows(), in.panel(q), pw.panel(p), pw.bias(p), out.tile(q, p), {});
  Eigen::MatrixXf z(a.rows(), w.cols());
  out.unpack_rows(z, 0, out.panels());
  return z;
}

}  // namespace

TEST(PackedGemm, MatchesNaiveDoubleProductOnRaggedShapes) {
  Rng rng(3);
  // rows, K, N: single rows and columns, partial panels of either kind, a CS231n-like layer.
  const int shapes[][3] = {{1, 1, 1},
                           {1, 7, 5},
                           {kTileRows - 1, 3, kTileCols + 1},
                           {kTileRows + 1, 33, 2 * kTileCols - 1},
                           {100, 37, 29},
                           {257, 500, 131}};
  for (const auto& s : shapes) {
    const int rows = s[0], k = s[1], n = s[2];
    const Eigen::MatrixXf a = random_matrix(rows, k, rng), w = random_matrix(k, n, rng);
    const Eigen::RowVectorXf b = random_matrix(1, n, rng);
    for (const Eigen::RowVectorXf* bias : {static_cast<const Eigen::RowVectorXf*>(nullptr), &b}) {
      const Eigen::MatrixXf z = packed_product(a, w, bias);
      // float accumulation: |error| ≤ (k + 1)·eps·Σ|terms|, a loose bound that always holds.
      double worst_ratio = 0, worst = 0;
      for (int i = 0; i < rows; ++i) {
        for (int j = 0; j < n; ++j) {
          double ref = bias ? (*bias)(j) : 0.0, mag = std::fabs(ref);
          for (int t = 0; t < k; ++t) {
            ref += static_cast<double>(a(i, t)) * w(t, j);
            mag += std::fabs(static_cast<double>(a(i, t)) * w(t, j));
          }
          const double diff = std::fabs(z(i, j) - ref);
          const double bound = (k + 1) * 1.2e-7 * mag + 1e-30;
          if (diff / bound > worst_ratio) worst_ratio = diff / bound, worst = diff;
        }
      }
      EXPECT_LE(worst_ratio, 1.0) << rows << "×" << k << "·" << k << "×" << n
                                  << (bias ? " + b" : "") << ": worst difference " << worst;
      std::printf("%d×%d·%d×%d%s: worst difference %.3g, %.2f of its bound\n", rows, k, k, n,
                  bias ? " + b" : "", worst, worst_ratio);
    }
  }
}

TEST(PackedGemm, PanelsRoundTripAndPadRowsWithZeros) {
  Rng rng(4);
  const Eigen::MatrixXf m = random_matrix(kTileRows + 5, 7, rng);
  PanelMatrix p;
  p.reshape(static_cast<int>(m.rows()), static_cast<int>(m.cols()));
  EXPECT_EQ(p.panels(), 2);
  EXPECT_EQ(p.rows_in_panel(1), 5);
  p.pack_rows(m, 0, p.panels());
  for (int k = 0; k < m.cols(); ++k)
    for (int i = 5; i < kTileRows; ++i) EXPECT_EQ(p.panel(1)[k * kTileRows + i], 0.f);
  Eigen::MatrixXf back = Eigen::MatrixXf::Constant(m.rows(), m.cols(), -1);
  p.unpack_rows(back, 0, p.panels());
  EXPECT_EQ(back, m);
  // Reshaping to a narrower matrix reuses the storage; a tile is MR·NR consecutive floats.
  p.reshape(3, 1);
  EXPECT_EQ(p.tile(0, 1) - p.tile(0, 0), kTileSize);
}

// W packed into column panels and unpacked again (Simulation::weight of a forward-only column):
// every value back in its place, whole and partial panels alike, the padding left out.
TEST(PackedGemm, WeightsUnpackToTheSameMatrix) {
  Rng rng(5);
  for (int cols : {1, kTileCols - 1, kTileCols, 2 * kTileCols + 3}) {
    const Eigen::MatrixXf w = random_matrix(9, cols, rng);
    const PackedWeights pw(w, nullptr);
    const Eigen::MatrixXf back = pw.unpack();
    ASSERT_EQ(back.rows(), w.rows());
    ASSERT_EQ(back.cols(), w.cols());
    EXPECT_EQ(back, w) << cols << " columns";
  }
}

// The increments handed to a kernel call are all carried out, whether they fit in its
// product steps (k ≥ count / 2) or spill past them (k small).
TEST(PackedGemm, CarriesOutEveryPendingIncrement) {
  Rng rng(5);
  for (int k : {1, 3, 500}) {
    const Eigen::MatrixXf a = random_matrix(kTileRows, k, rng),
                          w = random_matrix(k, kTileCols, rng);
    PanelMatrix in, out;
    in.reshape(kTileRows, k);
    in.pack_rows(a, 0, 1);
    out.reshape(kTileRows, kTileCols);
    const PackedWeights pw(w, nullptr);
    std::vector<int32_t> slots(2 * kTileSize);
    std::vector<uint32_t> counts(17, 0), expected(17, 0);
    for (auto& s : slots) {
      s = static_cast<int32_t>(rng.below(17));
      ++expected[s];
    }
    tile_product(k, in.panel(0), pw.panel(0), pw.bias(0), out.tile(0, 0),
                 {slots.data(), static_cast<int>(slots.size()), counts.data()});
    EXPECT_EQ(counts, expected) << "k = " << k;
  }
}
