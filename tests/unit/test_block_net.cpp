// The block engine (engine/normalization.h, engine/block_net.h) against independent references:
// the norms and a tiny block net re-implemented naively in double, differentiated by central
// finite differences; and the residual/normalized variance recursions at width ≥ 1000 against
// their closed forms. Every comparison prints its worst difference.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "core/engine/block_net.h"
#include "core/engine/block_stats.h"

using namespace initscope;

namespace {

using MatD = Eigen::MatrixXd;

MatD bn_test_gaussian(Eigen::Index rows, Eigen::Index cols, double std, std::mt19937_64& g) {
  std::normal_distribution<double> n(0.0, std);
  MatD m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m(i) = n(g);
  return m;
}

// The norm in double, naive loops over the normalized axis (engine/normalization.h's formulas).
MatD bn_test_naive_norm(NormKind kind, const MatD& z, const Eigen::RowVectorXd& gamma,
                        const Eigen::RowVectorXd& beta) {
  const Eigen::Index B = z.rows(), n = z.cols();
  MatD h(B, n);
  if (kind == NormKind::Batch) {
    for (Eigen::Index j = 0; j < n; ++j) {
      double mu = 0, v = 0;
      for (Eigen::Index i = 0; i < B; ++i) mu += z(i, j) / B;
      for (Eigen::Index i = 0; i < B; ++i) v += (z(i, j) - mu) * (z(i, j) - mu) / B;
      for (Eigen::Index i = 0; i < B; ++i)
        h(i, j) = gamma[j] * (z(i, j) - mu) / std::sqrt(v + kNormEpsilon) + beta[j];
    }
    return h;
  }
  for (Eigen::Index i = 0; i < B; ++i) {
    double mu = 0, v = 0;
    if (kind == NormKind::Layer)
      for (Eigen::Index j = 0; j < n; ++j) mu += z(i, j) / n;
    for (Eigen::Index j = 0; j < n; ++j) v += (z(i, j) - mu) * (z(i, j) - mu) / n;
    for (Eigen::Index j = 0; j < n; ++j)
      h(i, j) = gamma[j] * (z(i, j) - mu) / std::sqrt(v + kNormEpsilon) + beta[j];
  }
  return h;
}

double bn_test_max_abs(const MatD& a) {
  return a.cwiseAbs().maxCoeff();
}

}  // namespace

