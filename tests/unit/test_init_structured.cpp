// The structured schemes: orthogonal (W·Wᵀ or Wᵀ·W = gain²·I, Haar sign symmetry), eye and
// sparse (zeros per row of our fan_in × fan_out W, non-zeros ~ N(0, std²)).
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "core/init/init_sampling.h"
#include "kolmogorov.h"

namespace initscope {
namespace {

// max |(V·Vᵀ)(i,j) - gain²·δij| for the rows of v, a naive double-precision reference.
double worst_gram_error(const Eigen::MatrixXf& v, double gain) {
  double worst = 0;
  for (Eigen::Index i = 0; i < v.rows(); ++i) {
    for (Eigen::Index j = 0; j < v.rows(); ++j) {
      double dot = 0;
      for (Eigen::Index k = 0; k < v.cols(); ++k) dot += double(v(i, k)) * v(j, k);
      worst = std::max(worst, std::fabs(dot - (i == j ? gain * gain : 0.0)));
    }
  }
  return worst;
}

// Our W is fan_in × fan_out. Tall (fan_in ≥ fan_out): orthonormal columns, WᵀW = gain²·I.
// Wide: orthonormal rows, WWᵀ = gain²·I. Float entries, double products: 1e-5·gain².
TEST(InitOrthogonal, GramMatrixIsGainSquaredIdentity) {
  struct Shape {
    int fan_in, fan_out;
  };
  const Shape shapes[] = {{173, 61}, {61, 173}, {200, 199}, {40, 40}, {1, 30}, {30, 1}};
  const Activation tanh = Activation::parse("tanh");
  for (const auto& s : shapes) {
    for (const std::string text : {"orthogonal", "orthogonal:gain=2", "orthogonal:gain=auto"}) {
      const double gain = text.ends_with("2") ? 2.0 : text.ends_with("auto") ? 5.0 / 3 : 1.0;
      Rng rng(11);
      const Eigen::MatrixXf w =
          sample_weights(InitSpec::parse(text), s.fan_in, s.fan_out, tanh, rng);
      ASSERT_EQ(w.rows(), s.fan_in);
      ASSERT_EQ(w.cols(), s.fan_out);
      const bool tall = s.fan_in >= s.fan_out;
      const double worst = worst_gram_error(tall ? Eigen::MatrixXf(w.transpose()) : w, gain);
      EXPECT_LT(worst, 1e-5 * gain * gain)
          << text << " " << s.fan_in << "×" << s.fan_out << (tall ? " WᵀW" : " WWᵀ")
          << ": worst difference from gain²·I " << worst;
    }
  }
}

// Without torch's sign(diag R) correction, Householder QR gives a Q whose first column leans to
// one sign. With it, Q is Haar: W(0,0) is symmetric about 0 with variance 1/max(fans).
TEST(InitOrthogonal, EntriesAreSignSymmetric) {
  const int draws = 4000, fan_in = 6, fan_out = 4;
  const InitSpec spec = InitSpec::parse("orthogonal");
  Rng rng(3);
  double sum = 0, sum2 = 0;
  for (int i = 0; i < draws; ++i) {
    const Eigen::MatrixXf w = sample_weights(spec, fan_in, fan_out, Activation{}, rng);
    sum += w(0, 0);
    sum2 += double(w(0, 0)) * w(0, 0);
  }
  const double mean = sum / draws, var = sum2 / draws;
  // Var W(0,0) = 1/6 → standard error of the mean ≈ 0.0065; 5 SE.
  EXPECT_LT(std::fabs(mean), 5 * std::sqrt(1.0 / 6 / draws)) << "mean of W(0,0) " << mean;
  EXPECT_NEAR(var, 1.0 / 6, 0.02) << "E[W(0,0)²]";
}

TEST(InitEye, OnesExactlyOnTheDiagonal) {
  for (const auto& [fi, fo] : {std::pair{5, 3}, std::pair{3, 5}, std::pair{4, 4}}) {
    Rng rng(1);
    const Eigen::MatrixXf w = sample_weights(InitSpec::parse("eye"), fi, fo, Activation{}, rng);
    for (int i = 0; i < fi; ++i)
      for (int j = 0; j < fo; ++j) EXPECT_EQ(w(i, j), i == j ? 1.0f : 0.0f) << i << "," << j;
  }
}

// torch.nn.init.sparse_ zeroes ceil(sparsity·rows) entries of every column of its
// (fan_out × fan_in) weight — in our W, ceil(sparsity·fan_out) entries of every row.
TEST(InitSparse, ZerosPerRowAndNormalNonZeros) {
  struct Case {
    std::string text;
    double sparsity, std;
    int fan_in, fan_out;
  };
  const Case cases[] = {{"sparse", 0.1, 0.01, 120, 57},
                        {"sparse:sparsity=0.5,std=2", 0.5, 2.0, 45, 160},
                        {"sparse:sparsity=0.9", 0.9, 0.01, 80, 81},
                        {"sparse:sparsity=0", 0.0, 0.01, 33, 70}};
  for (const auto& c : cases) {
    Rng rng(8);
    const Eigen::MatrixXf w =
        sample_weights(InitSpec::parse(c.text), c.fan_in, c.fan_out, Activation{}, rng);
    ASSERT_EQ(w.rows(), c.fan_in);
    ASSERT_EQ(w.cols(), c.fan_out);
    const int need = int(std::ceil(c.sparsity * c.fan_out));
    std::set<std::vector<int>> patterns;
    std::vector<double> nonzeros;
    int fewest = c.fan_out;
    for (int i = 0; i < c.fan_in; ++i) {
      std::vector<int> zero_cols;
      for (int j = 0; j < c.fan_out; ++j) {
        if (w(i, j) == 0.0f)
          zero_cols.push_back(j);
        else
          nonzeros.push_back(w(i, j));
      }
      fewest = std::min<int>(fewest, zero_cols.size());
      patterns.insert(zero_cols);
    }
    EXPECT_GE(fewest, need) << c.text << ": fewest zeros in a row " << fewest << ", need " << need;
    if (need > 0) {  // zeros land at random places, not the same columns in every row
      EXPECT_GT(patterns.size(), size_t(c.fan_in / 2)) << c.text;
    }
    const auto ks = test::ks_test(
        nonzeros, [&](double x) { return 0.5 * std::erfc(-x / (c.std * std::sqrt(2.0))); });
    EXPECT_GT(ks.p, 1e-4) << c.text << ": non-zeros vs N(0, std²): D = " << ks.d
                          << ", p = " << ks.p;
  }
}

}  // namespace
}  // namespace initscope
