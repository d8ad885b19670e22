#pragma once
// The elementwise work of a dense layer in training, around its GEMMs: bias + φ forwards,
// dZ = dA ⊙ φ'(Z) backwards, and softmax cross-entropy at the output. One pass over the data
// each, no allocation once the outputs have their size. Shapes: Z, A, dA, dZ: B×n column-major;
// b: 1×n.
#include <Eigen/Core>
#include <cstdint>

#include "activation.h"

namespace initscope {

// Z = A_prev·W + b for B rows: Z starts as b in every row and the GEMM adds into it — no
// zeroing pass (Eigen zeroes the target of `=`) and no separate bias pass.
template <typename Input>
void affine_forward(const Input& a_prev, const Eigen::MatrixXf& w, const Eigen::RowVectorXf& b,
                    Eigen::MatrixXf& z) {
  z.noalias() = b.replicate(a_prev.rows(), 1);
  z.noalias() += a_prev * w;
}

// A = φ(Z): relu, leaky_relu and linear in one branch-free pass; the other activations through
// Activation::apply.
void activation_forward(const Activation& act, const Eigen::MatrixXf& z, Eigen::MatrixXf& a);

// dZ = dA ⊙ φ'(Z), with φ' from A where that is cheaper and exact enough: tanh 1 − A²,
// sigmoid A·(1 − A); relu/leaky_relu/linear from the sign of Z (torch's 0 at the kink); the
// others through Activation::derivative (double, per value).
void activation_backward(const Activation& act, const Eigen::MatrixXf& z, const Eigen::MatrixXf& a,
                         const Eigen::MatrixXf& d_a, Eigen::MatrixXf& d_z);

// Softmax cross-entropy of the logits Z (B×C) against labels y (B values < C):
//   returns Σ_i −log softmax(Z_i)[y_i]  (summed over the rows, in double; +∞/NaN for rows with
//   non-finite logits), adds to `correct` the rows whose largest logit (first on ties) is y_i;
//   if d_z: dZ = (softmax(Z) − onehot(y))·scale (scale = 1/B gives the mean loss's gradient).
double softmax_cross_entropy(const Eigen::MatrixXf& z, const uint8_t* labels, int64_t& correct,
                             Eigen::MatrixXf* d_z, float scale);

}  // namespace initscope
