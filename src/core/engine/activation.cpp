// Activations: parsing, torch's calculate_gain, scalar references and the vectorised apply.

// GCC 12 reports false (maybe-)uninitialized warnings inside its own AVX-512 intrinsics when
// Eigen's vectorised exp/tanh/erf are inlined; the diagnostic state at the intrinsics header's
// lines decides, so Eigen is included first, with those two warnings off.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>
#pragma GCC diagnostic pop

#include <algorithm>
#include <charconv>
#include <cmath>

#include "activation.h"
#include "core/did_you_mean.h"
#include "core/error.h"
#include "core/theory/gaussian_quadrature.h"

namespace initscope {
namespace {

// torch.nn.SELU constants.
constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluScale = 1.0507009873554804934193349852946;
constexpr double kInvSqrt2 = 0.70710678118654752440;

struct NamedKind {
  const char* name;
  ActivationKind kind;
};
constexpr NamedKind kKinds[] = {
    {"tanh", ActivationKind::Tanh},         {"sigmoid", ActivationKind::Sigmoid},
    {"relu", ActivationKind::Relu},         {"leaky_relu", ActivationKind::LeakyRelu},
    {"linear", ActivationKind::Linear},     {"elu", ActivationKind::Elu},
    {"selu", ActivationKind::Selu},         {"gelu", ActivationKind::Gelu},
    {"softplus", ActivationKind::Softplus}, {"swish", ActivationKind::Swish},
};

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

// Shortest text that reads back as the same double ("0.2", "1e-05").
std::string shortest(double x) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

double sigmoid(double z) {
  return 1.0 / (1.0 + std::exp(-z));
}

// ---- vectorised kernels on a contiguous run of n floats --------------------------------------
// Transcendentals go through Eigen's vectorised array functions into scratch arrays. Branches
// are plain loops of `c ? x : y` on floats, which GCC turns into SIMD blends; Eigen 3.4's
// select() is evaluated coefficient by coefficient and would drag exp/log back to scalar libm.
using ArrayMap = Eigen::Map<Eigen::ArrayXf>;
using ConstArrayMap = Eigen::Map<const Eigen::ArrayXf>;

struct Scratch {
  explicit Scratch(Eigen::Index n) : t(n), u(n) {}
  Eigen::ArrayXf t, u;
};

// out[i] = expm1(z[i]) for z[i] <= 0 (z[i] itself for z > 0 when `keep_positive`). exp(z) - 1
// loses relative precision near 0, so a degree-6 Taylor polynomial takes over for |z| < 0.1
// (truncation error |z|⁶/5040 < 2e-10 relative).
void elu_into(const float* zp, float* out, Eigen::Index n, Scratch& s) {
  const ConstArrayMap z(zp, n);
  auto t = s.t.head(n), u = s.u.head(n);
  t = z.exp() - 1.f;
  u = z *
      (1.f + z * (1.f / 2 + z * (1.f / 6 + z * (1.f / 24 + z * (1.f / 120 + z * (1.f / 720))))));
  const float* e = t.data();
  const float* p = u.data();
  for (Eigen::Index i = 0; i < n; ++i) {
    const float x = zp[i];
    out[i] = x > 0.f ? x : (x > -0.1f ? p[i] : e[i]);
  }
}

void apply_run(ActivationKind kind, float slope, const float* zp, float* ap, Eigen::Index n,
               Scratch& s) {
  const ConstArrayMap z(zp, n);
  ArrayMap a(ap, n);
  switch (kind) {
    case ActivationKind::Tanh:
      a = z.tanh();
      return;
    case ActivationKind::Sigmoid:
      a = 1.f / (1.f + (-z).exp());
      return;
    case ActivationKind::Relu:  // x < 0 is false for NaN, so NaN passes through
      for (Eigen::Index i = 0; i < n; ++i) ap[i] = zp[i] < 0.f ? 0.f : zp[i];
      return;
    case ActivationKind::LeakyRelu:
      for (Eigen::Index i = 0; i < n; ++i) ap[i] = zp[i] < 0.f ? slope * zp[i] : zp[i];
      return;
    case ActivationKind::Linear:
      if (ap != zp) a = z;
      return;
    case ActivationKind::Elu:
      elu_into(zp, ap, n, s);
      return;
    case ActivationKind::Selu: {
      elu_into(zp, ap, n, s);
      const float alpha = float(kSeluAlpha), scale = float(kSeluScale);
      for (Eigen::Index i = 0; i < n; ++i) ap[i] = scale * (ap[i] > 0.f ? ap[i] : alpha * ap[i]);
      return;
    }
    case ActivationKind::Gelu:
      a = 0.5f * z * (1.f + (z * float(kInvSqrt2)).erf());
      return;
    case ActivationKind::Softplus: {
      // log(1+e^z) = max(z,0) + log1p(e^-|z|); log1p(t) = log(u)·t/(u-1) with u = 1+t
      // (Goldberg's trick keeps full relative precision for tiny t; u = 1 means log1p(t) = t).
      auto t = s.t.head(n), u = s.u.head(n);
      t = (-z.abs()).exp();
      u = (1.f + t).log();
      const float* tp = t.data();
      const float* lp = u.data();
      for (Eigen::Index i = 0; i < n; ++i) {
        const float one_plus = 1.f + tp[i];
        const float log1p = one_plus == 1.f ? tp[i] : lp[i] * tp[i] / (one_plus - 1.f);
        const float x = zp[i];
        ap[i] = (x > 0.f ? x : 0.f) + (x != x ? x : log1p);  // NaN in, NaN out
      }
      return;
    }
    case ActivationKind::Swish:
      a = z / (1.f + (-z).exp());
      return;
  }
}

}  // namespace

const std::vector<std::string>& activation_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& k : kKinds) v.emplace_back(k.name);
    return v;
  }();
  return names;
}

