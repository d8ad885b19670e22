#pragma once
// The backward pass of the MLP, one layer at a time, and the losses it starts from.
#include <Eigen/Core>
#include <string>

#include "activation.h"
#include "core/rng.h"
#include "packed_product.h"

namespace initscope {

// dL/dA_L for the output A_L (B×n) and the loss value, averaged over the batch:
//   sum:  L = (1/B)·Σ A                 dA = 1/B
//   mse:  L = (1/2B)·Σ (A − Y)²,  Y ~ N(0,1) from rng           dA = (A − Y)/B
//   xent: L = −(1/B)·Σ_i log softmax(A_i)[y_i], y_i uniform in [0, n) from rng
//                                        dA = (softmax(A) − onehot(y))/B
double loss_gradient(const std::string& loss, const Eigen::MatrixXf& a, Rng& rng,
                     Eigen::MatrixXf& d_a);

// φ'(Z) elementwise (vectorised over the OpenMP pool).
void activation_derivative(const Activation& act, const Eigen::MatrixXf& z, Eigen::MatrixXf& d);

// One layer backwards. Shapes: dA, Z: B×out; A_prev: B×in; W: in×out.
//   dZ = dA ⊙ φ'(Z);  dW = A_prevᵀ·dZ (in×out);  dA_prev = dZ·Wᵀ (B×in, skipped if null)
// Both products on the packed kernel (packed_product.h; `products` keeps its packed operands),
// on one thread below engine/threading.h's kSerialWork, else on the OpenMP pool; the results'
// bits do not depend on the thread count.
void layer_backward(const Activation& act, const Eigen::MatrixXf& d_a, const Eigen::MatrixXf& z,
                    const Eigen::MatrixXf& a_prev, const Eigen::MatrixXf& w, Eigen::MatrixXf& d_z,
                    Eigen::MatrixXf& d_w, Eigen::MatrixXf* d_a_prev,
                    gemm::ProductScratch& products);

}  // namespace initscope