// norm_forward and norm_backward (float) vs the naive double norm and its central finite
// differences (h = 1e-6) of L = Σ h ⊙ R. Tolerance: 2e-4 relative to the largest value.
TEST(BlockNet, NormsForwardAndBackwardMatchNaiveDoubleFiniteDifferences) {
  std::mt19937_64 g(11);
  for (NormKind kind : {NormKind::Batch, NormKind::Layer, NormKind::Rms}) {
    const Eigen::Index B = 6, n = 5;
    const MatD z = bn_test_gaussian(B, n, 1.5, g).array() + 0.3;
    const Eigen::RowVectorXd gamma = bn_test_gaussian(1, n, 1.0, g).array() + 1.0;
    const Eigen::RowVectorXd beta = bn_test_gaussian(1, n, 0.5, g);
    const MatD r = bn_test_gaussian(B, n, 1.0, g);
    const Eigen::MatrixXf zf = z.cast<float>();
    Eigen::MatrixXf hf, dz;
    NormCache cache;
    norm_forward(kind, zf, gamma.cast<float>(), beta.cast<float>(), hf, cache);
    // The reference sees the float inputs, so only the arithmetic differs.
    const MatD zr = zf.cast<double>();
    const MatD h = bn_test_naive_norm(kind, zr, gamma, beta);
    const double fwd = bn_test_max_abs(hf.cast<double>() - h);
    Eigen::RowVectorXf dgamma = Eigen::RowVectorXf::Zero(n), dbeta = Eigen::RowVectorXf::Zero(n);
    norm_backward(kind, zf, gamma.cast<float>(), cache, r.cast<float>(), dz, &dgamma, &dbeta);
    const double step = 1e-6;
    MatD fd(B, n);
    for (Eigen::Index k = 0; k < z.size(); ++k) {
      MatD zp = zr, zm = zr;
      zp(k) += step;
      zm(k) -= step;
      fd(k) =
          ((bn_test_naive_norm(kind, zp, gamma, beta) - bn_test_naive_norm(kind, zm, gamma, beta))
               .cwiseProduct(r))
              .sum() /
          (2 * step);
    }
    Eigen::RowVectorXd fd_gamma(n);
    for (Eigen::Index j = 0; j < n; ++j) {
      Eigen::RowVectorXd gp = gamma, gm = gamma;
      gp[j] += step;
      gm[j] -= step;
      fd_gamma[j] =
          ((bn_test_naive_norm(kind, zr, gp, beta) - bn_test_naive_norm(kind, zr, gm, beta))
               .cwiseProduct(r))
              .sum() /
          (2 * step);
    }
    const double bwd = bn_test_max_abs(dz.cast<double>() - fd) / std::max(1.0, bn_test_max_abs(fd));
    const double dg = bn_test_max_abs(dgamma.cast<double>() - fd_gamma) /
                      std::max(1.0, bn_test_max_abs(fd_gamma));
    const double db = bn_test_max_abs(dbeta.cast<double>() - r.colwise().sum());
    std::printf("%s: worst |h − ref| %.3g, dL/dz %.3g, dL/dγ %.3g, dL/dβ %.3g (relative)\n",
                norm_name(kind), fwd, bwd, dg, db);
    EXPECT_LT(fwd, 2e-5 * std::max(1.0, bn_test_max_abs(h))) << norm_name(kind);
    EXPECT_LT(bwd, 2e-4) << norm_name(kind);
    EXPECT_LT(dg, 2e-4) << norm_name(kind);
    EXPECT_LT(db, 2e-5 * B) << norm_name(kind);
  }
}

namespace {

// A tiny block net in double, written from the equations of block_net.h (not its code):
// returns Σ out_L ⊙ R.
struct BnTestNet {
  Architecture arch;
  Activation act;
  double alpha;
  std::vector<MatD> w;
  std::vector<Eigen::RowVectorXd> b, gamma, beta;

  MatD phi(const MatD& z) const {
    MatD a = z;
    for (Eigen::Index i = 0; i < a.size(); ++i) a(i) = act.apply(z(i));
    return a;
  }
  MatD norm(int l, const MatD& z) const {
    return bn_test_naive_norm(arch.norm, z, gamma[l], beta[l]);
  }
  double loss(const MatD& x0, const MatD& r) const {
    const bool has_norm = arch.norm != NormKind::None;
    MatD x = x0;
    for (int l = 0; l < static_cast<int>(w.size()); ++l) {
      if (!arch.residual_net()) {
        const MatD z = (x * w[l]).rowwise() + b[l];
        x = phi(has_norm ? norm(l, z) : z);
      } else if (l == 0) {
        x = (x * w[l]).rowwise() + b[l];
      } else if (arch.residual == ResidualKind::Pre) {
        const MatD p = phi(has_norm ? norm(l, x) : x);
        x = x + alpha * ((p * w[l]).rowwise() + b[l]);
      } else {
        const MatD s = x + alpha * ((phi(x) * w[l]).rowwise() + b[l]);
        x = has_norm ? norm(l, s) : s;
      }
    }
    return x.cwiseProduct(r).sum();
  }
};

}  // namespace