Activation Activation::parse(const std::string& text, const std::string& option) {
  const std::string head = option + " '" + text + "': ";
  const std::string spec = trim(text);
  const auto colon = spec.find(':');
  const std::string name = trim(spec.substr(0, colon));
  Activation act;
  bool found = false;
  for (const auto& k : kKinds) {
    if (name == k.name) {
      act.kind = k.kind;
      found = true;
    }
  }
  if (!found) {
    std::string allowed;
    for (const auto& n : activation_names()) allowed += (allowed.empty() ? "" : ", ") + n;
    throw UsageError(head + "unknown activation '" + name + "'; " +
                     did_you_mean(name, activation_names()) + "allowed: " + allowed);
  }
  if (colon == std::string::npos) return act;
  if (act.kind != ActivationKind::LeakyRelu)
    throw UsageError(head + name + " takes no parameters (only leaky_relu has one: slope)");
  const std::string param = trim(spec.substr(colon + 1));
  const auto eq = param.find('=');
  if (eq == std::string::npos)
    throw UsageError(head + "expected slope=VALUE after ':', got '" + param + "'");
  const std::string key = trim(param.substr(0, eq));
  const std::string value = trim(param.substr(eq + 1));
  if (key != "slope")
    throw UsageError(head + "unknown key '" + key + "' for leaky_relu; allowed: slope");
  const char* first = value.data() + (value.starts_with('+') ? 1 : 0);
  const char* last = value.data() + value.size();
  double slope = 0;
  const auto r = std::from_chars(first, last, slope);
  if (value.empty() || r.ec != std::errc() || r.ptr != last || !std::isfinite(slope))
    throw UsageError(head + "value '" + value + "' for slope is not a finite number");
  if (slope < 0) throw UsageError(head + "slope must be >= 0, got " + value);
  act.slope = slope;
  return act;
}

std::string Activation::name() const {
  for (const auto& k : kKinds) {
    if (k.kind != kind) continue;
    if (kind == ActivationKind::LeakyRelu && slope != 0.01)
      return std::string(k.name) + ":slope=" + shortest(slope);
    return k.name;
  }
  return "?";
}

