#pragma once
// Mean-field theory of the architectures (engine/architecture.h, block_net.h) at initialization:
// what a wide network's per-layer statistics should be with a norm and/or residual blocks.
//
// State: the kernel of one layer's values over a batch (the wide limit over the weights: every
// unit is a zero-mean Gaussian process over the inputs; Neal 1996, Lee et al. 2018),
//     q = E[x(a)²],   k = E[x(a)·x(b)]  (a ≠ b two examples of the batch).
// The input (i.i.d. entries of mean μ, variance s²) has q = μ² + s², k = μ².
// Maps (σ_w²(l) = Var(W)·fan_in, σ_b² = Var(b); zero-mean W and b):
//   linear   z = x·W + b:      (q, k) ↦ (σ_w²·q + σ_b²,  σ_w²·k + σ_b²)
//   φ:                         (q, k) ↦ (E[φ(u)²],  E[φ(u)φ(v)]),  (u, v) ~ N(0, [[q, k], [k, q]])
//                              (ReLU: Cho & Saul 2009's arc-cosine kernel, here by quadrature)
//   sum x + α·z (z's weights independent of x, so the cross terms vanish):
//                              (q, k) ↦ (q_x + α²·q_z,  k_x + α²·k_z)
//   BatchNorm (per channel over the batch; Ioffe & Szegedy 2015): a channel's batch variance is
//     v = (q − k)(1 − 1/B); h = γ(x − m)/√(v + ε) has Σ_a h(a) = 0 and batch variance γ²v/(v + ε):
//                              (q, k) ↦ (g,  −g/(B − 1)),  g = γ²·v/(v + ε)
//   LayerNorm / RMSNorm (per example over its n features; zero-mean units, so the feature mean is
//     O(1/√n) and the feature variance is q):  (q, k) ↦ γ²/(q + ε)·(q, k)
// Per layer (block_net.h has the model; x the stream / the layer's input):
//   plain:       z = lin(x), h = norm(z), out = φ(h)   — with any norm Var(h) = γ²·v/(v + ε) ≈ γ²
//                                                         every layer: the forward is fixed
//   projection:  out = z = lin(x)                        (residual nets' layer 1)
//   pre block:   out = x + α·lin(φ(norm(x)))  — no norm: q_{l+1} = q_l + α²(σ_w²E[φ(z)²] + σ_b²),
//                z ~ N(0, q_l) (He ReLU, α = 1: doubles per block; Hanin & Rolnick 2018, De & Smith
//                2020); LN/RMS: + α²(σ_w²E[φ(γξ)²] + σ_b²) per block (linear in depth,
//                Xiong et al. 2020); α = 1/√L keeps Σ α² = 1, bounded.
//   post block:  out = norm(x + α·lin(φ(x)))  — LN/RMS: Var(out) = γ²·s/(s + ε) ≈ γ² fixed
//                (s the sum's variance).
// Measured over a batch of B (LayerStats): a channel's batch mean m has E[m²] = k + (q − k)/B and
// its population variance E = (q − k)(1 − 1/B); their averages over the channels are
// channel_sq_mean and channel_var (Brock, De & Smith 2021's signal propagation plot).
//
// Backward: in a plain ReLU net with BatchNorm, E‖dL/dA‖² grows by π/(π − 1) ≈ 1.467 per layer
// towards the input as B → ∞ (Yang, Pennington, Rao, Sohl-Dickstein & Schoenholz 2019, "A mean
// field theory of batch normalization", the ReLU case of their gradient explosion rate λ_G); it
// does not depend on σ_w² or γ (BatchNorm is scale invariant). It is an asymptotic rate: the
// layers just below the output may differ while the gradient's batch structure settles. No
// closed form is given for other activations, for LN/RMS or for residual nets (grad_note).
//
// Not covered (Prediction::caveat): what theory_caveat() refuses (weights with a mean, eye, data
// stages) and biases with a non-zero mean (units are then not zero-mean processes).
#include "core/engine/architecture.h"
#include "mean_field.h"

namespace initscope {

// The kernel of one layer's values over a batch (formulas above).
struct BatchKernel {
  double q = 0;  // E[x(a)²]
  double k = 0;  // E[x(a)·x(b)], a ≠ b
  // The average over channels of the squared batch mean and of the population batch variance.
  double channel_sq_mean(int batch) const { return k + (q - k) / batch; }
  double channel_var(int batch) const { return (q - k) * (1 - 1.0 / batch); }
};

// E[φ(u)φ(v)] for (u, v) ~ N(0, [[q, k], [k, q]]) (|k| ≤ q; clamped), c = k/q: closed forms
// for linear (k), ReLU (the arc-cosine kernel q/(2π)·(sin θ + (π − θ)cos θ), θ = arccos c; Cho &
// Saul 2009) and leaky ReLU ((1 + a²)·K(c) − 2a·K(−c)); the others by
// activation_cross_moment_quadrature. NaN for an infinite or NaN q or k.
double activation_cross_moment(const Activation& act, double q, double k);
// By quadrature over u = √q·ξ₁ of φ(u)·E[φ(v) | u], the inner mean being
// activation_moments(φ, q(1 − c²), c·u); ~300 × 300 evaluations.
double activation_cross_moment_quadrature(const Activation& act, double q, double k);
// (E[φ(u)²], E[φ(u)φ(v)]).
BatchKernel activation_kernel(const Activation& act, const BatchKernel& in);
// The norm's output kernel for an input kernel `in` (kind None: `in`).
BatchKernel norm_kernel(NormKind kind, double gamma, const BatchKernel& in, int batch);

// π/(π − 1): E‖dL/dA‖² growth per layer of a plain BatchNorm ReLU net (Yang et al. 2019).
double batchnorm_relu_grad_sq_growth();

// The prediction of a column whose architecture `arch` is not plain (predict() calls it).
Prediction predict_architecture(const Experiment& e, const InitSpec& spec,
                                const Architecture& arch);
// Adds the channel statistics to a plain column's prediction (predict() calls it); leaves them
// NaN when a bias has a non-zero mean or the theory does not apply.
void add_plain_signal_propagation(const Experiment& e, const InitSpec& spec, Prediction& p);

}  // namespace initscope
