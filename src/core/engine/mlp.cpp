#include "mlp.h"

#include "layer_kernels.h"

namespace initscope {

void mlp_forward(const MlpParams& p, const Activation& act, const RowMatrixXf& x, MlpPass& pass) {
  const int L = p.layers();
  pass.z.resize(static_cast<size_t>(L));
  pass.a.resize(static_cast<size_t>(L));
  for (int l = 0; l < L; ++l) {
    Eigen::MatrixXf& z = pass.z[l];
    // Z = A·W + b: Eigen's GEMM straight into the reused buffer; the last Z are the logits.
    if (l == 0) {
      affine_forward(x, p.w[0], p.b[0], z);
    } else {
      affine_forward(pass.a[l - 1], p.w[l], p.b[l], z);
    }
    if (l + 1 < L) activation_forward(act, z, pass.a[l]);
  }
}

double mlp_loss_backward(const MlpParams& p, const Activation& act, const RowMatrixXf& x,
                         const uint8_t* labels, MlpPass& pass, bool gradients,
                         Eigen::Index mean_over) {
  const int L = p.layers();
  const Eigen::Index B = x.rows();
  pass.correct = 0;
  pass.d_a.resize(static_cast<size_t>(L));
  pass.d_w.resize(static_cast<size_t>(L));
  pass.d_b.resize(static_cast<size_t>(L));
  // dL/dZ_L = (softmax − onehot)/B (B of the whole mini-batch).
  Eigen::MatrixXf* d_logits = gradients ? &pass.d_a[L - 1] : nullptr;
  pass.loss_sum = softmax_cross_entropy(pass.z[L - 1], labels, pass.correct, d_logits,
                                        1.0f / static_cast<float>(mean_over > 0 ? mean_over : B));
  if (!gradients) return pass.loss_sum / static_cast<double>(B);
  for (int l = L - 1; l >= 0; --l) {
    // dZ_l: the logits' gradient for the last layer, else dA_l ⊙ φ'(Z_l).
    const Eigen::MatrixXf* d_z = &pass.d_a[l];
    if (l + 1 < L) {
      activation_backward(act, pass.z[l], pass.a[l], pass.d_a[l], pass.d_z);
      d_z = &pass.d_z;
    }
    // dW_l = A_{l−1}ᵀ·dZ_l (fan_in×fan_out); db_l = Σ_rows dZ_l; dA_{l−1} = dZ_l·W_lᵀ.
    if (l == 0) {
      pass.d_w[0].noalias() = x.transpose() * (*d_z);
    } else {
      pass.d_w[l].noalias() = pass.a[l - 1].transpose() * (*d_z);
    }
    pass.d_b[l].noalias() = d_z->colwise().sum();
    if (l > 0) pass.d_a[l - 1].noalias() = (*d_z) * p.w[l].transpose();
  }
  return pass.loss_sum / static_cast<double>(B);
}

void block_forward(const BlockNet& net, MlpParams& p, const RowMatrixXf& x, BlockPass& pass,
                   BlockNetOptions options) {
  pass.x = x;
  options.keep_all = true;
  net.forward(p, pass.x, pass.layers, options);
}

double block_loss_backward(const BlockNet& net, const MlpParams& p, const uint8_t* labels,
                           BlockPass& pass, bool gradients, Eigen::Index mean_over,
                           bool keep_d_out) {
  const Eigen::Index B = pass.x.rows();
  pass.correct = 0;
  // dL/dZ_L = (softmax − onehot)/B (B of the whole mini-batch), as mlp_loss_backward.
  pass.loss_sum = softmax_cross_entropy(pass.logits(), labels, pass.correct,
                                        gradients ? &pass.d_logits : nullptr,
                                        1.0f / static_cast<float>(mean_over > 0 ? mean_over : B));
  if (!gradients) return pass.loss_sum / static_cast<double>(B);
  if (keep_d_out) pass.d_out.resize(static_cast<size_t>(p.layers()));
  net.backward(p, pass.x, pass.layers, pass.d_logits, pass.grads,
               [&](int l, const Eigen::MatrixXf& d_out, const Eigen::MatrixXf&) {
                 if (keep_d_out) pass.d_out[l] = d_out;
               });
  return pass.loss_sum / static_cast<double>(B);
}

}  // namespace initscope
