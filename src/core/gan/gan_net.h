#pragma once
// The two networks of the GAN experiment (issue 14): a feed-forward MLP with one activation per
// layer,
//   Z_l = A_{l−1}·W_l + b_l,  A_l = φ_l(Z_l),  A_0 = X,  l = 1..L,
// G: φ = the hidden activation (LeakyReLU(0.2)) then tanh at the output (the image);
// D: φ = the hidden activation then linear at the output (one logit; the sigmoid is applied in
// the loss, BCE with logits, gan_loss.h).
// Shapes as in engine/mlp.h: W_l fan_in×fan_out (torch's weight is Wᵀ), b_l 1×fan_out; X, Z_l,
// A_l and every gradient B×n, column-major (one example per row).
#include <Eigen/Core>
#include <vector>

#include "core/engine/activation.h"

namespace initscope {

struct GanNet {
  std::vector<Eigen::MatrixXf> w;     // W_l, fan_in × fan_out
  std::vector<Eigen::RowVectorXf> b;  // b_l, 1 × fan_out
  std::vector<Activation> act;        // φ_l
  int layers() const { return static_cast<int>(w.size()); }
  int input_dim() const { return static_cast<int>(w.front().rows()); }
  int output_dim() const { return static_cast<int>(w.back().cols()); }
};

// The buffers of one forward/backward pass, sized by the first pass and reused after that
// (the same B: no allocation).
struct GanPass {
  std::vector<Eigen::MatrixXf> z, a;  // Z_l, A_l (a.back() is the output)
  std::vector<Eigen::MatrixXf> d_a;   // dL/dA_l (d_a.back() = dL/d(output), given)
  std::vector<Eigen::MatrixXf> d_w;   // dL/dW_l
  std::vector<Eigen::RowVectorXf> d_b;
  std::vector<Eigen::MatrixXf> d_z;  // dL/dZ_l (kept for gan_param_grads)
  Eigen::MatrixXf d_input;           // dL/dX, when asked for
  const Eigen::MatrixXf& output() const { return a.back(); }
  // dL/d(output) (B × output width): the caller writes it here before gan_backward.
  Eigen::MatrixXf& d_output() { return d_a.back(); }
};

// The forward pass of x (B × input width): fills pass.z, pass.a and sizes pass.d_a.
void gan_forward(const GanNet& net, const Eigen::MatrixXf& x, GanPass& pass);

// The backward pass after gan_forward(net, x, pass), from pass.d_output(): dL/dZ_l = dL/dA_l ⊙
// φ_l'(Z_l), dL/dW_l = A_{l−1}ᵀ·dL/dZ_l, dL/db_l = Σ_rows dL/dZ_l, dL/dA_{l−1} = dL/dZ_l·W_lᵀ.
// `param_grads` false skips dL/dW and dL/db (G's loss back-propagated through D only needs
// dL/dX); `input_grad` fills pass.d_input = dL/dX.
void gan_backward(const GanNet& net, const Eigen::MatrixXf& x, GanPass& pass, bool param_grads,
                  bool input_grad);

// The backward pass without the parameter gradients: dL/dZ_l for every layer (pass.d_z) and
// dL/dA_{l−1} = dL/dZ_l·W_lᵀ, `input_grad`: pass.d_input = dL/dX. The rows are independent, so a
// mini-batch may be back-propagated in row parts (one GanPass each) on different threads.
void gan_backward_deltas(const GanNet& net, GanPass& pass, bool input_grad);

// One row part of a mini-batch after gan_backward_deltas: its input X and its pass.
struct GanRowPart {
  const Eigen::MatrixXf* x;
  const GanPass* pass;
};

// Columns [c0, c1) of layer l's parameter gradients from the row parts of a mini-batch, added
// in part order: dL/dW_l[:, c0:c1] = Σ_p A_{l−1,p}ᵀ·dL/dZ_{l,p}[:, c0:c1] (A_0 = X),
// dL/db_l[c0:c1] = Σ_p Σ_rows dL/dZ_{l,p}[:, c0:c1]. d_w, d_b must have their size (fan_in ×
// fan_out, 1 × fan_out); threads may fill disjoint column ranges of them at once.
void gan_param_grads(int l, const GanRowPart* parts, int count, Eigen::Index c0, Eigen::Index c1,
                     Eigen::MatrixXf& d_w, Eigen::RowVectorXf& d_b);

// Binary cross-entropy with logits over n rows, for target 1 (real) or 0 (fake):
//   loss_i = −log σ(ℓ_i) = softplus(−ℓ_i)      (target 1)
//   loss_i = −log(1 − σ(ℓ_i)) = softplus(ℓ_i)  (target 0),
// softplus(x) = max(x, 0) + log1p(e^−|x|) in double (no overflow; ±∞ / NaN logits give a
// non-finite loss). Writes dL/dℓ_i = (σ(ℓ_i) − target)·scale into d_logits (scale = 1/B: the
// gradient of the mean). Returns the sums over the rows.
struct BceSums {
  double loss = 0;        // Σ loss_i
  double prob = 0;        // Σ σ(ℓ_i)
  double above_half = 0;  // rows with σ(ℓ_i) > 0.5 (ℓ_i > 0)
};
BceSums bce_with_logits(const float* logits, float* d_logits, Eigen::Index n, bool target_real,
                        float scale);

}  // namespace initscope
