// The GAN quality measure: the cached Fashion-MNIST classifier, its features and the Fréchet
// distance (gan_quality.h has the formulas and the recipe).
#include "gan_quality.h"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "core/error.h"
#include "core/file_io.h"
#include "core/rng.h"
#include "core/training/trainer.h"
#include "gan_trainer.h"

namespace initscope {
namespace {

// The classifier's recipe; its text is part of the cache key, so a change here retrains.
constexpr int kQualityEpochs = 4, kQualityBatch = 128;
constexpr double kQualityLr = 1e-3;
constexpr const char* kQualityInit = "kaiming_normal:nonlinearity=relu";
constexpr const char* kQualityRecipe =
    "fashion-classifier v1: 784-256-256-10 relu kaiming_normal:nonlinearity=relu adam lr=0.001 "
    "batch=128 epochs=4 seed=0";

// The file: magic, then the key, accuracy and training time, the layer sizes and each layer's
// W (column-major, fan_in × fan_out) and b as native floats, then hash_text of all before it.
// Native byte order: a cache of this machine, not a portable format (a foreign file fails its
// key or checksum and is retrained).
constexpr char kQualityMagic[] = "INITSCOPE-FASHION-CLASSIFIER-1\n";
constexpr size_t kQualityMaxBytes = size_t{16} << 20;  // the file is ~1.1 MB

uint64_t quality_data_hash(const ImageDataset& d) {
  uint64_t h = hash_text(kQualityRecipe);
  for (const LabelledImages* set : {&d.train, &d.test}) {
    const std::string_view pixels(reinterpret_cast<const char*>(set->pixels.data()),
                                  set->pixels.size());
    const std::string_view labels(reinterpret_cast<const char*>(set->labels.data()),
                                  set->labels.size());
    h ^= hash_text(pixels) * 3 + hash_text(labels) * 7 + uint64_t(set->count);
    h *= 0x100000001b3ULL;
  }
  return h;
}

template <typename T>
void quality_put(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

// Reads sizeof(T) bytes at `at` (advanced); false past the end.
template <typename T>
bool quality_get(const std::string& in, size_t& at, T& value) {
  if (at > in.size() || in.size() - at < sizeof value) return false;
  std::memcpy(&value, in.data() + at, sizeof value);
  at += sizeof value;
  return true;
}

bool quality_get_floats(const std::string& in, size_t& at, float* dst, size_t n) {
  if (at > in.size() || (in.size() - at) / sizeof(float) < n) return false;
  std::memcpy(dst, in.data() + at, n * sizeof(float));
  at += n * sizeof(float);
  return true;
}

const int kQualitySizes[] = {GanQuality::kImageDim, 256, GanQuality::kFeatures,
                             GanQuality::kClasses};

Experiment quality_classifier_experiment() {
  Experiment e;
  e.layers = 3;
  e.widths = {kQualitySizes[1], kQualitySizes[2], kQualitySizes[3]};
  e.input_dim = kQualitySizes[0];
  e.batch = 100;  // the trainer's probe batch: not used
  e.activation = Activation::parse("relu");
  e.inits = {InitSpec::parse(kQualityInit)};
  e.seed = 0;
  TrainingConfig t;
  t.epochs = kQualityEpochs;
  t.batch = kQualityBatch;
  t.optimizer.kind = OptimizerKind::Adam;
  t.optimizer.lr = kQualityLr;
  e.training = t;
  return e;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

FeatureGaussian fit_gaussian(const Eigen::MatrixXd& features) {
  if (features.rows() < 2) throw std::logic_error("fit_gaussian: needs at least 2 samples");
  FeatureGaussian g;
  g.samples = static_cast<int>(features.rows());
  g.mean = features.colwise().mean().transpose();
  const Eigen::MatrixXd centred = features.rowwise() - g.mean.transpose();
  g.cov = (centred.transpose() * centred) / double(features.rows() - 1);
  return g;
}

Eigen::MatrixXd psd_sqrt(const Eigen::MatrixXd& s) {
  const Eigen::MatrixXd sym = 0.5 * (s + s.transpose());
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(sym);
  const Eigen::VectorXd root = eig.eigenvalues().cwiseMax(0.0).cwiseSqrt();
  return eig.eigenvectors() * root.asDiagonal() * eig.eigenvectors().transpose();
}

double frechet_distance(const FeatureGaussian& a, const Eigen::MatrixXd& a_cov_sqrt,
                        const FeatureGaussian& b) {
  // tr((Σa Σb)^{1/2}) = Σ √λᵢ(Σa^{1/2} Σb Σa^{1/2}): ΣaΣb is similar to that PSD matrix.
  Eigen::MatrixXd m = a_cov_sqrt * b.cov * a_cov_sqrt;
  m = 0.5 * (m + m.transpose());
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(m, Eigen::EigenvaluesOnly);
  const double tr_sqrt = eig.eigenvalues().cwiseMax(0.0).cwiseSqrt().sum();
  return (a.mean - b.mean).squaredNorm() + a.cov.trace() + b.cov.trace() - 2 * tr_sqrt;
}

double frechet_distance(const FeatureGaussian& a, const FeatureGaussian& b) {
  return frechet_distance(a, psd_sqrt(a.cov), b);
}

double histogram_entropy(const std::vector<int>& counts) {
  double total = 0;
  for (int c : counts) total += c;
  if (total <= 0) return 0;
  double h = 0;
  for (int c : counts)
    if (c > 0) h -= (c / total) * std::log(c / total);
  return h;
}

std::vector<float> images_in_gan_range(const LabelledImages& set, int i0, int n) {
  const size_t d = static_cast<size_t>(set.dim());
  std::vector<float> out(static_cast<size_t>(n) * d);
  for (int i = 0; i < n; ++i) {
    const uint8_t* src = set.image(i0 + i);
    for (size_t k = 0; k < d; ++k) out[i * d + k] = float(src[k]) / 127.5f - 1.0f;
  }
  return out;
}

std::string GanQuality::default_cache_dir() {
  if (const char* own = std::getenv("INITSCOPE_CACHE_DIR"); own != nullptr && *own != '\0')
    return own;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0')
    return std::string(xdg) + "/initscope";
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0')
    return std::string(home) + "/.cache/initscope";
  return "";
}

GanQuality::GanQuality(std::shared_ptr<const ImageDataset> data, GanQualityOptions options) {
  if (data->train.dim() != kImageDim || data->test.dim() != kImageDim || data->classes != kClasses)
    throw UsageError(
        "the GAN's quality measure needs 28×28 images in 10 classes (Fashion-MNIST); '" +
        data->folder + "' has " + std::to_string(data->train.rows) + "×" +
        std::to_string(data->train.cols) + " images in " + std::to_string(data->classes) +
        " classes");
  const uint64_t key = quality_data_hash(*data);
  const std::string dir = options.cache_dir.empty() ? default_cache_dir() : options.cache_dir;
  char name[64];
  std::snprintf(name, sizeof name, "fashion-classifier-%016llx.bin",
                static_cast<unsigned long long>(key));
  const std::string path = dir.empty() ? "" : dir + "/" + name;
  bool loaded = false;
  if (!path.empty() && std::filesystem::exists(path)) {
    try {
      loaded = load(read_file(path, kQualityMaxBytes), key);
    } catch (const std::exception&) {
      loaded = false;  // unreadable: retrained below
    }
  }
  if (loaded) {
    path_ = path;
  } else {
    train(data, options.cancel);
    if (path.empty()) {
      cache_note_ = "no cache folder (HOME, XDG_CACHE_HOME and INITSCOPE_CACHE_DIR unset)";
    } else {
      try {
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        write_file_atomic(path, serialize(key), true);
        path_ = path;
      } catch (const std::exception& e) {
        cache_note_ = std::string("not cached: ") + e.what();
      }
    }
  }
  // The real statistics: every test image, once.
  const std::vector<float> real = images_in_gan_range(data->test, 0, data->test.count);
  real_ = fit_gaussian(classify(real.data(), data->test.count).features);
  real_cov_sqrt_ = psd_sqrt(real_.cov);
}

void GanQuality::train(const std::shared_ptr<const ImageDataset>& data,
                       const std::atomic<bool>* cancel) {
  const auto t0 = std::chrono::steady_clock::now();
  Trainer trainer(quality_classifier_experiment(), data, cancel);
  while (!trainer.finished()) {
    trainer.run_steps(50, cancel);
    if (cancel_requested(cancel)) throw Cancelled{};
  }
  accuracy_ = trainer.evaluate(0).second;
  params_.w = trainer.params(0).w;
  params_.b = trainer.params(0).b;
  training_seconds_ = seconds_since(t0);
  trained_now_ = true;
}

std::string GanQuality::serialize(uint64_t key) const {
  std::string out(kQualityMagic);
  quality_put(out, key);
  quality_put(out, accuracy_);
  quality_put(out, training_seconds_);
  quality_put(out, static_cast<uint32_t>(params_.layers()));
  for (int l = 0; l < params_.layers(); ++l) {
    quality_put(out, static_cast<uint32_t>(params_.w[l].rows()));
    quality_put(out, static_cast<uint32_t>(params_.w[l].cols()));
    out.append(reinterpret_cast<const char*>(params_.w[l].data()),
               sizeof(float) * static_cast<size_t>(params_.w[l].size()));
    out.append(reinterpret_cast<const char*>(params_.b[l].data()),
               sizeof(float) * static_cast<size_t>(params_.b[l].size()));
  }
  quality_put(out, hash_text(out));
  return out;
}

bool GanQuality::load(const std::string& bytes, uint64_t key) {
  const size_t magic = sizeof kQualityMagic - 1;
  if (bytes.size() < magic + sizeof(uint64_t) || bytes.compare(0, magic, kQualityMagic) != 0)
    return false;
  const size_t body = bytes.size() - sizeof(uint64_t);
  uint64_t checksum = 0;
  std::memcpy(&checksum, bytes.data() + body, sizeof checksum);
  if (checksum != hash_text(std::string_view(bytes.data(), body))) return false;
  size_t at = magic;
  uint64_t file_key = 0;
  uint32_t layers = 0;
  MlpParams p;
  if (!quality_get(bytes, at, file_key) || file_key != key || !quality_get(bytes, at, accuracy_) ||
      !quality_get(bytes, at, training_seconds_) || !quality_get(bytes, at, layers) || layers != 3)
    return false;
  for (uint32_t l = 0; l < layers; ++l) {
    uint32_t rows = 0, cols = 0;
    if (!quality_get(bytes, at, rows) || !quality_get(bytes, at, cols) ||
        int(rows) != kQualitySizes[l] || int(cols) != kQualitySizes[l + 1])
      return false;
    p.w.emplace_back(rows, cols);
    p.b.emplace_back(cols);
    if (!quality_get_floats(bytes, at, p.w.back().data(), size_t(rows) * cols) ||
        !quality_get_floats(bytes, at, p.b.back().data(), cols))
      return false;
  }
  if (at != body || !p.w.back().allFinite()) return false;
  params_ = std::move(p);
  return true;
}

ClassifierOutputs GanQuality::classify(const float* images, int n) const {
  RowMatrixXf x(n, kImageDim);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = 0.5f * (images[i] + 1.0f);
  MlpPass pass;
  mlp_forward(params_, Activation::parse("relu"), x, pass);
  const Eigen::MatrixXf& logits = pass.z.back();  // n × 10
  ClassifierOutputs out;
  out.features = pass.a[params_.layers() - 2].cast<double>();
  out.predicted.resize(static_cast<size_t>(n));
  out.top_softmax.resize(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    Eigen::Index best = 0;
    const double top = logits.row(i).maxCoeff(&best);
    double sum = 0;  // Σ exp(z_k − z_max): the top class's softmax is 1/sum
    for (int k = 0; k < kClasses; ++k) sum += std::exp(double(logits(i, k)) - top);
    out.predicted[i] = static_cast<int>(best);
    out.top_softmax[i] = 1 / sum;
  }
  return out;
}

GanEpochQuality GanQuality::measure(const float* fakes, int n) const {
  if (n < 2) throw std::logic_error("GanQuality::measure: needs at least 2 images");
  GanEpochQuality q;
  const size_t values = static_cast<size_t>(n) * kImageDim;
  if (!std::all_of(fakes, fakes + values, [](float v) { return std::isfinite(v); })) {
    q.confidence = q.class_entropy = q.fid = std::nan("");  // a diverged generator
    return q;
  }
  const ClassifierOutputs c = classify(fakes, n);
  std::vector<int> counts(kClasses, 0);
  for (int i = 0; i < n; ++i) {
    q.confidence += c.top_softmax[i] / n;
    ++counts[static_cast<size_t>(c.predicted[i])];
  }
  q.class_entropy = histogram_entropy(counts);
  q.fid = frechet_distance(real_, real_cov_sqrt_, fit_gaussian(c.features));
  return q;
}

GanQualityAttachment attach_gan_quality(GanTrainer& trainer,
                                        std::shared_ptr<const ImageDataset> data,
                                        const std::atomic<bool>* cancel, std::string cache_dir) {
  GanQualityAttachment attached;
  GanQualityOptions options;
  options.cache_dir = std::move(cache_dir);
  options.cancel = cancel;
  try {
    attached.quality = std::make_shared<const GanQuality>(std::move(data), options);
  } catch (const UsageError& e) {
    attached.off_reason = e.what();
    return attached;
  }
  std::shared_ptr<const GanQuality> quality = attached.quality;
  trainer.set_quality_measure(
      [quality](const float* fakes, int n, int dim) {
        if (dim != GanQuality::kImageDim) {
          throw RuntimeError("the quality measure takes images of " +
                             std::to_string(GanQuality::kImageDim) + " values, not " +
                             std::to_string(dim));
        }
        return quality->measure(fakes, n);
      },
      quality->classifier_path(), quality->classifier_accuracy());
  return attached;
}

std::string gan_quality_line(const GanQualityAttachment& attached) {
  if (!attached.quality) return "quality measure off: " + attached.off_reason;
  const GanQuality& q = *attached.quality;
  char tail[96];
  if (q.trained_now()) {
    std::snprintf(tail, sizeof tail, " (test accuracy %.2f%%, trained now in %.1f s)",
                  100 * q.classifier_accuracy(), q.training_seconds());
  } else {
    std::snprintf(tail, sizeof tail, " (test accuracy %.2f%%, cached)",
                  100 * q.classifier_accuracy());
  }
  const std::string where =
      q.classifier_path().empty() ? "not cached (" + q.cache_note() + ")" : q.classifier_path();
  return "classifier: " + where + tail;
}

}  // namespace initscope