// BlockNet::backward's dL/dW, dL/db, dL/dγ (float) vs central differences (h = 1e-6) of the
// double net above, tanh (smooth), 4 layers of width 5 on a batch of 6, α = 0.7, γ = 1.3.
// Tolerance: 1e-3 relative to the largest gradient of the layer.
TEST(BlockNet, BackwardMatchesFiniteDifferencesOfNaiveDoubleNet) {
  struct Case {
    NormKind norm;
    ResidualKind residual;
  };
  const Case cases[] = {
      {NormKind::Batch, ResidualKind::None}, {NormKind::Layer, ResidualKind::None},
      {NormKind::Layer, ResidualKind::Pre},  {NormKind::Rms, ResidualKind::Post},
      {NormKind::Batch, ResidualKind::Post}, {NormKind::None, ResidualKind::Pre},
      {NormKind::None, ResidualKind::Post}};
  std::mt19937_64 g(5);
  double worst_all = 0;
  for (const Case& c : cases) {
    Architecture arch;
    arch.norm = c.norm;
    arch.norm_gain = 1.3;
    arch.residual = c.residual;
    arch.scale.value = 0.7;
    const Activation act = Activation::parse("tanh");
    const int L = 4, n = 5, B = 6, d0 = 3;
    BlockNetParams p;
    BnTestNet ref{arch, act, 0.7, {}, {}, {}, {}};
    for (int l = 0; l < L; ++l) {
      const MatD w = bn_test_gaussian(l == 0 ? d0 : n, n, 0.6, g);
      const Eigen::RowVectorXd bias = bn_test_gaussian(1, n, 0.2, g);
      p.w.push_back(w.cast<float>());
      p.b.push_back(bias.cast<float>());
      ref.w.push_back(p.w.back().cast<double>());
      ref.b.push_back(p.b.back().cast<double>());
    }
    init_norm_params(arch, false, p);
    for (int l = 0; l < L; ++l) {
      ref.gamma.push_back(p.gamma[l].cast<double>());
      ref.beta.push_back(p.beta[l].cast<double>());
    }
    const BlockNet net(arch, act, L, false);
    ASSERT_NEAR(net.alpha(), 0.7, 1e-12);
    const Eigen::MatrixXf x = bn_test_gaussian(B, d0, 1.0, g).cast<float>();
    const MatD r = bn_test_gaussian(B, n, 1.0, g);
    std::vector<BlockLayer> layers;
    net.forward(p, x, layers);
    BlockNet::Grads grads;
    net.backward(p, x, layers, r.cast<float>(), grads);
    const double step = 1e-6;
    const MatD xd = x.cast<double>();
    double worst = 0;
    for (int l = 0; l < L; ++l) {
      auto fd_of = [&](double& param) {
        const double keep = param;
        param = keep + step;
        const double up = ref.loss(xd, r);
        param = keep - step;
        const double down = ref.loss(xd, r);
        param = keep;
        return (up - down) / (2 * step);
      };
      MatD fd_w(ref.w[l].rows(), ref.w[l].cols());
      for (Eigen::Index k = 0; k < fd_w.size(); ++k) fd_w(k) = fd_of(ref.w[l](k));
      Eigen::RowVectorXd fd_b(n);
      for (int j = 0; j < n; ++j) fd_b[j] = fd_of(ref.b[l][j]);
      const double scale = std::max(1.0, bn_test_max_abs(fd_w));
      worst = std::max(worst, bn_test_max_abs(grads.w[l].cast<double>() - fd_w) / scale);
      worst = std::max(worst, bn_test_max_abs(grads.b[l].cast<double>() - fd_b) / scale);
      if (ref.gamma[l].size() > 0) {
        Eigen::RowVectorXd fd_g(n), fd_beta(n);
        for (int j = 0; j < n; ++j) fd_g[j] = fd_of(ref.gamma[l][j]);
        for (int j = 0; j < n; ++j) fd_beta[j] = fd_of(ref.beta[l][j]);
        worst = std::max(worst, bn_test_max_abs(grads.gamma[l].cast<double>() - fd_g) / scale);
        worst = std::max(worst, bn_test_max_abs(grads.beta[l].cast<double>() - fd_beta) / scale);
      }
    }
    std::printf("%s: worst relative |grad − finite difference| %.3g\n", arch.summary().c_str(),
                worst);
    worst_all = std::max(worst_all, worst);
    EXPECT_LT(worst, 1e-3) << arch.summary();
  }
  std::printf("worst over all architectures: %.3g\n", worst_all);
}

