// Gauss–Legendre nodes and the graded composite rule for standard-normal expectations.
#include "gaussian_quadrature.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace initscope {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kHalfRange = 10;  // integrate over [−10, 10]: the rest holds 1.5e-23
constexpr double kMaxPanel = 1;    // widest panel: resolves e^{−z²/2} to rounding
constexpr int kPanelOrder = 8;     // Gauss–Legendre points per panel

struct LegendreRule {
  std::vector<double> nodes, weights;
  LegendreRule() { gauss_legendre(kPanelOrder, nodes, weights); }
};

const LegendreRule& panel_rule() {
  static const LegendreRule rule;
  return rule;
}

// Appends the panel [a, b] (a < b) to `rule`, with the normal density folded into the weights.
void add_panel(NormalRule& rule, double a, double b) {
  const LegendreRule& gl = panel_rule();
  const double mid = 0.5 * (a + b), half = 0.5 * (b - a);
  for (size_t i = 0; i < gl.nodes.size(); ++i) {
    const double z = mid + half * gl.nodes[i];
    rule.nodes.push_back(z);
    rule.weights.push_back(half * gl.weights[i] * kInvSqrt2Pi * std::exp(-0.5 * z * z));
  }
}

}  // namespace

void gauss_legendre(int n, std::vector<double>& nodes, std::vector<double>& weights) {
  if (n < 1) throw std::invalid_argument("gauss_legendre: n must be >= 1");
  nodes.assign(n, 0);
  weights.assign(n, 0);
  for (int i = 0; i < (n + 1) / 2; ++i) {
    // Tricomi's estimate of the i-th largest root, then Newton on P_n.
    double x = std::cos(kPi * (i + 0.75) / (n + 0.5));
    double dp = 1;
    for (int it = 0; it < 100; ++it) {
      double p0 = 1, p1 = x;  // P_0, P_1; (k+1)P_{k+1} = (2k+1)x P_k − k P_{k−1}
      for (int k = 1; k < n; ++k) {
        const double p2 = ((2 * k + 1) * x * p1 - k * p0) / (k + 1);
        p0 = p1;
        p1 = p2;
      }
      dp = n * (x * p1 - p0) / (x * x - 1);  // P_n'(x)
      const double step = p1 / dp;
      x -= step;
      if (std::fabs(step) <= 1e-16) break;
    }
    nodes[n - 1 - i] = x;
    nodes[i] = -x;
    weights[i] = weights[n - 1 - i] = 2 / ((1 - x * x) * dp * dp);
  }
}

NormalRule normal_rule(double center, double feature_width) {
  NormalRule rule;
  normal_rule(center, feature_width, rule);
  return rule;
}

void normal_rule(double center, double feature_width, NormalRule& rule) {
  if (!(feature_width > 0)) throw std::invalid_argument("normal_rule: feature_width must be > 0");
  const double c = std::clamp(std::isnan(center) ? 0.0 : center, -kHalfRange, kHalfRange);
  const double first = 0.25 * std::min(kMaxPanel, feature_width);
  rule.nodes.clear();
  rule.weights.clear();
  // Right of c: [c, c+w0], then widths doubling up to kMaxPanel, until +10; then the same
  // leftwards.
  for (int side : {1, -1}) {
    double x = c, w = first;
    const double end = side * kHalfRange;
    while (side > 0 ? x < end : x > end) {
      const double next = side > 0 ? std::min(x + w, end) : std::max(x - w, end);
      if (side > 0)
        add_panel(rule, x, next);
      else
        add_panel(rule, next, x);
      x = next;
      w = std::min(2 * w, kMaxPanel);
    }
  }
}

}  // namespace initscope
