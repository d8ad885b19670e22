#include "gan_net.h"

#include <algorithm>
#include <cmath>

#include "core/engine/layer_kernels.h"

namespace initscope {

void gan_forward(const GanNet& net, const Eigen::MatrixXf& x, GanPass& pass) {
  const int L = net.layers();
  pass.z.resize(static_cast<size_t>(L));
  pass.a.resize(static_cast<size_t>(L));
  pass.d_a.resize(static_cast<size_t>(L));
  for (int l = 0; l < L; ++l) {
    const Eigen::MatrixXf& in = l == 0 ? x : pass.a[l - 1];
    affine_forward(in, net.w[l], net.b[l], pass.z[l]);
    activation_forward(net.act[l], pass.z[l], pass.a[l]);
    pass.d_a[l].resize(x.rows(), net.w[l].cols());  // no-op after the first pass
  }
}

void gan_backward_deltas(const GanNet& net, GanPass& pass, bool input_grad) {
  const int L = net.layers();
  pass.d_z.resize(static_cast<size_t>(L));
  for (int l = L - 1; l >= 0; --l) {
    activation_backward(net.act[l], pass.z[l], pass.a[l], pass.d_a[l], pass.d_z[l]);
    if (l > 0) {
      pass.d_a[l - 1].noalias() = pass.d_z[l] * net.w[l].transpose();
    } else if (input_grad) {
      pass.d_input.noalias() = pass.d_z[l] * net.w[0].transpose();
    }
  }
}

void gan_param_grads(int l, const GanRowPart* parts, int count, Eigen::Index c0, Eigen::Index c1,
                     Eigen::MatrixXf& d_w, Eigen::RowVectorXf& d_b) {
  const Eigen::Index n = c1 - c0;
  if (n <= 0) return;
  for (int p = 0; p < count; ++p) {
    const GanPass& pass = *parts[p].pass;
    const Eigen::MatrixXf& in = l == 0 ? *parts[p].x : pass.a[l - 1];
    const auto d_z = pass.d_z[l].middleCols(c0, n);
    if (p == 0) {
      d_w.middleCols(c0, n).noalias() = in.transpose() * d_z;
      d_b.segment(c0, n).noalias() = d_z.colwise().sum();
    } else {
      d_w.middleCols(c0, n).noalias() += in.transpose() * d_z;
      d_b.segment(c0, n).noalias() += d_z.colwise().sum();
    }
  }
}

void gan_backward(const GanNet& net, const Eigen::MatrixXf& x, GanPass& pass, bool param_grads,
                  bool input_grad) {
  gan_backward_deltas(net, pass, input_grad);
  if (!param_grads) return;
  const int L = net.layers();
  pass.d_w.resize(static_cast<size_t>(L));
  pass.d_b.resize(static_cast<size_t>(L));
  const GanRowPart whole{&x, &pass};
  for (int l = 0; l < L; ++l) {
    pass.d_w[l].resize(net.w[l].rows(), net.w[l].cols());
    pass.d_b[l].resize(net.w[l].cols());
    gan_param_grads(l, &whole, 1, 0, net.w[l].cols(), pass.d_w[l], pass.d_b[l]);
  }
}

BceSums bce_with_logits(const float* logits, float* d_logits, Eigen::Index n, bool target_real,
                        float scale) {
  BceSums s;
  for (Eigen::Index i = 0; i < n; ++i) {
    const double l = logits[i];
    const double x = target_real ? -l : l;
    s.loss += std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x)));
    const double p = l >= 0 ? 1 / (1 + std::exp(-l)) : std::exp(l) / (1 + std::exp(l));
    s.prob += p;
    s.above_half += l > 0 ? 1 : 0;
    d_logits[i] = static_cast<float>((p - (target_real ? 1.0 : 0.0)) * scale);
  }
  return s;
}

}  // namespace initscope