namespace {

// One column of width n: a projection d0 → n with W ~ N(0, 1/d0) (unit stream variance) then
// L blocks with W ~ N(0, σ_w²/n), no bias; per layer the stream's second moment E[x²]
// (channel_sq_mean + channel_var) over the batch.
std::vector<double> bn_test_stream_moments(const Architecture& arch, const Activation& act,
                                           int blocks, int n, int B, double sigma_w2, uint64_t seed,
                                           std::vector<BlockLayer>* kept = nullptr) {
  std::mt19937_64 g(seed);
  const int d0 = 200;
  BlockNetParams p;
  p.w.push_back(bn_test_gaussian(d0, n, std::sqrt(1.0 / d0), g).cast<float>());
  for (int l = 0; l < blocks; ++l)
    p.w.push_back(bn_test_gaussian(n, n, std::sqrt(sigma_w2 / n), g).cast<float>());
  init_norm_params(arch, false, p);
  const BlockNet net(arch, act, blocks + 1, false);
  const Eigen::MatrixXf x = bn_test_gaussian(B, d0, 1.0, g).cast<float>();
  std::vector<double> q;
  BlockNetOptions o;
  o.keep_all = kept != nullptr;
  o.layer_done = [&](int, const BlockLayer& v) {
    const ChannelMoments m = channel_moments(v.out);
    q.push_back(m.sq_mean + m.var);
  };
  std::vector<BlockLayer> layers;
  net.forward(p, x, layers, o);
  if (kept) *kept = std::move(layers);
  return q;
}

constexpr uint64_t kBnTestSeeds[] = {1, 2, 3};

}  // namespace

// Pre-activation residual, no norm, ReLU, He (σ_w² = 2), α = 1: the branch r = φ(x)·W has
// E[r²] = σ_w²·E[φ(x)²] = 2·E[x²]/2 = E[x²] (x symmetric given the random W), independent of x,
// so E[x'²] = (1 + α²)·E[x²]: the stream's second moment doubles per block. Width 1000, batch
// 200, 8 blocks, 3 seeds: every per-block ratio within 6% of 2, the mean ratio within 2%.
TEST(BlockNet, PreResidualWithoutNormDoublesTheStreamPerBlock) {
  Architecture arch;
  arch.residual = ResidualKind::Pre;
  double worst = 0, mean_ratio = 0;
  int count = 0;
  for (uint64_t seed : kBnTestSeeds) {
    const auto q = bn_test_stream_moments(arch, Activation::parse("relu"), 8, 1000, 200, 2.0, seed);
    for (size_t l = 1; l < q.size(); ++l) {
      const double ratio = q[l] / q[l - 1];
      worst = std::max(worst, std::abs(ratio / 2 - 1));
      mean_ratio += ratio;
      ++count;
    }
  }
  mean_ratio /= count;
  std::printf("pre, no norm: mean ratio %.4f (2), worst per-block relative deviation %.3g\n",
              mean_ratio, worst);
  EXPECT_LT(worst, 0.06);
  EXPECT_NEAR(mean_ratio, 2.0, 0.04);
}

