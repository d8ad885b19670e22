#pragma once
// LSUV, layer-sequential unit-variance init (Mishkin & Matas, "All you need is a good init",
// 2016): start orthonormal, then for l = 1..L on a batch X forwarded through the already
// scaled layers, W_l ← W_l / √Var(Z_l) until |Var(Z_l) − 1| ≤ tol or max_iter rounds.
#include <Eigen/Core>
#include <vector>

#include "core/engine/activation.h"

namespace initscope {

// Scales w in place; b (one per layer) may be empty. Returns the rounds each layer took.
std::vector<int> lsuv_scale(std::vector<Eigen::MatrixXf>& w,
                            const std::vector<Eigen::RowVectorXf>& b, const Eigen::MatrixXf& x,
                            const Activation& act, double tol, int max_iter);

}  // namespace initscope
