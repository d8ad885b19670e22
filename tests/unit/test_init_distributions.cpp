// PyTorch-test-style checks of every distribution scheme: a Kolmogorov–Smirnov test of W's
// entries against the exact normal / uniform / truncated-normal CDF the formula implies
// (formulas re-derived here from torch.nn.init / Keras, not taken from the code under test),
// on randomly sized non-square matrices, with and without gain, both fan modes, aliases too.
// Pass at p > 1e-4. Seeds are fixed, so every run tests the same matrices.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>

#include "core/error.h"
#include "core/init/init_sampling.h"
#include "kolmogorov.h"

namespace initscope {
namespace {

using test::ks_test;
using test::KsResult;

// Independent reference CDFs (std::erfc directly; tails on the side that keeps precision).
double phi_ref(double x) {
  return 0.5 * std::erfc(-x / std::sqrt(2.0));
}
double sf_ref(double x) {
  return 0.5 * std::erfc(x / std::sqrt(2.0));
}

struct Expected {
  enum Kind { Uniform, Normal, Truncated } kind;
  double mean = 0, std = 0;  // Normal, Truncated (parent)
  double lo = 0, hi = 0;     // Uniform bounds, Truncated cut-offs

  double cdf(double x) const {
    switch (kind) {
      case Uniform:
        return std::clamp((x - lo) / (hi - lo), 0.0, 1.0);
      case Normal:
        return phi_ref((x - mean) / std);
      case Truncated: {
        const double a = (lo - mean) / std, b = (hi - mean) / std;
        const double t = std::clamp((x - mean) / std, a, b);
        if (a >= 0) return (sf_ref(a) - sf_ref(t)) / (sf_ref(a) - sf_ref(b));
        return (phi_ref(t) - phi_ref(a)) / (phi_ref(b) - phi_ref(a));
      }
    }
    return 0;
  }
};

Expected uniform(double lo, double hi) {
  return {Expected::Uniform, 0, 0, lo, hi};
}
Expected normal(double mean, double std) {
  return {Expected::Normal, mean, std, 0, 0};
}
Expected truncated(double mean, double std, double lo, double hi) {
  return {Expected::Truncated, mean, std, lo, hi};
}

// torch.nn.init.calculate_gain values, written out.
const double kRelu = std::sqrt(2.0), kTanh = 5.0 / 3;
double leaky(double a) {
  return std::sqrt(2.0 / (1 + a * a));
}

// Keras VarianceScaling for a Dense kernel (fan_in × fan_out).
Expected keras(double scale, const std::string& mode, const std::string& dist, int fi, int fo) {
  const double fan = mode == "fan_in" ? fi : mode == "fan_out" ? fo : (fi + fo) / 2.0;
  scale /= std::max(1.0, fan);
  if (dist == "truncated_normal") {
    const double s = std::sqrt(scale) / 0.87962566103423978;
    return truncated(0, s, -2 * s, 2 * s);
  }
  if (dist == "untruncated_normal") return normal(0, std::sqrt(scale));
  const double limit = std::sqrt(3 * scale);
  return uniform(-limit, limit);
}

struct Case {
  std::string spec;
  std::string activation;  // the network's activation (matters for gain=auto)
  std::function<Expected(int fi, int fo)> expect;
};

std::ostream& operator<<(std::ostream& os, const Case& c) {
  return os << c.spec << " [" << c.activation << "]";
}

std::vector<Case> cases() {
  std::vector<Case> c;
  auto add = [&](std::string spec, std::string act, std::function<Expected(int, int)> f) {
    c.push_back({std::move(spec), std::move(act), std::move(f)});
  };
  // Distributions without fans.
  add("uniform", "tanh", [](int, int) { return uniform(0, 1); });
  add("uniform:a=-3,b=0.5", "tanh", [](int, int) { return uniform(-3, 0.5); });
  add("normal", "tanh", [](int, int) { return normal(0, 1); });
  add("normal:mean=2,std=0.3", "tanh", [](int, int) { return normal(2, 0.3); });
  add("trunc_normal", "tanh", [](int, int) { return truncated(0, 1, -2, 2); });
  add("trunc_normal:mean=1,std=2,a=-1,b=4", "tanh",
      [](int, int) { return truncated(1, 2, -1, 4); });
  add("trunc_normal:a=-0.2,b=0.3", "tanh", [](int, int) { return truncated(0, 1, -0.2, 0.3); });
  add("trunc_normal:a=3,b=5", "tanh", [](int, int) { return truncated(0, 1, 3, 5); });
  add("trunc_normal:mean=0.5,std=0.1,a=1.5,b=9", "tanh",
      [](int, int) { return truncated(0.5, 0.1, 1.5, 9); });
  add("trunc_normal:a=-30,b=-29", "tanh", [](int, int) { return truncated(0, 1, -30, -29); });
  add("trunc_normal:mean=-1,std=3,a=-100,b=100", "tanh",
      [](int, int) { return truncated(-1, 3, -100, 100); });
  // Xavier / Glorot: std = gain·√(2/(fi+fo)), bound = √3·std.
  for (const std::string name : {"xavier_uniform", "glorot_uniform"}) {
    for (const double gain : {1.0, 2.0, 0.5}) {
      const std::string spec = gain == 1.0 ? name : name + ":gain=" + std::to_string(gain);
      add(spec, "tanh", [gain](int fi, int fo) {
        const double b = gain * std::sqrt(6.0 / (fi + fo));
        return uniform(-b, b);
      });
    }
  }
  add("xavier_uniform:gain=auto", "tanh", [](int fi, int fo) {
    const double b = kTanh * std::sqrt(6.0 / (fi + fo));
    return uniform(-b, b);
  });
  add("xavier_normal", "tanh",
      [](int fi, int fo) { return normal(0, std::sqrt(2.0 / (fi + fo))); });
  add("xavier_normal:gain=2", "tanh",
      [](int fi, int fo) { return normal(0, 2 * std::sqrt(2.0 / (fi + fo))); });
  add("glorot_normal:gain=auto", "relu",
      [](int fi, int fo) { return normal(0, kRelu * std::sqrt(2.0 / (fi + fo))); });
  // Kaiming / He: std = gain/√fan, bound = gain·√(3/fan); torch default leaky_relu with a = 0.
  struct K {
    std::string params, activation;
    double gain;
    bool fan_out;
  };
  const K kaiming[] = {
      {"", "tanh", kRelu, false},
      {":mode=fan_out", "tanh", kRelu, true},
      {":a=0.3", "tanh", leaky(0.3), false},
      {":a=0.3,mode=fan_out", "tanh", leaky(0.3), true},
      {":nonlinearity=relu,mode=fan_out", "tanh", kRelu, true},
      {":a=5,nonlinearity=relu", "tanh", kRelu, false},  // a only matters for leaky_relu
      {":nonlinearity=tanh", "relu", kTanh, false},
      {":nonlinearity=linear", "relu", 1.0, false},
      {":nonlinearity=sigmoid,mode=fan_out", "relu", 1.0, true},
      {":nonlinearity=selu", "relu", 0.75, false},
      {":nonlinearity=auto", "tanh", kTanh, false},
      {":nonlinearity=auto,mode=fan_out", "leaky_relu:slope=0.2", leaky(0.2), true},
  };
  for (const auto& k : kaiming) {
    for (const std::string name :
         {"kaiming_uniform", "kaiming_normal", "he_uniform", "he_normal"}) {
      // Aliases once each, the full parameter grid on the canonical names.
      if (name.starts_with("he_") && !k.params.empty() && k.params != ":mode=fan_out") continue;
      const bool is_uniform = name.ends_with("uniform");
      add(name + k.params, k.activation, [k, is_uniform](int fi, int fo) {
        const double fan = k.fan_out ? fo : fi;
        return is_uniform ? uniform(-k.gain * std::sqrt(3.0 / fan), k.gain * std::sqrt(3.0 / fan))
                          : normal(0, k.gain / std::sqrt(fan));
      });
    }
  }
  // LeCun (Keras) and variance scaling.
  add("lecun_uniform", "tanh",
      [](int fi, int) { return uniform(-std::sqrt(3.0 / fi), std::sqrt(3.0 / fi)); });
  add("lecun_normal", "tanh",
      [](int fi, int fo) { return keras(1.0, "fan_in", "truncated_normal", fi, fo); });
  for (const std::string mode : {"fan_in", "fan_out", "fan_avg"}) {
    for (const std::string dist : {"truncated_normal", "untruncated_normal", "uniform"}) {
      for (const double scale : {1.0, 2.0}) {
        std::string spec = "variance_scaling:mode=" + mode + ",distribution=" + dist;
        if (scale != 1.0) spec += ",scale=2";
        add(spec, "tanh", [=](int fi, int fo) { return keras(scale, mode, dist, fi, fo); });
      }
    }
  }
  // nn.Linear's default: kaiming_uniform(a=√5) = U(±1/√fan_in).
  add("torch_linear_default", "tanh",
      [](int fi, int) { return uniform(-1 / std::sqrt(double(fi)), 1 / std::sqrt(double(fi))); });
  // auto: He normal for rectifiers, Xavier normal with the activation's gain for the others.
  add("auto", "relu", [](int fi, int) { return normal(0, std::sqrt(2.0 / fi)); });
  add("auto", "leaky_relu:slope=0.2",
      [](int fi, int) { return normal(0, std::sqrt(2.0 / 1.04 / fi)); });
  add("auto", "tanh",
      [](int fi, int fo) { return normal(0, 5.0 / 3 * std::sqrt(2.0 / (fi + fo))); });
  add("auto", "sigmoid", [](int fi, int fo) { return normal(0, std::sqrt(2.0 / (fi + fo))); });
  add("auto", "linear", [](int fi, int fo) { return normal(0, std::sqrt(2.0 / (fi + fo))); });
  return c;
}

// Random layer sizes in [30, 200], at least 1.5× apart so a wrong fan would show.
std::pair<int, int> random_sizes(Rng& rng) {
  while (true) {
    const int fi = 30 + int(rng.below(171)), fo = 30 + int(rng.below(171));
    if (std::max(fi, fo) >= 1.5 * std::min(fi, fo)) return {fi, fo};
  }
}

std::vector<double> entries(const Eigen::MatrixXf& w) {
  return std::vector<double>(w.data(), w.data() + w.size());
}

class InitDistribution : public testing::TestWithParam<Case> {};

TEST_P(InitDistribution, KolmogorovSmirnovAgainstExactCdf) {
  const Case& c = GetParam();
  const InitSpec spec = InitSpec::parse(c.spec);
  const Activation act = Activation::parse(c.activation);
  for (uint64_t trial = 0; trial < 3; ++trial) {
    Rng rng = Rng::stream(20240601, hash_text(c.spec), trial);
    const auto [fi, fo] = random_sizes(rng);
    const Eigen::MatrixXf w = sample_weights(spec, fi, fo, act, rng);
    ASSERT_EQ(w.rows(), fi);
    ASSERT_EQ(w.cols(), fo);
    const Expected e = c.expect(fi, fo);
    const KsResult ks = ks_test(entries(w), [&](double x) { return e.cdf(x); });
    EXPECT_GT(ks.p, 1e-4) << c << " W " << fi << "×" << fo << ": D = " << ks.d << ", n = " << ks.n
                          << ", p = " << ks.p;
    const auto [min, max] = std::minmax_element(w.data(), w.data() + w.size());
    if (e.kind != Expected::Normal) {
      EXPECT_GE(*min, float(e.lo)) << c << " below the lower bound";
      EXPECT_LE(*max, float(e.hi)) << c << " above the upper bound";
    }
    if (e.kind == Expected::Uniform) {  // and the bounds are not too tight
      EXPECT_LT(*min, e.lo + 0.01 * (e.hi - e.lo)) << c;
      EXPECT_GT(*max, e.hi - 0.01 * (e.hi - e.lo)) << c;
    }
  }
}

std::string test_name(const testing::TestParamInfo<Case>& info) {
  std::string name = std::to_string(info.index) + "_" + info.param.spec;
  if (info.param.spec.find("auto") != std::string::npos) name += "_" + info.param.activation;
  for (char& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(EveryScheme, InitDistribution, testing::ValuesIn(cases()), test_name);

// Inputs and biases come through sample_values: the same distributions, any shape.
TEST(InitSampleValues, DistributionsForInputsAndBiases) {
  struct V {
    std::string spec;
    Expected e;
  };
  const V vs[] = {{"normal", normal(0, 1)},
                  {"normal:mean=-1,std=0.01", normal(-1, 0.01)},
                  {"uniform:a=-1,b=1", uniform(-1, 1)},
                  {"trunc_normal:std=0.5,a=0,b=2", truncated(0, 0.5, 0, 2)},
                  {"trunc_normal:a=6,b=7", truncated(0, 1, 6, 7)}};
  for (const auto& v : vs) {
    Rng rng(99);
    const Eigen::MatrixXf x = sample_values(InitSpec::parse(v.spec), 1000, 37, rng);
    ASSERT_EQ(x.rows(), 1000);
    ASSERT_EQ(x.cols(), 37);
    const KsResult ks = ks_test(entries(x), [&](double t) { return v.e.cdf(t); });
    EXPECT_GT(ks.p, 1e-4) << v.spec << ": D = " << ks.d << ", p = " << ks.p;
  }
  Rng rng(1);
  EXPECT_TRUE((sample_values(InitSpec::parse("zeros"), 3, 4, rng).array() == 0).all());
  EXPECT_TRUE((sample_values(InitSpec::parse("ones"), 3, 4, rng).array() == 1).all());
  EXPECT_TRUE(
      (sample_values(InitSpec::parse("constant:val=0.5"), 3, 4, rng).array() == 0.5f).all());
  EXPECT_EQ(sample_values(InitSpec::parse("normal"), 0, 4, rng).size(), 0);
}

// Normals are drawn in pairs (Box–Muller, cos half and sin half of a block 512 apart): the
// marginal KS tests above cannot see a broken pairing, so check that neighbours and partners
// are uncorrelated, in value and in square, and that no value repeats.
TEST(InitSampleValues, NormalDrawsAreIndependent) {
  Rng rng(17);
  const Eigen::MatrixXf x = sample_values(InitSpec::parse("normal"), 1000, 200, rng);
  const Eigen::Index n = x.size();
  for (const Eigen::Index lag : {1, 2, 511, 512, 513, 1024}) {
    double xy = 0, sq = 0;
    for (Eigen::Index i = 0; i + lag < n; ++i) {
      xy += double(x(i)) * x(i + lag);
      sq += (double(x(i)) * x(i) - 1) * (double(x(i + lag)) * x(i + lag) - 1);
    }
    const double m = double(n - lag);
    // Standard errors: 1/√m for x·y, 2/√m for (x²-1)(y²-1); bound at 5 of them.
    EXPECT_LT(std::fabs(xy / m), 5 / std::sqrt(m)) << "lag " << lag;
    EXPECT_LT(std::fabs(sq / m), 10 / std::sqrt(m)) << "lag " << lag << " (squares)";
  }
  std::vector<float> sorted(x.data(), x.data() + n);
  std::sort(sorted.begin(), sorted.end());
  const auto repeats = n - (std::unique(sorted.begin(), sorted.end()) - sorted.begin());
  // Float rounding alone gives ties: Σ_f P(f)² over the float grid predicts 274 (sd ≈ 17) for
  // 200k normals; a pairing bug repeats ~1e5.
  EXPECT_NEAR(double(repeats), 274, 100) << repeats << " repeated values";
}

TEST(InitSampleValues, FanBasedSchemesAreRefusedWithTheAllowedList) {
  Rng rng(1);
  for (const char* text : {"xavier_normal", "he_uniform", "orthogonal", "eye", "sparse"}) {
    try {
      sample_values(InitSpec::parse(text), 4, 4, rng);
      ADD_FAILURE() << text << " was accepted";
    } catch (const UsageError& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find(std::string("'") + text + "' is not a distribution"), std::string::npos)
          << msg;
      EXPECT_NE(msg.find("allowed for inputs/biases: zeros, ones, constant, uniform, normal, "
                         "trunc_normal"),
                std::string::npos)
          << msg;
    }
  }
}

// The KS test has teeth for the mistakes these tests exist to catch: the wrong fan, or a
// forgotten gain, on the same kind of matrix.
TEST(InitDistributionTeeth, WrongFanOrMissingGainIsRejected) {
  const Activation tanh = Activation::parse("tanh");
  Rng rng(5);
  const int fi = 60, fo = 180;
  const Eigen::MatrixXf he = sample_weights(InitSpec::parse("kaiming_normal"), fi, fo, tanh, rng);
  const Expected wrong_fan = normal(0, kRelu / std::sqrt(double(fo)));
  const KsResult a = ks_test(entries(he), [&](double x) { return wrong_fan.cdf(x); });
  EXPECT_LT(a.p, 1e-4) << "D = " << a.d;
  const Eigen::MatrixXf xg =
      sample_weights(InitSpec::parse("xavier_uniform:gain=auto"), fi, fo, tanh, rng);
  const double b = std::sqrt(6.0 / (fi + fo));  // gain forgotten
  const Expected no_gain = uniform(-b, b);
  const KsResult k = ks_test(entries(xg), [&](double x) { return no_gain.cdf(x); });
  EXPECT_LT(k.p, 1e-4) << "D = " << k.d;
}

TEST(InitDeterminism, SameSeedSameWeightsDifferentSeedDifferentWeights) {
  const Activation act = Activation::parse("relu");
  for (const auto& scheme : init_schemes()) {
    const InitSpec spec = InitSpec::parse(scheme.name);
    Rng r1(42), r2(42), r3(43);
    const Eigen::MatrixXf a = sample_weights(spec, 70, 45, act, r1);
    const Eigen::MatrixXf b = sample_weights(spec, 70, 45, act, r2);
    EXPECT_TRUE(a == b) << scheme.name;
    const bool random = scheme.name != "zeros" && scheme.name != "ones" &&
                        scheme.name != "constant" && scheme.name != "eye";
    if (random) {
      EXPECT_FALSE(a == sample_weights(spec, 70, 45, act, r3)) << scheme.name;
    }
  }
}

}  // namespace
}  // namespace initscope