// Pre-LN (γ = 1), ReLU, He, α: h = LN(x) has per-example mean 0 and variance v/(v + ε) ≈ 1, so
// E[φ(h)²] = 1/2 and E[r²] = α²·σ_w²·E[φ(h)²] = α²: E[x_l²] = E[x_1²] + (l − 1)·α², linear in
// depth (+1 per block for α = 1 and a unit-variance projection). At width n one block's
// increment also carries the cross term 2·mean(x ⊙ r), zero in expectation but with a
// standard deviation ≈ 2α·√(l/n)/π (x's channel means meet φ(h)'s mean through W) — about 6% of
// α² at block 10, n = 1000, α = 1 — so the test takes the mean increment over 12 blocks (width
// 1000, batch 200, 3 seeds; measured ≤ 3.3%): within 5% of α² for α = 1 and 8% for α = 0.5 (the
// cross term is relatively twice as large); the worst single block is printed.
TEST(BlockNet, PreLayerNormGrowsLinearlyByAlphaSquaredPerBlock) {
  for (double alpha : {1.0, 0.5}) {
    Architecture arch;
    arch.residual = ResidualKind::Pre;
    arch.norm = NormKind::Layer;
    arch.scale.value = alpha;
    double worst_block = 0, worst_mean = 0;
    for (uint64_t seed : kBnTestSeeds) {
      const int L = 12;
      const auto q =
          bn_test_stream_moments(arch, Activation::parse("relu"), L, 1000, 200, 2.0, seed);
      for (size_t l = 1; l < q.size(); ++l)
        worst_block = std::max(worst_block, std::abs((q[l] - q[l - 1]) / (alpha * alpha) - 1));
      const double mean_increment = (q.back() - q.front()) / L;
      std::printf("pre-LN, α = %.2g, seed %llu: E[x_1²] %.4f, mean increment / α² %.4f\n", alpha,
                  static_cast<unsigned long long>(seed), q.front(),
                  mean_increment / (alpha * alpha));
      worst_mean = std::max(worst_mean, std::abs(mean_increment / (alpha * alpha) - 1));
    }
    std::printf(
        "pre-LN, α = %.2g: worst relative deviation from α²: mean increment %.3g, one "
        "block %.3g\n",
        alpha, worst_mean, worst_block);
    EXPECT_LT(worst_mean, alpha == 1.0 ? 0.05 : 0.08) << alpha;
  }
}

// α = 1/√L in the pre residual without a norm: E[x_L²] = (1 + 1/L)^L·E[x_1²] < e·E[x_1²]
// (bounded in depth). L = 16 blocks: the final ratio within 5% of (17/16)^16 ≈ 2.638.
TEST(BlockNet, InverseSqrtDepthScalingKeepsThePreResidualStreamBounded) {
  Architecture arch;
  arch.residual = ResidualKind::Pre;
  arch.scale.inv_sqrt_blocks = true;
  const int L = 16;
  const double expected = std::pow(1.0 + 1.0 / L, L);
  double worst = 0;
  for (uint64_t seed : kBnTestSeeds) {
    const auto q = bn_test_stream_moments(arch, Activation::parse("relu"), L, 1000, 200, 2.0, seed);
    const double ratio = q.back() / q.front();
    worst = std::max(worst, std::abs(ratio / expected - 1));
    EXPECT_LT(ratio, std::exp(1.0) * 1.05);
  }
  std::printf("1/sqrt(L): final ratio vs (1+1/L)^L = %.4f, worst relative deviation %.3g\n",
              expected, worst);
  EXPECT_LT(worst, 0.05);
}

// Post-LN (γ = 1): every block's output is normalized per example, so E[x²] = v/(v + ε) ≈ 1
// exactly, whatever the depth. Tolerance 1e-4 (ε = 1e-5 over a variance ≥ 1, and float sums).
TEST(BlockNet, PostLayerNormKeepsUnitVariance) {
  Architecture arch;
  arch.residual = ResidualKind::Post;
  arch.norm = NormKind::Layer;
  double worst = 0;
  for (uint64_t seed : kBnTestSeeds) {
    const auto q =
        bn_test_stream_moments(arch, Activation::parse("relu"), 10, 1000, 200, 2.0, seed);
    for (size_t l = 1; l < q.size(); ++l) worst = std::max(worst, std::abs(q[l] - 1));
  }
  std::printf("post-LN: worst |E[x²] − 1| %.3g\n", worst);
  EXPECT_LT(worst, 1e-4);
}

