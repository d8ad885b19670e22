// The GAN experiment's core (issue 14): gradients of both losses against central finite
// differences of a naive double implementation, determinism (same seed → identical curves, on
// 1 and 2 threads), divergence of one column, the config's checks and JSON round trip.
#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/gan/gan_config.h"
#include "core/gan/gan_io.h"
#include "core/gan/gan_net.h"
#include "core/gan/gan_quality.h"
#include "core/gan/gan_trainer.h"
#include "core/rng.h"
#include "synthetic_images.h"

namespace initscope {
namespace {

// ---- a naive double reference: explicit loops, scalar φ -----------------------------------
using GanRefMatrix = std::vector<std::vector<double>>;  // [row][col]

struct GanRefNet {
  std::vector<GanRefMatrix> w;         // [l][fan_in][fan_out]
  std::vector<std::vector<double>> b;  // [l][fan_out]
  std::vector<Activation> act;
};

GanRefNet gan_ref_of(const GanNet& n) {
  GanRefNet r;
  for (int l = 0; l < n.layers(); ++l) {
    GanRefMatrix w(n.w[l].rows(), std::vector<double>(n.w[l].cols()));
    for (Eigen::Index i = 0; i < n.w[l].rows(); ++i)
      for (Eigen::Index j = 0; j < n.w[l].cols(); ++j) w[i][j] = n.w[l](i, j);
    r.w.push_back(w);
    r.b.emplace_back(n.b[l].data(), n.b[l].data() + n.b[l].size());
    r.act.push_back(n.act[l]);
  }
  return r;
}

GanRefMatrix gan_ref_forward(const GanRefNet& n, GanRefMatrix x) {
  for (size_t l = 0; l < n.w.size(); ++l) {
    GanRefMatrix y(x.size(), std::vector<double>(n.b[l].size()));
    for (size_t i = 0; i < x.size(); ++i)
      for (size_t j = 0; j < n.b[l].size(); ++j) {
        double z = n.b[l][j];
        for (size_t k = 0; k < x[i].size(); ++k) z += x[i][k] * n.w[l][k][j];
        y[i][j] = n.act[l].apply(z);
      }
    x = std::move(y);
  }
  return x;
}

double gan_ref_softplus(double x) {
  return std::log(1 + std::exp(x));
}

// mean −log σ(D(x)) + mean −log(1 − σ(D(G(z))))
double gan_ref_d_loss(const GanRefNet& g, const GanRefNet& d, const GanRefMatrix& x,
                      const GanRefMatrix& z) {
  const GanRefMatrix real = gan_ref_forward(d, x), fake = gan_ref_forward(d, gan_ref_forward(g, z));
  double s = 0;
  for (size_t i = 0; i < x.size(); ++i)
    s += gan_ref_softplus(-real[i][0]) + gan_ref_softplus(fake[i][0]);
  return s / double(x.size());
}

// mean −log σ(D(G(z)))
double gan_ref_g_loss(const GanRefNet& g, const GanRefNet& d, const GanRefMatrix& z) {
  const GanRefMatrix fake = gan_ref_forward(d, gan_ref_forward(g, z));
  double s = 0;
  for (const auto& row : fake) s += gan_ref_softplus(-row[0]);
  return s / double(z.size());
}

GanNet gan_tiny_net(std::vector<int> sizes, Activation hidden, Activation out, uint64_t seed) {
  GanNet n;
  Rng rng(seed);
  for (size_t l = 0; l + 1 < sizes.size(); ++l) {
    Eigen::MatrixXf w(sizes[l], sizes[l + 1]);
    for (Eigen::Index i = 0; i < w.size(); ++i) w.data()[i] = float(0.7 * rng.normal());
    Eigen::RowVectorXf b(sizes[l + 1]);
    for (Eigen::Index i = 0; i < b.size(); ++i) b[i] = float(0.2 * rng.normal());
    n.w.push_back(w);
    n.b.push_back(b);
    n.act.push_back(l + 2 == sizes.size() ? out : hidden);
  }
  return n;
}

Eigen::MatrixXf gan_tiny_matrix(int rows, int cols, uint64_t seed, double scale) {
  Rng rng(seed);
  Eigen::MatrixXf m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = float(scale * rng.normal());
  return m;
}

GanRefMatrix gan_ref_matrix(const Eigen::MatrixXf& m) {
  GanRefMatrix r(m.rows(), std::vector<double>(m.cols()));
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) r[i][j] = m(i, j);
  return r;
}

// The worst |analytic − FD| / max(|FD|, floor) over every W and b of `net` (`ref` is its double
// copy, perturbed in place), loss(ref) being the double loss.
template <typename Loss>
double gan_worst_gradient_error(GanRefNet& ref, const std::vector<Eigen::MatrixXf>& d_w,
                                const std::vector<Eigen::RowVectorXf>& d_b, Loss&& loss) {
  const double h = 1e-6, floor = 1e-3;
  double worst = 0;
  auto check = [&](double& p, double analytic) {
    const double keep = p;
    p = keep + h;
    const double up = loss();
    p = keep - h;
    const double down = loss();
    p = keep;
    const double fd = (up - down) / (2 * h);
    worst = std::max(worst, std::abs(analytic - fd) / std::max(std::abs(fd), floor));
  };
  for (size_t l = 0; l < ref.w.size(); ++l) {
    for (size_t i = 0; i < ref.w[l].size(); ++i)
      for (size_t j = 0; j < ref.w[l][i].size(); ++j) check(ref.w[l][i][j], d_w[l](i, j));
    for (size_t j = 0; j < ref.b[l].size(); ++j) check(ref.b[l][j], d_b[l][j]);
  }
  return worst;
}

TEST(GanNet, GradientsOfBothLossesMatchFiniteDifferences) {
  const Activation leaky = Activation::parse("leaky_relu:slope=0.2");
  const GanNet g = gan_tiny_net({3, 4, 5}, leaky, Activation{ActivationKind::Tanh}, 1);
  const GanNet d = gan_tiny_net({5, 4, 1}, leaky, Activation{ActivationKind::Linear}, 2);
  const int B = 3;
  const Eigen::MatrixXf z = gan_tiny_matrix(B, 3, 3, 1.0);
  const Eigen::MatrixXf x = gan_tiny_matrix(B, 5, 4, 0.6);
  const float inv_b = 1.f / B;

  // D loss: one pass over [x; G(z)], as the trainer's D step.
  GanPass gp, dp;
  gan_forward(g, z, gp);
  Eigen::MatrixXf d_in(2 * B, 5);
  d_in << x, gp.output();
  gan_forward(d, d_in, dp);
  const float* logits = dp.output().data();
  float* d_logits = dp.d_output().data();
  const double d_loss = (bce_with_logits(logits, d_logits, B, true, inv_b).loss +
                         bce_with_logits(logits + B, d_logits + B, B, false, inv_b).loss) /
                        B;
  gan_backward(d, d_in, dp, true, false);
  GanRefNet g_ref = gan_ref_of(g), d_ref = gan_ref_of(d);
  const GanRefMatrix xr = gan_ref_matrix(x), zr = gan_ref_matrix(z);
  EXPECT_NEAR(d_loss, gan_ref_d_loss(g_ref, d_ref, xr, zr), 1e-5);
  const double d_worst = gan_worst_gradient_error(
      d_ref, dp.d_w, dp.d_b, [&] { return gan_ref_d_loss(g_ref, d_ref, xr, zr); });

  // G loss: through D into G, as the trainer's G step.
  GanPass dg;
  gan_forward(d, gp.output(), dg);
  const double g_loss =
      bce_with_logits(dg.output().data(), dg.d_output().data(), B, true, inv_b).loss / B;
  gan_backward(d, gp.output(), dg, false, true);
  gp.d_output() = dg.d_input;
  gan_backward(g, z, gp, true, false);
  d_ref = gan_ref_of(d);
  EXPECT_NEAR(g_loss, gan_ref_g_loss(g_ref, d_ref, zr), 1e-5);
  const double g_worst = gan_worst_gradient_error(g_ref, gp.d_w, gp.d_b,
                                                  [&] { return gan_ref_g_loss(g_ref, d_ref, zr); });
  std::printf(
      "GAN gradients vs double central differences (h = 1e-6): worst relative "
      "difference D loss %.2e, G loss %.2e (tolerance 5e-4)\n",
      d_worst, g_worst);
  // Float gradients: each a sum of O(1) terms (~1e-7 relative rounding) that may cancel down
  // to the floor of 1e-3, so up to ~1e-4 relative there; FD truncation error ~h² ≈ 1e-12 and
  // double rounding ~1e-16/h ≈ 1e-10. Measured: D 4.6e-5, G 7.4e-6.
  EXPECT_LT(d_worst, 5e-4);
  EXPECT_LT(g_worst, 5e-4);
}

TEST(GanNet, BceWithLogitsIsStableAndMarksNonFinite) {
  const float logits[4] = {-100.f, 100.f, 0.f, INFINITY};
  float d[4];
  const BceSums s = bce_with_logits(logits, d, 3, true, 1.f);
  EXPECT_NEAR(s.loss, 100 + std::log(2.0), 1e-9);  // softplus(100) + 0 + log 2
  EXPECT_NEAR(d[0], -1.f, 1e-6);
  EXPECT_NEAR(d[1], 0.f, 1e-6);
  EXPECT_EQ(s.above_half, 1);
  EXPECT_FALSE(std::isfinite(bce_with_logits(logits + 3, d, 1, false, 1.f).loss));
}

// ---- the trainer on small synthetic images (8×8, no data set needed) ------------------------
GanConfig gan_small_config() {
  GanConfig c;
  c.latent = 8;
  c.g_hidden = {16, 32};
  c.d_hidden = {32, 16};
  c.batch = 16;
  c.epochs = 2;
  c.log_every = 3;
  c.samples = 9;
  c.quality_samples = 300;  // two chunks of the quality noise (256 + 44 rows)
  c.seed = 7;
  c.inits = {InitSpec::parse("torch_linear_default"), InitSpec::parse("normal:std=0.02"),
             InitSpec::parse("kaiming_normal:a=0.2")};
  return c;
}

GanSnapshot gan_run(GanConfig c, int threads) {
  const int keep = omp_get_max_threads();
  omp_set_num_threads(threads);
  GanTrainer t(std::move(c), test::prototype_dataset(200, 40, 8, 4));
  t.set_quality_measure([](const float* fakes, int n, int dim) {
    GanEpochQuality q;
    for (int i = 0; i < n * dim; ++i) q.confidence += fakes[i];
    q.fid = n * dim;
    return q;
  });
  while (t.run_epoch()) {
  }
  GanSnapshot s = t.snapshot(true);
  omp_set_num_threads(keep);
  return s;
}

TEST(GanTrainer, SameSeedSameNumbersOnOneAndTwoThreads) {
  const GanSnapshot a = gan_run(gan_small_config(), 1), b = gan_run(gan_small_config(), 2);
  ASSERT_EQ(a.columns.size(), 3u);
  EXPECT_EQ(a.steps_per_epoch, 12u);  // ⌊200 / 16⌋
  EXPECT_EQ(a.epoch, 2);
  for (size_t c = 0; c < a.columns.size(); ++c) {
    const GanColumnHistory &x = a.columns[c], &y = b.columns[c];
    EXPECT_EQ(x.step, (std::vector<uint64_t>{3, 6, 9, 12, 15, 18, 21, 24}));
    EXPECT_EQ(x.step, y.step);
    EXPECT_EQ(x.g_loss, y.g_loss);
    EXPECT_EQ(x.d_loss, y.d_loss);
    EXPECT_EQ(x.d_real, y.d_real);
    EXPECT_EQ(x.d_fake, y.d_fake);
    EXPECT_EQ(x.fooled, y.fooled);
    EXPECT_EQ(x.samples, y.samples);
    EXPECT_EQ(x.samples.size(), 9u * 64);
    ASSERT_EQ(x.epochs.size(), 2u);
    EXPECT_EQ(x.epochs[1].epoch, 2);
    EXPECT_EQ(x.epochs[1].step, 24u);
    EXPECT_EQ(x.epochs[1].fid, 300 * 64);  // the quality measure saw quality_samples fakes
    EXPECT_FALSE(x.diverged_at);
    for (double v : x.d_real) EXPECT_TRUE(v > 0 && v < 1);
    for (double v : x.g_loss) EXPECT_TRUE(std::isfinite(v) && v > 0);
  }
  // The probes: G's layers 8→16→32→64 (tanh output), D's 64→32→16→1.
  ASSERT_EQ(a.generator_probe.columns.size(), 3u);
  EXPECT_EQ(a.generator_probe.columns[0].layers.size(), 3u);
  EXPECT_EQ(a.discriminator_probe.columns[0].layers.size(), 3u);
  EXPECT_EQ(a.generator_probe.experiment.widths, (std::vector<int>{16, 32, 64}));
  EXPECT_EQ(a.discriminator_probe.experiment.input_dim, 64);
  EXPECT_EQ(a.discriminator_probe.columns[1].layers[2].preact.count, 2u * 16);
  EXPECT_GT(a.generator_probe.columns[0].layers[0].grad_norm, 0);
  EXPECT_EQ(gan_json(a).dump(), gan_json(b).dump());
}

// A lone column runs outside the parallel region (Eigen threads its GEMMs; gan_trainer.h): the
// same numbers up to the last digits between 1 and 2 threads. Tolerance: 1e-4 relative on the
// curves after 24 Adam steps (these 8×8 nets are below Eigen's threading threshold, so the
// measured worst is 0 here; the default GAN's GEMMs are threaded).
TEST(GanTrainer, ALoneColumnAgreesOnOneAndTwoThreads) {
  GanConfig c = gan_small_config();
  c.inits = {InitSpec::parse("kaiming_normal:a=0.2")};
  const GanSnapshot a = gan_run(c, 1), b = gan_run(c, 2);
  const GanColumnHistory &x = a.columns[0], &y = b.columns[0];
  ASSERT_EQ(x.step, y.step);
  double worst = 0;
  auto compare = [&worst](const std::vector<double>& u, const std::vector<double>& v) {
    ASSERT_EQ(u.size(), v.size());
    for (size_t i = 0; i < u.size(); ++i)
      worst = std::max(worst, std::abs(u[i] - v[i]) / std::max(std::abs(u[i]), 1e-3));
  };
  compare(x.g_loss, y.g_loss);
  compare(x.d_loss, y.d_loss);
  compare(x.d_real, y.d_real);
  compare(x.d_fake, y.d_fake);
  std::printf("  one column, 1 vs 2 threads: worst relative difference %.3g\n", worst);
  EXPECT_LE(worst, 1e-4);
  ASSERT_EQ(x.samples.size(), y.samples.size());
  for (size_t i = 0; i < x.samples.size(); ++i) ASSERT_NEAR(x.samples[i], y.samples[i], 1e-4);
}

TEST(GanTrainer, ADivergedColumnStopsAndTheOthersGoOn) {
  GanConfig c = gan_small_config();
  c.inits = {InitSpec::parse("normal:std=1e30"), InitSpec::parse("normal:std=0.02")};
  const GanSnapshot s = gan_run(c, 2);
  ASSERT_TRUE(s.columns[0].diverged_at);
  EXPECT_EQ(*s.columns[0].diverged_at, 1u);
  EXPECT_TRUE(s.columns[0].step.empty());
  EXPECT_FALSE(s.columns[1].diverged_at);
  EXPECT_EQ(s.columns[1].step.size(), 8u);
  const nlohmann::ordered_json j = gan_json(s);
  EXPECT_EQ(j["columns"][0]["diverged_at"], 1);
  EXPECT_TRUE(j["columns"][1]["diverged_at"].is_null());
}

// The quality fakes: G on the quality noise, quality_samples rows (chunked by 256), the same z_i
// in row i whatever their count (up to the GEMM's rounding for another row count: 1e-6), not
// the displayed samples.
std::vector<float> gan_quality_fakes_after_one_epoch(int quality_samples) {
  GanConfig c = gan_small_config();
  c.inits = {InitSpec::parse("normal:std=0.02")};
  c.epochs = 1;
  c.quality_samples = quality_samples;
  GanTrainer t(c, test::prototype_dataset(200, 40, 8, 4));
  std::vector<float> seen;
  t.set_quality_measure([&seen](const float* fakes, int n, int dim) {
    seen.assign(fakes, fakes + static_cast<size_t>(n) * dim);
    return GanEpochQuality{};
  });
  while (t.run_epoch()) {
  }
  EXPECT_EQ(t.snapshot(false).columns[0].epochs.size(), 1u);
  return seen;
}

TEST(GanTrainer, QualityFakesComeFromTheirOwnNoise) {
  const std::vector<float> many = gan_quality_fakes_after_one_epoch(300),
                           few = gan_quality_fakes_after_one_epoch(20);
  ASSERT_EQ(many.size(), 300u * 64);
  ASSERT_EQ(few.size(), 20u * 64);
  double worst = 0;
  for (size_t i = 0; i < few.size(); ++i)
    worst = std::max(worst, double(std::abs(many[i] - few[i])));
  std::printf("  first 20 quality fakes of 300 vs of 20: worst difference %.3g\n", worst);
  EXPECT_LE(worst, 1e-6);
  for (float v : many) ASSERT_TRUE(v >= -1 && v <= 1) << v;
  // Rows of the second chunk are fakes too, and rows differ (distinct z).
  EXPECT_NE(many[256 * 64], many[257 * 64]);
  EXPECT_NE(many[0], many[64]);
}

TEST(GanTrainer, QualityMeasureIsOffOnDataItDoesNotFit) {
  // 8×8 images in 4 classes: the classifier needs 28×28 in 10.
  const auto data = test::prototype_dataset(200, 40, 8, 4);
  GanTrainer t(gan_small_config(), data);
  const GanQualityAttachment a = attach_gan_quality(t, data);
  EXPECT_FALSE(a.quality);
  const std::string line = gan_quality_line(a);
  EXPECT_EQ(line.rfind("quality measure off: ", 0), 0u) << line;
  EXPECT_NE(line.find("28×28"), std::string::npos) << line;
  EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  while (t.run_epoch()) {
  }
  const GanSnapshot s = t.snapshot(false);
  EXPECT_TRUE(s.columns[0].epochs.empty());
  EXPECT_TRUE(s.classifier_path.empty());
}

TEST(GanTrainer, WeightsFollowTheSpecAndTorchDefaultBias) {
  GanConfig c = gan_small_config();
  c.inits = {InitSpec::parse("torch_linear_default"), InitSpec::parse("normal:std=0.02")};
  GanTrainer t(c, test::prototype_dataset(200, 40, 8, 4));
  const GanNet& g0 = t.network(0, GanNetwork::Generator);
  const GanNet& d1 = t.network(1, GanNetwork::Discriminator);
  // torch: W, b ~ U(−1/√fan_in, 1/√fan_in).
  const float bound = 1 / std::sqrt(8.f);
  EXPECT_LE(g0.w[0].cwiseAbs().maxCoeff(), bound);
  EXPECT_LE(g0.b[0].cwiseAbs().maxCoeff(), bound);
  EXPECT_GT(g0.b[0].cwiseAbs().maxCoeff(), 0);
  EXPECT_EQ(d1.b[0].cwiseAbs().maxCoeff(), 0);  // zero biases elsewhere
  EXPECT_EQ(d1.act.back().kind, ActivationKind::Linear);
  EXPECT_EQ(g0.act.back().kind, ActivationKind::Tanh);
  // Distinct streams per network and layer.
  EXPECT_NE(t.network(1, GanNetwork::Generator).w[1](0, 0), d1.w[1](0, 0));
}

void gan_expect_usage(GanConfig c, const std::string& part) {
  try {
    c.validate();
    ADD_FAILURE() << "no error, expected: " << part;
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
  }
}

TEST(GanConfig, RefusesBadValuesNamingTheOption) {
  GanConfig ok = gan_small_config();
  EXPECT_NO_THROW(ok.validate());
  GanConfig c = ok;
  c.latent = 0;
  gan_expect_usage(c, "--latent 0");
  c = ok, c.g_hidden = {};
  gan_expect_usage(c, "--g-layers");
  c = ok, c.d_hidden = {512, 0};
  gan_expect_usage(c, "--d-layers");
  c = ok, c.optimizer.lr = -1;
  gan_expect_usage(c, "--lr -1");
  c = ok, c.optimizer.beta1 = 1;
  gan_expect_usage(c, "--beta1 1");
  c = ok, c.batch = 0;
  gan_expect_usage(c, "--batch 0");
  c = ok, c.d_steps = 0;
  gan_expect_usage(c, "--d-steps 0");
  c = ok, c.epochs = 0;
  gan_expect_usage(c, "--epochs 0");
  c = ok, c.quality_samples = 1;
  gan_expect_usage(c, "--quality-samples 1");
  for (const char* spec : {"lsuv", "fixup", "normal:norm=batch"}) {
    c = ok, c.inits = {InitSpec::parse(spec)};
    gan_expect_usage(c, std::string("--init '") + spec + "'");
  }
  EXPECT_THROW(parse_gan_widths("--g-layers", "256,x"), UsageError);
  EXPECT_THROW(parse_gan_widths("--g-layers", ""), UsageError);
  EXPECT_THROW(parse_gan_widths("--g-layers", "-3"), UsageError);
  EXPECT_EQ(parse_gan_widths("--g-layers", "256, 512,1024"), (std::vector<int>{256, 512, 1024}));
}

TEST(GanConfig, JsonRoundTrip) {
  GanConfig c = gan_small_config();
  const nlohmann::ordered_json j = c.to_json();
  const GanConfig back = GanConfig::from_json(nlohmann::json::parse(j.dump()), "test");
  EXPECT_EQ(back.to_json(), j);
  nlohmann::json bad = nlohmann::json::parse(j.dump());
  bad["latnet"] = 3;
  EXPECT_THROW(GanConfig::from_json(bad, "test"), UsageError);
  EXPECT_EQ(GanConfig::default_inits().size(), 4u);
}

}  // namespace
}  // namespace initscope
