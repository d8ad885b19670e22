#pragma once
// The trainable network of one compared column (training mode). A plain column (no norm, no
// residual) is the MLP
//   Z_l = A_{l−1}·W_l + b_l,  A_l = φ(Z_l) for the hidden layers l < L,  A_0 = X,
// and the last layer's Z_L are the logits of softmax cross-entropy (no φ). Any other
// architecture (engine/architecture.h) runs the block network (engine/block_net.h) with
// head = true: the same linear classifier as the last layer, the blocks or normed layers before
// it (block_forward / block_loss_backward below).
// Shapes: X B×d0, row-major (one image per row, so a mini-batch is gathered with contiguous
// copies); W_l fan_in×fan_out (as everywhere in initscope: torch's weight is Wᵀ); b_l 1×fan_out;
// Z_l, A_l and the gradients B×fan_out, column-major.
#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "activation.h"
#include "block_net.h"

namespace initscope {

using RowMatrixXf = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// w (layer l, 0-based: fan_in × fan_out) and b (1 × fan_out) as the MLP uses them; a column
// with a norm also has γ, β and BatchNorm's running moments (empty in plain columns).
using MlpParams = BlockNetParams;

// The buffers of one forward/backward pass, sized by the first pass and reused after that
// (the same B: no allocation).
struct MlpPass {
  std::vector<Eigen::MatrixXf> z;    // Z_l; z.back() are the logits
  std::vector<Eigen::MatrixXf> a;    // A_l for hidden layers (a.back() is unused)
  std::vector<Eigen::MatrixXf> d_a;  // dL/dA_l for hidden layers; d_a.back() = dL/dZ_L
  std::vector<Eigen::MatrixXf> d_w;  // dL/dW_l
  std::vector<Eigen::RowVectorXf> d_b;
  Eigen::MatrixXf d_z;  // dL/dZ_l of the layer being back-propagated (scratch)
  double loss_sum = 0;  // Σ over the rows of −log p(y) of the last forward
  int64_t correct = 0;  // rows classified correctly by the last forward
};

// The forward pass over the rows of x (B×d0): fills pass.z, pass.a.
void mlp_forward(const MlpParams& p, const Activation& act, const RowMatrixXf& x, MlpPass& pass);

// The loss of the last forward against labels (B values) and, when `gradients`, the backward
// pass: dL/dW_l, dL/db_l and dL/dA_l for L = (1/mean_over)·Σ_rows −log softmax(Z_L)[y].
// mean_over: the rows of the whole mini-batch when x is one shard of it (the shards' gradients
// then add up to the mini-batch's); 0 = x.rows(). Sets pass.loss_sum and pass.correct; returns
// the mean loss over x's rows.
double mlp_loss_backward(const MlpParams& p, const Activation& act, const RowMatrixXf& x,
                         const uint8_t* labels, MlpPass& pass, bool gradients = true,
                         Eigen::Index mean_over = 0);

// The buffers of one pass of a block-network column, reused from pass to pass like MlpPass.
struct BlockPass {
  Eigen::MatrixXf x;                   // the rows, column-major (BlockNet's layout): B×d0
  std::vector<BlockLayer> layers;      // every layer's values (BlockNet::forward, keep_all)
  Eigen::MatrixXf d_logits;            // dL/dZ_L
  BlockNet::Grads grads;               // dL/dW, dL/db, dL/dγ, dL/dβ
  std::vector<Eigen::MatrixXf> d_out;  // dL/d(out_l) per layer, when asked for (probe)
  double loss_sum = 0;
  int64_t correct = 0;
  const Eigen::MatrixXf& logits() const { return layers.back().out; }
};

// Copies x (row-major) into pass.x and runs net.forward over it (keep_all). options.keep_all is
// forced on; BatchNorm uses (and updates) running moments as options say.
void block_forward(const BlockNet& net, MlpParams& p, const RowMatrixXf& x, BlockPass& pass,
                   BlockNetOptions options = {});

// mlp_loss_backward for a block-network column, after block_forward: the loss against the
// labels and, when `gradients`, pass.grads (and pass.d_out when `keep_d_out`).
double block_loss_backward(const BlockNet& net, const MlpParams& p, const uint8_t* labels,
                           BlockPass& pass, bool gradients = true, Eigen::Index mean_over = 0,
                           bool keep_d_out = false);

}  // namespace initscope
