// Mean-field theory of the architectures: the batch-kernel recursions (formulas in
// architecture_theory.h).
#include "architecture_theory.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "correlation_map.h"
#include "gaussian_quadrature.h"

namespace initscope {
namespace {

constexpr double kArchNaN = std::numeric_limits<double>::quiet_NaN();

// E[relu(u)relu(v)] for variances q and correlation c (Cho & Saul 2009's arc-cosine kernel of
// degree 1): q/(2π)·(sin θ + (π − θ)·cos θ), θ = arccos c.
double arch_arccos_kernel(double q, double c) {
  const double t = std::acos(c);
  return q / (2 * std::numbers::pi) * (std::sin(t) + (std::numbers::pi - t) * std::cos(t));
}

// The linear map z = x·W + b of a layer with effective init `init`.
BatchKernel arch_linear(const EffectiveInit& init, const BatchKernel& x) {
  return {init.sigma_w2 * x.q + init.sigma_b2, init.sigma_w2 * x.k + init.sigma_b2};
}

// The sum x + α·z of two independent processes.
BatchKernel arch_residual_sum(const BatchKernel& x, double alpha, const BatchKernel& z) {
  return {x.q + alpha * alpha * z.q, x.k + alpha * alpha * z.k};
}

double arch_sqrt(double v) {
  return std::sqrt(std::max(0.0, v));
}

// One layer: its prediction and the kernel of its output.
struct ArchLayerResult {
  LayerPrediction lp;
  BatchKernel out;
};

// Fills the output's numbers of `lp` from the output kernel; `mean` is E[out] per value.
void arch_fill_output(LayerPrediction& lp, const BatchKernel& out, double mean, int batch) {
  lp.act_mean = mean;
  lp.act_std = arch_sqrt(out.q - mean * mean);
  lp.channel_sq_mean = out.channel_sq_mean(batch);
  lp.channel_var = out.channel_var(batch);
}

ArchLayerResult arch_plain_layer(const Experiment& e, const Architecture& arch,
                                 const EffectiveInit& init, const BatchKernel& x) {
  ArchLayerResult r;
  const BatchKernel z = arch_linear(init, x);
  const BatchKernel h = norm_kernel(arch.norm, arch.norm_gain, z, e.batch);
  r.lp.q = z.q;
  if (arch.norm != NormKind::None) r.lp.normed_std = arch_sqrt(h.q);
  r.out = activation_kernel(e.activation, h);
  arch_fill_output(r.lp, r.out, activation_moments(e.activation, h.q).mean, e.batch);
  return r;
}

ArchLayerResult arch_block(const Experiment& e, const Architecture& arch, double alpha,
                           const EffectiveInit& init, const BatchKernel& x) {
  ArchLayerResult r;
  const bool pre = arch.residual == ResidualKind::Pre;
  // pre: z = lin(φ(norm(x))); post: z = lin(φ(x)).
  const BatchKernel h = pre ? norm_kernel(arch.norm, arch.norm_gain, x, e.batch) : x;
  const BatchKernel z = arch_linear(init, activation_kernel(e.activation, h));
  const BatchKernel sum = arch_residual_sum(x, alpha, z);
  r.lp.q = z.q;
  r.lp.branch_std = std::fabs(alpha) * arch_sqrt(z.q);
  r.lp.branch_channel_var = alpha * alpha * z.channel_var(e.batch);
  r.out = pre ? sum : norm_kernel(arch.norm, arch.norm_gain, sum, e.batch);
  if (arch.norm != NormKind::None) r.lp.normed_std = arch_sqrt(pre ? h.q : r.out.q);
  arch_fill_output(r.lp, r.out, 0.0, e.batch);
  return r;
}

BatchKernel arch_input_kernel(const Experiment& e) {
  const ValueMoments in = value_moments(e.input);
  return {in.second(), in.mean * in.mean};
}

// "" when the biases are zero-mean; else why the architecture theory does not apply.
std::string arch_bias_caveat(const Experiment& e) {
  if (!e.bias) return "";
  const ValueMoments b = value_moments(*e.bias);
  if (b.mean == 0) return "";
  return "the bias '" + e.bias->text +
         "' has a non-zero mean; the architecture theory assumes zero-mean biases";
}

std::string arch_grad_note(const Experiment& e, const Architecture& arch) {
  if (arch.residual_net())
    return "no closed form for the gradient of residual nets; no gradient line is drawn";
  if (arch.norm == NormKind::Batch)
    return std::string(
               "the BatchNorm gradient growth π/(π−1) holds for ReLU (Yang et al. "
               "2019); none is drawn for ") +
           e.activation.name();
  return std::string("no closed form for the gradient with ") + norm_name(arch.norm) +
         " norm; no gradient line is drawn";
}

}  // namespace

double activation_cross_moment(const Activation& act, double q, double k) {
  if (!std::isfinite(q) || !std::isfinite(k)) return kArchNaN;
  if (!(q > 0)) {
    const double a = act.apply(0);
    return a * a;
  }
  const double c = std::clamp(k / q, -1.0, 1.0);
  switch (act.kind) {
    case ActivationKind::Linear:
      return c * q;
    case ActivationKind::Relu:
      return arch_arccos_kernel(q, c);
    case ActivationKind::LeakyRelu:  // φ(u) = relu(u) − a·relu(−u); relu(−v) has correlation −c
      return (1 + act.slope * act.slope) * arch_arccos_kernel(q, c) -
             2 * act.slope * arch_arccos_kernel(q, -c);
    default:
      break;
  }
  return activation_cross_moment_quadrature(act, q, k);
}

double activation_cross_moment_quadrature(const Activation& act, double q, double k) {
  if (!std::isfinite(q) || !std::isfinite(k)) return kArchNaN;
  if (!(q > 0)) {
    const double a = act.apply(0);
    return a * a;
  }
  // The c-map's expectation (theory/correlation_map.h): both marginals N(0, q), correlation k/q.
  return pair_moments(act, q, std::clamp(k / q, -1.0, 1.0), 0, /*with_derivative=*/false).cross;
}

BatchKernel activation_kernel(const Activation& act, const BatchKernel& in) {
  return {activation_moments(act, in.q).second, activation_cross_moment(act, in.q, in.k)};
}

BatchKernel norm_kernel(NormKind kind, double gamma, const BatchKernel& in, int batch) {
  const double g2 = gamma * gamma;
  switch (kind) {
    case NormKind::None:
      return in;
    case NormKind::Batch: {
      const double v = std::max(0.0, in.channel_var(batch));
      const double h2 = g2 * v / (v + kNormEpsilon);
      return {h2, batch > 1 ? -h2 / (batch - 1) : 0.0};
    }
    case NormKind::Layer:
    case NormKind::Rms: {
      const double scale = g2 / (std::max(0.0, in.q) + kNormEpsilon);
      return {scale * in.q, scale * in.k};
    }
  }
  return in;
}

double batchnorm_relu_grad_sq_growth() {
  return std::numbers::pi / (std::numbers::pi - 1);
}

Prediction predict_architecture(const Experiment& e, const InitSpec& spec,
                                const Architecture& arch) {
  Prediction p;
  p.arch = arch;
  p.caveat = theory_caveat(e, spec);
  if (p.caveat.empty()) p.caveat = arch_bias_caveat(e);
  p.fixed.q_star = p.fixed.chi1 = p.fixed.depth_scale = kArchNaN;
  p.fixed.phase = "none";  // χ₁'s phases are the plain stack's
  const double alpha = arch.scale.resolve(arch.blocks(e.layers));
  BatchKernel x = arch_input_kernel(e);
  for (int l = 1; l <= e.layers; ++l) {
    const EffectiveInit init = effective_init(e, spec, l);
    ArchLayerResult r;
    if (arch.has_branch(l)) {
      r = arch_block(e, arch, alpha, init, x);
    } else if (arch.residual_net()) {  // the projection: out = z
      r.out = arch_linear(init, x);
      r.lp.q = r.out.q;
      arch_fill_output(r.lp, r.out, 0.0, e.batch);
    } else {
      r = arch_plain_layer(e, arch, init, x);
    }
    r.lp.layer = l;
    r.lp.sigma_w2 = init.sigma_w2;
    r.lp.preact_std = arch_sqrt(r.lp.q);
    p.layers.push_back(r.lp);
    p.init = init;
    x = r.out;
  }
  const bool bn_relu = !arch.residual_net() && arch.norm == NormKind::Batch &&
                       e.activation.kind == ActivationKind::Relu;
  if (bn_relu)
    p.grad_sq_growth = batchnorm_relu_grad_sq_growth();
  else
    p.grad_note = arch_grad_note(e, arch);
  return p;
}

void add_plain_signal_propagation(const Experiment& e, const InitSpec& spec, Prediction& p) {
  if (!p.caveat.empty() || !arch_bias_caveat(e).empty()) return;
  BatchKernel x = arch_input_kernel(e), z_before{kArchNaN, kArchNaN};
  for (LayerPrediction& lp : p.layers) {
    const BatchKernel z = arch_linear(effective_init(e, spec, lp.layer), x);
    if (!std::isfinite(z.q) || !std::isfinite(z.k)) return;  // overflowed: NaN from here on
    // At a fixed point (reached to rounding) the layer repeats the one before.
    if (z.q != z_before.q || z.k != z_before.k) x = activation_kernel(e.activation, z);
    z_before = z;
    lp.channel_sq_mean = x.channel_sq_mean(e.batch);
    lp.channel_var = x.channel_var(e.batch);
  }
}

}  // namespace initscope