// α = 0 (SkipInit / ReZero): x' = x + 0·r = x, bit for bit equal to the projection's output, in
// pre and post blocks without a norm and in pre-LN; the branch statistics are still there.
TEST(BlockNet, ZeroAlphaGivesTheIdentityStreamBitExact) {
  for (auto [norm, residual] :
       {std::pair{NormKind::None, ResidualKind::Pre}, std::pair{NormKind::Layer, ResidualKind::Pre},
        std::pair{NormKind::None, ResidualKind::Post}}) {
    Architecture arch;
    arch.norm = norm;
    arch.residual = residual;
    arch.scale.value = 0;
    std::vector<BlockLayer> layers;
    bn_test_stream_moments(arch, Activation::parse("tanh"), 5, 64, 16, 1.0, 9, &layers);
    for (size_t l = 1; l < layers.size(); ++l) {
      EXPECT_TRUE(layers[l].out == layers[0].out) << arch.summary() << " block " << l;
      EXPECT_GT(layers[l].z.cwiseAbs().maxCoeff(), 0.0f);
    }
  }
}

// BatchNorm in a plain ReLU net (Linear → BN → ReLU, W ~ N(0, 1/n); BN makes the scale
// irrelevant): going backwards the gradient's squared norm ‖dL/dA_l‖² grows by λ = π/(π − 1)
// ≈ 1.467 per layer in the large-batch, large-width limit (Yang et al. 2019, "A mean field theory
// of batch normalization", ReLU). Width 1000, batch 1000, 12 layers, 2 seeds; the geometric mean
// ratio over layers 2…9 (away from the loss and the input) within 3% of λ.
TEST(BlockNet, BatchNormGradientGrowsByPiOverPiMinusOnePerLayer) {
  const double lambda = M_PI / (M_PI - 1);
  Architecture arch;
  arch.norm = NormKind::Batch;
  const Activation act = Activation::parse("relu");
  const int L = 12, n = 1000, B = 1000;
  double log_sum = 0;
  int count = 0;
  for (uint64_t seed : {1, 2}) {
    std::mt19937_64 g(seed);
    BlockNetParams p;
    for (int l = 0; l < L; ++l)
      p.w.push_back(bn_test_gaussian(n, n, std::sqrt(1.0 / n), g).cast<float>());
    init_norm_params(arch, false, p);
    const BlockNet net(arch, act, L, false);
    const Eigen::MatrixXf x = bn_test_gaussian(B, n, 1.0, g).cast<float>();
    const Eigen::MatrixXf d_out = bn_test_gaussian(B, n, 1.0, g).cast<float>();
    std::vector<BlockLayer> layers;
    net.forward(p, x, layers);
    std::vector<double> sq(L);
    BlockNet::Grads grads;
    net.backward(p, x, layers, d_out, grads,
                 [&](int l, const Eigen::MatrixXf& d, const Eigen::MatrixXf&) {
                   sq[l] = d.cast<double>().squaredNorm();
                 });
    for (int l = 1; l + 3 < L; ++l) {
      std::printf("seed %llu layer %d: ‖dL/dA_%d‖² / ‖dL/dA_%d‖² = %.4f\n",
                  static_cast<unsigned long long>(seed), l + 1, l, l + 1, sq[l - 1] / sq[l]);
      log_sum += std::log(sq[l - 1] / sq[l]);
      ++count;
    }
  }
  const double rate = std::exp(log_sum / count);
  std::printf("BatchNorm ReLU: gradient growth per layer %.4f, π/(π−1) = %.4f, relative %.3g\n",
              rate, lambda, rate / lambda - 1);
  EXPECT_NEAR(rate / lambda, 1.0, 0.03);
}
