#include "block_net.h"

#include "core/engine/backprop.h"

namespace initscope {
namespace {

// z = x·W + b (B × fan_out).
void linear(const Eigen::MatrixXf& x, const BlockNetParams& p, int l, Eigen::MatrixXf& z) {
  z.noalias() = x * p.w[l];
  if (!p.b.empty()) z.rowwise() += p.b[l];
}

// dL/dW = xᵀ·d_z, dL/db = Σ_rows d_z.
void linear_grads(const Eigen::MatrixXf& x, const Eigen::MatrixXf& d_z, bool bias, int l,
                  BlockNet::Grads& g) {
  g.w[l].noalias() = x.transpose() * d_z;
  if (bias) g.b[l] = d_z.colwise().sum();
}

}  // namespace

void init_norm_params(const Architecture& arch, bool head, BlockNetParams& p) {
  const int L = p.layers();
  p.gamma.assign(L, Eigen::RowVectorXf());
  p.beta.assign(L, Eigen::RowVectorXf());
  p.running.assign(L, RunningMoments{});
  for (int l = 0; l < L; ++l) {
    if (!arch.has_norm(l + 1) || (head && l == L - 1)) continue;
    const Eigen::Index n = p.w[l].cols();
    p.gamma[l] = Eigen::RowVectorXf::Constant(n, static_cast<float>(arch.norm_gain));
    p.beta[l] = Eigen::RowVectorXf::Zero(n);
    p.running[l].mean = Eigen::RowVectorXf::Zero(n);
    p.running[l].var = Eigen::RowVectorXf::Ones(n);
  }
}

BlockNet::BlockNet(const Architecture& arch, const Activation& act, int layers, bool head)
    : arch_(arch),
      act_(act),
      layers_(layers),
      head_(head),
      alpha_(arch.scale.resolve(arch.blocks(layers) - (head ? 1 : 0))) {}

BlockNet::Role BlockNet::role(int l) const {
  if (head_ && l == layers_ - 1) return Role::Head;
  if (!arch_.residual_net()) return Role::Plain;
  return l == 0 ? Role::Projection : Role::Block;
}

void BlockNet::forward(BlockNetParams& p, const Eigen::MatrixXf& x, std::vector<BlockLayer>& layers,
                       const BlockNetOptions& o) const {
  layers.resize(o.keep_all ? static_cast<size_t>(layers_) : 2);
  const bool norm = arch_.norm != NormKind::None;
  for (int l = 0; l < layers_; ++l) {
    BlockLayer& v = layers[o.keep_all ? l : l % 2];
    const Eigen::MatrixXf& in = l == 0 ? x : layers[o.keep_all ? l - 1 : (l - 1) % 2].out;
    RunningMoments* run = o.update_running || o.use_running ? &p.running[l] : nullptr;
    switch (role(l)) {
      case Role::Head:
      case Role::Projection:
        linear(in, p, l, v.z);
        v.out = v.z;
        break;
      case Role::Plain:
        linear(in, p, l, v.z);
        if (norm) {
          norm_forward(arch_.norm, v.z, p.gamma[l], p.beta[l], v.normed, v.cache, run,
                       o.use_running);
          act_.apply(v.normed, v.out);
        } else {
          act_.apply(v.z, v.out);
        }
        break;
      case Role::Block:
        if (arch_.residual == ResidualKind::Pre) {
          if (norm) {
            norm_forward(arch_.norm, in, p.gamma[l], p.beta[l], v.normed, v.cache, run,
                         o.use_running);
            act_.apply(v.normed, v.phi);
          } else {
            act_.apply(in, v.phi);
          }
          linear(v.phi, p, l, v.z);
          v.branch = static_cast<float>(alpha_) * v.z;
          v.out = in + v.branch;
        } else {
          act_.apply(in, v.phi);
          linear(v.phi, p, l, v.z);
          v.branch = static_cast<float>(alpha_) * v.z;
          if (norm) {
            v.sum = in + v.branch;
            norm_forward(arch_.norm, v.sum, p.gamma[l], p.beta[l], v.out, v.cache, run,
                         o.use_running);
            v.normed = v.out;
          } else {
            v.out = in + v.branch;
          }
        }
        break;
    }
    if (o.layer_done) o.layer_done(l, v);
  }
}

void BlockNet::backward(
    const BlockNetParams& p, const Eigen::MatrixXf& x, const std::vector<BlockLayer>& layers,
    const Eigen::MatrixXf& d_out, Grads& g,
    const std::function<void(int, const Eigen::MatrixXf&, const Eigen::MatrixXf&)>& visit) const {
  const int L = layers_;
  const bool bias = !p.b.empty(), norm = arch_.norm != NormKind::None;
  g.w.resize(L);
  g.b.resize(bias ? L : 0);
  g.gamma.resize(L);
  g.beta.resize(L);
  Eigen::MatrixXf d = d_out, d_z, d_h, d_p, d_x, deriv;
  for (int l = L - 1; l >= 0; --l) {
    const BlockLayer& v = layers[l];
    const Eigen::MatrixXf& in = l == 0 ? x : layers[l - 1].out;
    const bool has_norm = p.gamma[l].size() > 0;
    if (has_norm) {
      g.gamma[l] = Eigen::RowVectorXf::Zero(p.gamma[l].size());
      g.beta[l] = Eigen::RowVectorXf::Zero(p.gamma[l].size());
    }
    Eigen::RowVectorXf* dg = has_norm ? &g.gamma[l] : nullptr;
    Eigen::RowVectorXf* db = has_norm ? &g.beta[l] : nullptr;
    switch (role(l)) {
      case Role::Head:
      case Role::Projection:
        linear_grads(in, d, bias, l, g);
        if (visit) visit(l, d, g.w[l]);
        if (l > 0) d_x.noalias() = d * p.w[l].transpose();
        break;
      case Role::Plain:
        activation_derivative(act_, norm ? v.normed : v.z, deriv);
        if (norm) {
          d_h = d.cwiseProduct(deriv);
          norm_backward(arch_.norm, v.z, p.gamma[l], v.cache, d_h, d_z, dg, db);
        } else {
          d_z = d.cwiseProduct(deriv);
        }
        linear_grads(in, d_z, bias, l, g);
        if (visit) visit(l, d, g.w[l]);
        if (l > 0) d_x.noalias() = d_z * p.w[l].transpose();
        break;
      case Role::Block: {
        const bool pre = arch_.residual == ResidualKind::Pre;
        // Post-norm: back through the norm first; d_s is the sum's gradient.
        if (!pre && norm) norm_backward(arch_.norm, v.sum, p.gamma[l], v.cache, d, d_h, dg, db);
        const Eigen::MatrixXf& d_s = !pre && norm ? d_h : d;
        d_z = static_cast<float>(alpha_) * d_s;
        linear_grads(v.phi, d_z, bias, l, g);
        if (visit) visit(l, d, g.w[l]);
        d_p.noalias() = d_z * p.w[l].transpose();
        activation_derivative(act_, pre && norm ? v.normed : in, deriv);
        d_p.array() *= deriv.array();
        if (pre && norm) {
          norm_backward(arch_.norm, in, p.gamma[l], v.cache, d_p, d_x, dg, db);
          d_x += d_s;
        } else {
          d_x = d_s + d_p;
        }
        break;
      }
    }
    if (l > 0) d.swap(d_x);
  }
}

}  // namespace initscope
