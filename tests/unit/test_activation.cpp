// Activations: parsing, torch's calculate_gain values, scalar references against known values
// and finite differences, and the vectorised apply against the scalar reference.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/engine/activation.h"
#include "core/error.h"
#include "core/rng.h"

namespace initscope {
namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

std::string activation_usage_error(const std::string& text,
                                   const std::string& option = "--activation") {
  try {
    Activation::parse(text, option);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Activation, NamesAreTheTenInOrderAndRoundTrip) {
  const std::vector<std::string> expected = {"tanh", "sigmoid", "relu", "leaky_relu", "linear",
                                             "elu",  "selu",    "gelu", "softplus",   "swish"};
  EXPECT_EQ(activation_names(), expected);
  for (const auto& name : activation_names()) EXPECT_EQ(Activation::parse(name).name(), name);
}

TEST(Activation, LeakySlopeParsesAndPrints) {
  EXPECT_EQ(Activation::parse("leaky_relu").slope, 0.01);
  const Activation a = Activation::parse("leaky_relu:slope=0.2");
  EXPECT_EQ(a.kind, ActivationKind::LeakyRelu);
  EXPECT_EQ(a.slope, 0.2);
  EXPECT_EQ(a.name(), "leaky_relu:slope=0.2");
  EXPECT_EQ(Activation::parse(a.name()).slope, 0.2);
  EXPECT_EQ(Activation::parse("leaky_relu:slope=0.01").name(), "leaky_relu");
  EXPECT_EQ(Activation::parse("leaky_relu:slope=1e-3").name(), "leaky_relu:slope=0.001");
  EXPECT_EQ(Activation::parse(" leaky_relu : slope = 0.5 ").slope, 0.5);
}

TEST(Activation, BadTextGivesOneLineUsageErrorWithAllowedSet) {
  struct Case {
    std::string text, expect;
  };
  const Case cases[] = {
      {"tanhh",
       "--activation 'tanhh': unknown activation 'tanhh'; did you mean 'tanh'? allowed: tanh, "
       "sigmoid, relu, leaky_relu, linear, elu, selu, gelu, softplus, swish"},
      {"", "unknown activation ''"},
      {"TANH", "unknown activation 'TANH'"},
      {"tanh:slope=1", "tanh takes no parameters"},
      {"leaky_relu:alpha=1", "unknown key 'alpha' for leaky_relu; allowed: slope"},
      {"leaky_relu:slope=abc", "value 'abc' for slope is not a finite number"},
      {"leaky_relu:slope=inf", "value 'inf' for slope is not a finite number"},
      {"leaky_relu:slope=", "value '' for slope is not a finite number"},
      {"leaky_relu:slope=-1", "slope must be >= 0, got -1"},
      {"leaky_relu:slope", "expected slope=VALUE"},
  };
  for (const auto& c : cases) {
    const std::string msg = activation_usage_error(c.text);
    EXPECT_NE(msg.find(c.expect), std::string::npos) << "text '" << c.text << "' gave: " << msg;
    EXPECT_EQ(msg.rfind("--activation '" + c.text + "': ", 0), 0u) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
  EXPECT_EQ(activation_usage_error("x", "--act").rfind("--act 'x': ", 0), 0u);
}

// torch.nn.init.calculate_gain, exact doubles as Python prints them.
TEST(Activation, GainIsTorchCalculateGainExactly) {
  EXPECT_EQ(Activation::parse("tanh").gain(), 1.6666666666666667);
  EXPECT_EQ(Activation::parse("relu").gain(), 1.4142135623730951);
  EXPECT_EQ(Activation::parse("leaky_relu").gain(), 1.4141428569978354);
  EXPECT_EQ(Activation::parse("leaky_relu:slope=10").gain(), 0.14071950894605836);
  EXPECT_EQ(Activation::parse("selu").gain(), 0.75);
  EXPECT_EQ(Activation::parse("linear").gain(), 1.0);
  EXPECT_EQ(Activation::parse("sigmoid").gain(), 1.0);
  for (const char* name : {"elu", "gelu", "softplus", "swish"})
    EXPECT_EQ(Activation::parse(name).gain(), 1.0) << name;
}

TEST(Activation, RangesAndFlags) {
  EXPECT_EQ(Activation::parse("tanh").bounded_range(), std::make_pair(-1.0, 1.0));
  EXPECT_EQ(Activation::parse("sigmoid").bounded_range(), std::make_pair(0.0, 1.0));
  for (const auto& name : activation_names()) {
    const Activation a = Activation::parse(name);
    const bool bounded = name == "tanh" || name == "sigmoid";
    EXPECT_EQ(a.bounded_range().has_value(), bounded) << name;
    EXPECT_EQ(a.has_saturation(), bounded) << name;
    EXPECT_EQ(a.relu_like(), name == "relu" || name == "leaky_relu") << name;
  }
}

// Values from mpmath at 40 digits (torch: SELU constants, exact erf-based GELU, softplus β=1).
TEST(Activation, ScalarValuesMatchHighPrecisionReferences) {
  struct Case {
    const char* name;
    double z, expect;
  };
  const Case cases[] = {
      {"selu", -1, -1.1113307378125628},
      {"selu", 2.5, 2.6267524683887012},
      {"gelu", -1, -0.15865525393145705},
      {"gelu", 1, 0.84134474606854295},
      {"gelu", -3, -0.0040496940948902836},
      {"softplus", -3, 0.048587351573742059},
      {"softplus", 1, 1.3132616875182228},
      {"swish", -1, -0.26894142136999512},
      {"swish", 2.5, 2.3103545499468911},
      {"elu", -1, -0.63212055882855768},
      {"elu", -3, -0.95021293163213606},
      {"tanh", 0.5, 0.46211715726000974},
      {"sigmoid", -2, 0.11920292202211755},
      {"relu", -2, 0.0},
      {"relu", 2, 2.0},
      {"leaky_relu", -2, -0.02},
      {"linear", -7, -7},
  };
  for (const auto& c : cases) {
    const double got = Activation::parse(c.name).apply(c.z);
    EXPECT_NEAR(got, c.expect, 1e-15 * std::max(1.0, std::fabs(c.expect)))
        << c.name << "(" << c.z << ")";
  }
}

// φ' against the central difference (φ(z+h) - φ(z-h)) / 2h, h = 1e-6: truncation error
// ~h²·φ'''/6 and rounding ~1e-16/h, so 1e-8 relative is a safe bound; kinks (z = 0 for the
// piecewise ones) are stepped over.
TEST(Activation, DerivativeMatchesCentralDifferences) {
  const double h = 1e-6, tol = 1e-8;
  for (const auto& name : activation_names()) {
    for (const std::string& text : {name, name + (name == "leaky_relu" ? ":slope=0.3" : "")}) {
      const Activation a = Activation::parse(text);
      double worst = 0, worst_z = 0;
      for (double z = -8.0; z <= 8.0; z += 0.0625 + 1e-3) {
        if (std::fabs(z) < 1e-3) continue;
        const double fd = (a.apply(z + h) - a.apply(z - h)) / (2 * h);
        const double err = std::fabs(fd - a.derivative(z)) / std::max(1.0, std::fabs(fd));
        if (err > worst) worst = err, worst_z = z;
      }
      EXPECT_LT(worst, tol) << text << ": worst relative difference " << worst
                            << " at z = " << worst_z;
    }
  }
  EXPECT_EQ(Activation::parse("relu").derivative(0.0), 0.0);  // torch's convention
  EXPECT_EQ(Activation::parse("leaky_relu:slope=0.2").derivative(-1.0), 0.2);
}

bool same_or_both_nan(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || a == b;
}

TEST(Activation, NonFiniteInputsPropagate) {
  for (const auto& name : activation_names()) {
    const Activation a = Activation::parse(name);
    EXPECT_TRUE(std::isnan(a.apply(kNaN))) << name;
    EXPECT_TRUE(std::isnan(a.derivative(kNaN))) << name;
    Eigen::MatrixXf z(1, 3), out;
    z << float(kNaN), float(kInf), float(-kInf);
    a.apply(z, out);
    EXPECT_TRUE(std::isnan(out(0))) << name;
    for (int i = 1; i < 3; ++i)
      EXPECT_TRUE(same_or_both_nan(out(i), float(a.apply(z(i)))))
          << name << "(" << z(i) << "): vectorised " << out(i) << ", scalar " << a.apply(z(i));
  }
  EXPECT_EQ(Activation::parse("tanh").apply(kInf), 1.0);
  EXPECT_EQ(Activation::parse("sigmoid").apply(-kInf), 0.0);
  EXPECT_EQ(Activation::parse("relu").apply(-kInf), 0.0);
  EXPECT_EQ(Activation::parse("relu").apply(kInf), kInf);
  EXPECT_EQ(Activation::parse("elu").apply(-kInf), -1.0);
  EXPECT_EQ(Activation::parse("softplus").apply(-kInf), 0.0);
  EXPECT_EQ(Activation::parse("softplus").apply(kInf), kInf);
}

// The vectorised float path against the double scalar reference, on 1000×513 values (spans
// several parallel runs and a ragged SIMD tail): dense [-30, 30], random normals ×3, tiny
// values (where expm1/log1p precision matters) and large ones.
TEST(Activation, VectorisedApplyMatchesScalarReference) {
  const int rows = 1000, cols = 513;
  Eigen::MatrixXf z(rows, cols);
  Rng rng(7);
  for (Eigen::Index i = 0; i < z.size(); ++i) {
    switch (i % 4) {
      case 0:
        z(i) = float(-30.0 + 60.0 * double(i) / double(z.size()));
        break;
      case 1:
        z(i) = float(3 * rng.normal());
        break;
      case 2:
        z(i) = float(rng.normal() * std::pow(10.0, -1.0 - 7.0 * rng.uniform()));
        break;
      default:
        z(i) = float(rng.normal() * 1e4);
    }
  }
  for (const auto& name : activation_names()) {
    const Activation a = Activation::parse(name == "leaky_relu" ? "leaky_relu:slope=0.2" : name);
    Eigen::MatrixXf out;
    a.apply(z, out);
    ASSERT_EQ(out.rows(), rows);
    ASSERT_EQ(out.cols(), cols);
    // Float results: relative 1e-6 for |φ| ≥ 0.2, absolute 2e-7 below. GELU, like torch's
    // float kernel, is z·(1 + erf(z/√2))/2 with a float erf that is a few ulp off near -1,
    // so for z < 0 it is held to 1e-6 absolute instead.
    const bool gelu = a.kind == ActivationKind::Gelu;
    const double floor = gelu ? 1.0 : 0.2;
    double worst = 0, worst_z = 0, worst_got = 0, worst_ref = 0;
    for (Eigen::Index i = 0; i < z.size(); ++i) {
      const double ref = a.apply(double(z(i)));
      const double err = std::fabs(out(i) - ref) / std::max(std::fabs(ref), floor);
      if (err > worst) worst = err, worst_z = z(i), worst_got = out(i), worst_ref = ref;
    }
    EXPECT_LT(worst, 1e-6) << name << ": worst scaled difference " << worst << " at z = " << worst_z
                           << " (vectorised " << worst_got << ", scalar " << worst_ref << ")";
    // In place gives the same result.
    Eigen::MatrixXf inplace = z;
    a.apply(inplace, inplace);
    EXPECT_TRUE(inplace == out) << name;
  }
}

// Small |φ| (elu/selu/softplus/swish/gelu near 0 and in the tails) keep relative precision.
TEST(Activation, VectorisedApplyKeepsRelativePrecisionOfSmallValues) {
  Eigen::MatrixXf z(1, 8);
  z << -1e-7f, -1e-4f, -0.05f, 0.09f, -0.11f, 1e-6f, -12.f, -20.f;
  for (const char* name : {"elu", "selu", "softplus", "swish", "tanh", "sigmoid"}) {
    const Activation a = Activation::parse(name);
    Eigen::MatrixXf out;
    a.apply(z, out);
    for (int i = 0; i < z.cols(); ++i) {
      const double ref = a.apply(double(z(i)));
      EXPECT_NEAR(out(i), ref, 2e-6 * std::fabs(ref)) << name << "(" << z(i) << ")";
    }
  }
}

}  // namespace
}  // namespace initscope
