#pragma once
// C = L·R for the backward pass's GEMMs on the forward pass's packed micro-kernel
// (packed_gemm.h): both operands are packed per call (L into row panels of MR, R into column
// panels of NR; O(M·K + K·N) copies against O(M·N·K) multiply-adds) and every MR × NR tile of C
// is one tile_product. Operands and result are strided views, so that transposes cost nothing
// beyond the packing: the backward pass's dW = A_prevᵀ·dZ and dA_prevᵀ = W·dZᵀ are read from
// the column-major matrices as they are.
// Why not Eigen: on a sweep point's layers (500 × 500, batch 200) on one thread Eigen 3.4's
// products ran at about half the FMA peak, this kernel at the forward pass's (README, issue 15).
#include <Eigen/Core>
#include <cstddef>

#include "packed_gemm.h"

namespace initscope::gemm {

// Element (i, j) of a rows × cols float matrix at data[i·row_step + j·col_step].
template <typename Float>
struct StridedMatrix {
  Float* data = nullptr;
  int rows = 0, cols = 0;
  ptrdiff_t row_step = 1, col_step = 0;
  Float& operator()(int i, int j) const { return data[i * row_step + j * col_step]; }
};
using ConstView = StridedMatrix<const float>;
using View = StridedMatrix<float>;

// m (column-major) as it is, or transposed: as an operand, and as a result to write.
ConstView view_of(const Eigen::MatrixXf& m);
ConstView transposed_view_of(const Eigen::MatrixXf& m);
View result_view_of(Eigen::MatrixXf& m);
View transposed_result_view_of(Eigen::MatrixXf& m);

// The packed operands of product(), kept between calls (a backward pass's layers reuse them).
struct ProductScratch {
  AlignedFloats lhs, rhs;
};

// out = lhs · rhs (lhs: M × K, rhs: K × N, out: M × N) on `threads` threads (1: no OpenMP
// region). Each tile sums its K products in one fixed order, so the result's bits do not depend
// on the thread count.
void product(ConstView lhs, ConstView rhs, View out, ProductScratch& scratch, int threads);

}  // namespace initscope::gemm
