// The GAN quality measure (gan_quality.h) on the real Fashion-MNIST (skipped where Debian's
// dataset-fashion-mnist is missing): the classifier's accuracy, confidence / class entropy /
// "FID on initscope's own classifier" on real test images, halves of them and noise, the cache
// (a corrupt file is not trusted), and the Fréchet distance against independent references in
// double. The classifier is trained once per machine into a cache folder under the temp
// directory (≈ 10 s the first time) and read from there by later runs.
#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numbers>

#include "core/error.h"
#include "core/gan/gan_quality.h"
#include "core/rng.h"
#include "temp_folder.h"

namespace initscope {
namespace {

const double kLn10 = std::log(10.0);

std::string quality_test_cache_dir() {
  return (std::filesystem::temp_directory_path() / "initscope-test-classifier-cache").string();
}

// The data and the classifier, shared by the tests of this file; null without the data.
struct QualityFixture {
  std::shared_ptr<const ImageDataset> data;
  std::unique_ptr<GanQuality> quality;
};

const QualityFixture& quality_fixture() {
  static const QualityFixture f = [] {
    QualityFixture q;
    if (!std::filesystem::is_directory(kFashionMnistDir)) return q;
    q.data = std::make_shared<const ImageDataset>(load_image_dataset(""));
    GanQualityOptions options;
    options.cache_dir = quality_test_cache_dir();
    q.quality = std::make_unique<GanQuality>(q.data, options);
    std::printf("  classifier %s: test accuracy %.2f%%, %s (training took %.1f s)%s\n",
                q.quality->classifier_path().c_str(), 100 * q.quality->classifier_accuracy(),
                q.quality->trained_now() ? "trained now" : "read from the cache",
                q.quality->training_seconds(), q.quality->cache_note().c_str());
    return q;
  }();
  return f;
}

#define REQUIRE_FASHION_MNIST()             \
  if (quality_fixture().quality == nullptr) \
  GTEST_SKIP() << kFashionMnistDir << " is missing (apt-get install dataset-fashion-mnist)"

TEST(GanQuality, ClassifierAccuracy) {
  REQUIRE_FASHION_MNIST();
  // Measured 87.33% (recipe in gan_quality.h); 85% leaves room for another BLAS's rounding.
  EXPECT_GE(quality_fixture().quality->classifier_accuracy(), 0.85);
  EXPECT_FALSE(quality_fixture().quality->classifier_path().empty());
}

TEST(GanQuality, RealTestImagesAgainstThemselvesHalvesAndNoise) {
  REQUIRE_FASHION_MNIST();
  const GanQuality& q = *quality_fixture().quality;
  const LabelledImages& test = quality_fixture().data->test;
  const std::vector<float> all = images_in_gan_range(test, 0, test.count);
  const GanEpochQuality self = q.measure(all.data(), test.count);
  // The real statistics are of these very images: 0 up to rounding (trace of Σ ~ 1e3).
  const double trace = q.real_statistics().cov.trace();
  std::printf(
      "  all %d test images: confidence %.4f, entropy %.4f (ln 10 = %.4f), FID %.3g "
      "(tr Σr %.4g)\n",
      test.count, self.confidence, self.class_entropy, kLn10, self.fid, trace);
  EXPECT_GT(self.confidence, 0.85);              // measured 0.888
  EXPECT_NEAR(self.class_entropy, kLn10, 0.01);  // 1000 per class; the predictions near that
  EXPECT_NEAR(self.fid, 0, 1e-9 * trace);

  // Two disjoint halves: the sampling noise of the measure at N = 5000.
  const int half = test.count / 2;
  const ClassifierOutputs first = q.classify(all.data(), half);
  const ClassifierOutputs second = q.classify(all.data() + size_t(half) * 784, half);
  const double halves =
      frechet_distance(fit_gaussian(first.features), fit_gaussian(second.features));
  const double half_vs_all = q.measure(all.data(), half).fid;
  // 64 real images (a sample grid's worth): the small-N bias.
  const double grid = q.measure(all.data(), 64).fid;

  Rng rng(1414);
  std::vector<float> noise(size_t(half) * 784);
  for (float& v : noise) v = float(2 * rng.uniform() - 1);
  const GanEpochQuality uniform_noise = q.measure(noise.data(), half);
  std::printf(
      "  FID: halves %.3f, first half vs all %.3f, 64 real images %.2f, uniform noise "
      "%.1f (confidence %.3f, entropy %.3f)\n",
      halves, half_vs_all, grid, uniform_noise.fid, uniform_noise.confidence,
      uniform_noise.class_entropy);
  EXPECT_LT(halves, 0.01 * trace);
  EXPECT_LT(half_vs_all, halves);  // the halves differ by both samples' noise
  EXPECT_GT(uniform_noise.fid, 100 * halves);
  EXPECT_GT(uniform_noise.fid, 5 * grid);  // measured 269 vs 20
}

TEST(GanQuality, SingleClassSetHasZeroEntropy) {
  REQUIRE_FASHION_MNIST();
  const GanQuality& q = *quality_fixture().quality;
  const LabelledImages& test = quality_fixture().data->test;
  // The test images of class 1 (trouser), then those of them the classifier calls trousers.
  std::vector<float> trousers, called_trousers;
  for (int i = 0; i < test.count; ++i) {
    if (test.labels[size_t(i)] != 1) continue;
    const std::vector<float> image = images_in_gan_range(test, i, 1);
    trousers.insert(trousers.end(), image.begin(), image.end());
    if (q.classify(image.data(), 1).predicted[0] == 1)
      called_trousers.insert(called_trousers.end(), image.begin(), image.end());
  }
  const int n = int(trousers.size() / 784), m = int(called_trousers.size() / 784);
  const GanEpochQuality all = q.measure(trousers.data(), n);
  const GanEpochQuality called = q.measure(called_trousers.data(), m);
  std::printf(
      "  %d trousers: entropy %.4f, confidence %.4f, FID %.1f; the %d called trousers: "
      "entropy %.4f\n",
      n, all.class_entropy, all.confidence, all.fid, m, called.class_entropy);
  EXPECT_EQ(called.class_entropy, 0.0);
  EXPECT_LT(all.class_entropy, 0.25);  // trousers: the classifier's best class (~97% right)
  EXPECT_GT(all.fid, 10.0);            // one class is far from all ten
  EXPECT_EQ(histogram_entropy({0, 7, 0}), 0.0);
  EXPECT_NEAR(histogram_entropy(std::vector<int>(10, 3)), kLn10, 1e-15);
  EXPECT_NEAR(histogram_entropy({1, 1}), std::numbers::ln2, 1e-15);
}

// tr((A B)^{1/2}) the naive way: the eigenvalues of the non-symmetric product A·B (real and
// ≥ 0 up to rounding, as A·B is similar to a PSD matrix) by Eigen's general EigenSolver.
double naive_frechet(const FeatureGaussian& a, const FeatureGaussian& b) {
  Eigen::EigenSolver<Eigen::MatrixXd> eig(a.cov * b.cov, false);
  double tr_sqrt = 0;
  for (Eigen::Index i = 0; i < eig.eigenvalues().size(); ++i)
    tr_sqrt += std::sqrt(std::max(0.0, eig.eigenvalues()(i).real()));
  return (a.mean - b.mean).squaredNorm() + a.cov.trace() + b.cov.trace() - 2 * tr_sqrt;
}

FeatureGaussian random_gaussian(int d, Rng& rng, bool diagonal) {
  FeatureGaussian g;
  g.mean.resize(d);
  for (int i = 0; i < d; ++i) g.mean(i) = rng.normal();
  Eigen::MatrixXd a(d, d + 3);
  for (Eigen::Index i = 0; i < a.size(); ++i) a.data()[i] = rng.normal();
  g.cov = a * a.transpose() / d;
  if (diagonal) g.cov = Eigen::MatrixXd(g.cov.diagonal().asDiagonal());
  return g;
}

TEST(GanQuality, FrechetDistanceAgainstIndependentReferences) {
  Rng rng(2017);
  double worst_naive = 0, worst_diagonal = 0;
  for (int trial = 0; trial < 20; ++trial) {
    const int d = 5 + trial * 3;
    const FeatureGaussian a = random_gaussian(d, rng, false), b = random_gaussian(d, rng, false);
    const double fd = frechet_distance(a, b), naive = naive_frechet(a, b);
    worst_naive = std::max(worst_naive, std::fabs(fd - naive) / std::max(1.0, std::fabs(naive)));
    // Diagonal covariances: ‖Δμ‖² + Σ (√a_i − √b_i)².
    const FeatureGaussian da = random_gaussian(d, rng, true), db = random_gaussian(d, rng, true);
    const double closed =
        (da.mean - db.mean).squaredNorm() +
        (da.cov.diagonal().cwiseSqrt() - db.cov.diagonal().cwiseSqrt()).squaredNorm();
    worst_diagonal =
        std::max(worst_diagonal, std::fabs(frechet_distance(da, db) - closed) / closed);
    EXPECT_NEAR(frechet_distance(a, a), 0, 1e-9 * a.cov.trace());
  }
  std::printf(
      "  Fréchet distance: worst relative difference %.2e vs the general eigen-solver, "
      "%.2e vs the diagonal closed form\n",
      worst_naive, worst_diagonal);
  EXPECT_LT(worst_naive, 1e-9);
  EXPECT_LT(worst_diagonal, 1e-12);

  // And on the classifier's real 256-dimensional features: the trousers against all.
  if (quality_fixture().quality == nullptr) return;
  const GanQuality& q = *quality_fixture().quality;
  const std::vector<float> some = images_in_gan_range(quality_fixture().data->test, 0, 500);
  const FeatureGaussian fake = fit_gaussian(q.classify(some.data(), 500).features);
  const double fd = frechet_distance(q.real_statistics(), fake);
  const double naive = naive_frechet(q.real_statistics(), fake);
  std::printf("  real features, 500 vs 10000 images: %.9g, naive %.9g, difference %.2e\n", fd,
              naive, std::fabs(fd - naive));
  EXPECT_NEAR(fd, naive, 1e-6 * q.real_statistics().cov.trace());
}

TEST(GanQuality, DivergedFakesGiveNaN) {
  REQUIRE_FASHION_MNIST();
  std::vector<float> fakes(10 * 784, 0.0f);
  fakes[123] = std::nanf("");
  const GanEpochQuality q = quality_fixture().quality->measure(fakes.data(), 10);
  EXPECT_TRUE(std::isnan(q.fid) && std::isnan(q.confidence) && std::isnan(q.class_entropy));
}

// The cache: an intact copy is read (no training: a set cancel flag would stop one), a cut or
// corrupted one is not trusted (it goes to train: Cancelled).
TEST(GanQuality, CacheFileIsReadOnlyWhenIntact) {
  REQUIRE_FASHION_MNIST();
  const QualityFixture& f = quality_fixture();
  const std::string original = f.quality->classifier_path();
  ASSERT_FALSE(original.empty());
  const std::string name = std::filesystem::path(original).filename().string();
  test::TempFolder folder;
  const std::atomic<bool> cancel{true};
  GanQualityOptions options;
  options.cache_dir = folder.path.string();
  options.cancel = &cancel;
  std::filesystem::copy_file(original, folder.file(name));
  const GanQuality copy(f.data, options);
  EXPECT_FALSE(copy.trained_now());
  EXPECT_EQ(copy.classifier_path(), folder.file(name));
  EXPECT_EQ(copy.classifier_accuracy(), f.quality->classifier_accuracy());
  const std::vector<float> some = images_in_gan_range(f.data->test, 0, 200);
  EXPECT_EQ(copy.measure(some.data(), 200).fid, f.quality->measure(some.data(), 200).fid);

  const auto size = std::filesystem::file_size(original);
  for (const auto offset : {size / 2, size - 1, uintmax_t{3}}) {  // weights, checksum, magic
    std::filesystem::copy_file(original, folder.file(name),
                               std::filesystem::copy_options::overwrite_existing);
    std::fstream file(folder.file(name), std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(std::streamoff(offset));
    file.put('\x5a');
    file.close();
    EXPECT_THROW(GanQuality(f.data, options), Cancelled) << "byte " << offset << " changed";
  }
  std::filesystem::resize_file(folder.file(name), size - 100);
  EXPECT_THROW(GanQuality(f.data, options), Cancelled) << "cut";
}

TEST(GanQuality, DefaultCacheFolderFollowsTheEnvironment) {
  const char* saved = std::getenv("INITSCOPE_CACHE_DIR");
  const std::string before = saved ? saved : "";
  ::setenv("INITSCOPE_CACHE_DIR", "/some/where", 1);
  EXPECT_EQ(GanQuality::default_cache_dir(), "/some/where");
  ::unsetenv("INITSCOPE_CACHE_DIR");
  const std::string home = GanQuality::default_cache_dir();
  EXPECT_TRUE(home.ends_with("/initscope")) << home;
  if (saved) ::setenv("INITSCOPE_CACHE_DIR", before.c_str(), 1);
}

}  // namespace
}  // namespace initscope