double Activation::gain() const {
  switch (kind) {
    case ActivationKind::Tanh:
      return 5.0 / 3;
    case ActivationKind::Relu:
      return std::sqrt(2.0);
    case ActivationKind::LeakyRelu:
      return std::sqrt(2.0 / (1 + slope * slope));
    case ActivationKind::Selu:
      return 3.0 / 4;
    default:  // linear, sigmoid (torch: 1); elu, gelu, softplus, swish (torch has none)
      return 1.0;
  }
}

std::optional<std::pair<double, double>> Activation::bounded_range() const {
  if (kind == ActivationKind::Tanh) return std::make_pair(-1.0, 1.0);
  if (kind == ActivationKind::Sigmoid) return std::make_pair(0.0, 1.0);
  return std::nullopt;
}

bool Activation::relu_like() const {
  return kind == ActivationKind::Relu || kind == ActivationKind::LeakyRelu;
}

bool Activation::has_saturation() const {
  return kind == ActivationKind::Tanh || kind == ActivationKind::Sigmoid;
}

double Activation::apply(double z) const {
  if (std::isnan(z)) return z;
  switch (kind) {
    case ActivationKind::Tanh:
      return std::tanh(z);
    case ActivationKind::Sigmoid:
      return sigmoid(z);
    case ActivationKind::Relu:
      return z < 0 ? 0.0 : z;
    case ActivationKind::LeakyRelu:
      return z < 0 ? slope * z : z;
    case ActivationKind::Linear:
      return z;
    case ActivationKind::Elu:
      return z > 0 ? z : std::expm1(z);
    case ActivationKind::Selu:
      return kSeluScale * (z > 0 ? z : kSeluAlpha * std::expm1(z));
    case ActivationKind::Gelu:  // exact: z·Φ(z); erfc keeps precision for negative z
      return 0.5 * z * std::erfc(-z * kInvSqrt2);
    case ActivationKind::Softplus:
      return std::max(z, 0.0) + std::log1p(std::exp(-std::fabs(z)));
    case ActivationKind::Swish:
      return z / (1.0 + std::exp(-z));
  }
  return z;
}

double Activation::derivative(double z) const {
  if (std::isnan(z)) return z;
  switch (kind) {
    case ActivationKind::Tanh: {
      const double t = std::tanh(z);
      return 1 - t * t;
    }
    case ActivationKind::Sigmoid: {
      const double s = sigmoid(z);
      return s * (1 - s);
    }
    case ActivationKind::Relu:  // torch's convention at the kink: 0
      return z > 0 ? 1.0 : 0.0;
    case ActivationKind::LeakyRelu:
      return z > 0 ? 1.0 : slope;
    case ActivationKind::Linear:
      return 1.0;
    case ActivationKind::Elu:
      return z > 0 ? 1.0 : std::exp(z);
    case ActivationKind::Selu:
      return kSeluScale * (z > 0 ? 1.0 : kSeluAlpha * std::exp(z));
    case ActivationKind::Gelu:  // Φ(z) + z·φ(z)
      return 0.5 * std::erfc(-z * kInvSqrt2) + z * kInvSqrt2Pi * std::exp(-0.5 * z * z);
    case ActivationKind::Softplus:
      return sigmoid(z);
    case ActivationKind::Swish: {
      const double s = sigmoid(z);
      return s + z * s * (1 - s);
    }
  }
  return 1.0;
}

void Activation::apply(const float* z, float* a, size_t n) const {
  // Runs of 16k floats keep the kernels' temporaries (softplus, elu) in L1/L2; each thread
  // keeps its scratch (the forward pass calls this once per tile).
  constexpr Eigen::Index kRun = 1 << 14;
  thread_local Scratch scratch(kRun);
  const float s = static_cast<float>(slope);
  const Eigen::Index total = static_cast<Eigen::Index>(n);
  for (Eigen::Index off = 0; off < total; off += kRun)
    apply_run(kind, s, z + off, a + off, std::min(kRun, total - off), scratch);
}

}  // namespace initscope
