// The backward pass's products on the packed kernel (engine/packed_product.h) against a naive
// double-precision product, for every combination of plain and transposed operands and result,
// on shapes that leave partial panels; the same bits on one thread and on two.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "core/engine/packed_product.h"
#include "core/rng.h"

using namespace initscope;
using namespace initscope::gemm;

namespace {

Eigen::MatrixXf product_test_matrix(int rows, int cols, Rng& rng) {
  Eigen::MatrixXf m(rows, cols);
  for (int i = 0; i < m.size(); ++i) m(i) = static_cast<float>(rng.normal());
  return m;
}

}  // namespace

TEST(PackedProduct, MatchesNaiveDoubleProductForEveryTransposition) {
  Rng rng(11);
  // M, K, N: single rows and columns, partial panels, a sweep point's layer with batch 200.
  const int shapes[][3] = {{1, 1, 1},
                           {kTileRows - 1, 5, kTileCols + 1},
                           {kTileRows + 3, 200, 2 * kTileCols - 1},
                           {37, 1, 29},
                           {500, 200, 500}};
  double worst_ratio_all = 0;
  for (const auto& s : shapes) {
    const int m = s[0], k = s[1], n = s[2];
    for (int form = 0; form < 8; ++form) {
      const bool lhs_t = form & 1, rhs_t = form & 2, out_t = form & 4;
      // The operands stored as the view reads them: transposed storage for a transposed view.
      const Eigen::MatrixXf lhs =
          lhs_t ? product_test_matrix(k, m, rng) : product_test_matrix(m, k, rng);
      const Eigen::MatrixXf rhs =
          rhs_t ? product_test_matrix(n, k, rng) : product_test_matrix(k, n, rng);
      const ConstView l = lhs_t ? transposed_view_of(lhs) : view_of(lhs);
      const ConstView r = rhs_t ? transposed_view_of(rhs) : view_of(rhs);
      Eigen::MatrixXf one(out_t ? n : m, out_t ? m : n), two = one;
      ProductScratch scratch;
      product(l, r, out_t ? transposed_result_view_of(one) : result_view_of(one), scratch, 1);
      product(l, r, out_t ? transposed_result_view_of(two) : result_view_of(two), scratch, 2);
      EXPECT_TRUE(one == two) << m << "×" << k << "·" << k << "×" << n << " form " << form
                              << ": one and two threads differ";
      const ConstView c = out_t ? transposed_view_of(one) : view_of(one);
      // float accumulation: |error| ≤ k·eps·Σ|terms|, a loose bound that always holds.
      double worst_ratio = 0, worst = 0;
      for (int i = 0; i < m; ++i) {
        for (int j = 0; j < n; ++j) {
          double ref = 0, mag = 0;
          for (int t = 0; t < k; ++t) {
            ref += static_cast<double>(l(i, t)) * r(t, j);
            mag += std::fabs(static_cast<double>(l(i, t)) * r(t, j));
          }
          const double diff = std::fabs(c(i, j) - ref);
          const double bound = k * 1.2e-7 * mag + 1e-30;
          if (diff / bound > worst_ratio) worst_ratio = diff / bound, worst = diff;
        }
      }
      EXPECT_LE(worst_ratio, 1.0) << m << "×" << k << "·" << k << "×" << n << " form " << form
                                  << ": worst difference " << worst;
      worst_ratio_all = std::max(worst_ratio_all, worst_ratio);
    }
  }
  std::printf("packed products: worst difference %.2f of its bound\n", worst_ratio_all);
}
