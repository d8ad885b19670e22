#pragma once
// The GAN's quality measure (issue 14), with no download: initscope's own Fashion-MNIST
// classifier labels the fakes. Independent of the GAN trainer: it takes images, gives numbers.
//
// The classifier: the MLP 784 → 256 → 256 → 10, ReLU, kaiming_normal:nonlinearity=relu, Adam
// lr 1e-3, batch 128, 4 epochs, seed 0, trained by initscope's own training core (trainer.h) on
// the data set's training images (inputs = pixels/255 ∈ [0, 1], as `initscope train`). On
// Fashion-MNIST it reaches 87.33% test accuracy, trained in 9.2 s on 2 cores (measured
// 2026-12-07, other builds running).
// Trained once and cached (below); a corrupt or mismatched cache file is retrained.
//
// For N fakes (n × 784 floats in [−1, 1], the generator's tanh range; the classifier sees
// (x + 1)/2):
//   confidence    = mean over the fakes of max_k softmax(logits)_k
//   class_entropy = −Σ_k p_k ln p_k, p_k = (fakes predicted as class k)/N, in nats: ln 10 ≈ 2.303
//                   for a class-balanced set, 0 when every fake is one class (mode collapse)
//   fid           = ‖μr − μf‖² + tr(Σr + Σf − 2(Σr Σf)^{1/2}), the Fréchet distance between the
//                   Gaussians fitted to the classifier's last hidden layer (256 ReLU units) on
//                   the real test images (all of them, computed once) and on the fakes. In
//                   double; tr((Σr Σf)^{1/2}) = Σ √λᵢ of the symmetric PSD Σr^{1/2} Σf Σr^{1/2}
//                   (Eigen's SelfAdjointEigenSolver, eigenvalues below 0 from rounding → 0).
// This is "FID on initscope's own classifier": the formula of Heusel et al. 2017 in another
// network's features, so its numbers are NOT comparable to Inception FID (or to another
// classifier's). Like FID it is biased upward for small N (Σf from N samples in 256 dimensions:
// rank ≤ N − 1); compare columns at the same N, and prefer N ≥ 1000 where the figure matters.
// Measured (tests/unit/test_gan_quality.cpp; tr Σr = 144): two disjoint halves of the test set
// 0.56, the first half against all 0.14, 64 real test images against all 20 (the small-N bias),
// uniform noise in [−1, 1] 269 (which the classifier calls one class: entropy 0.02, confidence
// 0.97 — confidence alone does not tell fakes from images). All 10000 test images: confidence
// 0.888, entropy 2.293 (ln 10 = 2.303).
#include <Eigen/Core>
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "core/engine/mlp.h"
#include "core/training/image_dataset.h"
#include "gan_snapshot.h"

namespace initscope {

class GanTrainer;

// A Gaussian fitted to feature vectors: mean and covariance (divided by n − 1), in double.
struct FeatureGaussian {
  Eigen::VectorXd mean;
  Eigen::MatrixXd cov;
  int samples = 0;
};

// Fits the rows of `features` (n × d, one vector per row), n ≥ 2.
FeatureGaussian fit_gaussian(const Eigen::MatrixXd& features);
// S^{1/2} of a symmetric PSD S by its eigen-decomposition (negative eigenvalues → 0).
Eigen::MatrixXd psd_sqrt(const Eigen::MatrixXd& s);
// The Fréchet distance above; `a_cov_sqrt` = psd_sqrt(a.cov), passed when a is reused.
double frechet_distance(const FeatureGaussian& a, const FeatureGaussian& b);
double frechet_distance(const FeatureGaussian& a, const Eigen::MatrixXd& a_cov_sqrt,
                        const FeatureGaussian& b);
// −Σ p ln p (nats) of the histogram `counts` (0·ln 0 = 0); 0 for an empty histogram.
double histogram_entropy(const std::vector<int>& counts);

// The images i0 … i0+n−1 of `set` as the GAN sees them: pixel/127.5 − 1 ∈ [−1, 1], n × dim
// floats row-major.
std::vector<float> images_in_gan_range(const LabelledImages& set, int i0, int n);

// What the classifier says about n images.
struct ClassifierOutputs {
  Eigen::MatrixXd features;         // n × 256: the last hidden layer (after its ReLU)
  std::vector<int> predicted;       // argmax of the logits
  std::vector<double> top_softmax;  // max_k softmax(logits)_k
};

struct GanQualityOptions {
  // The cache folder; "" = $INITSCOPE_CACHE_DIR, else $XDG_CACHE_HOME/initscope, else
  // $HOME/.cache/initscope (created when missing).
  std::string cache_dir;
  const std::atomic<bool>* cancel = nullptr;  // checked between training steps: Cancelled
};

class GanQuality {
 public:
  // Loads the classifier from the cache folder's file
  //   fashion-classifier-<16 hex digits>.bin,
  // the digits a hash of the recipe above and of the data set's contents (pixels and labels of
  // both sets), or trains it (≈ 10 s on 2 cores) and writes that file whole or not at all
  // (core/file_io.h). A file that is cut, corrupt (its checksum), of another recipe, data or
  // format version is not trusted: the classifier is retrained and the file replaced. When the
  // folder cannot be written the classifier is kept in memory only (cache_note() says why).
  // Then fits the real Gaussian on every test image. Throws Cancelled, and UsageError when the
  // data's images are not 784 pixels or its classes not 10.
  explicit GanQuality(std::shared_ptr<const ImageDataset> data, GanQualityOptions options = {});

  // The numbers for n ≥ 2 fakes (n × 784 floats, [−1, 1]); epoch and step are left 0 for the
  // caller; NaN numbers when a fake is NaN/±Inf (a diverged generator). Thread-safe (const,
  // its own buffers).
  GanEpochQuality measure(const float* fakes, int n) const;
  // The classifier's features and predictions for n images in [−1, 1] (n × 784).
  ClassifierOutputs classify(const float* images, int n) const;

  const std::string& classifier_path() const { return path_; }   // the cache file; "" = none
  double classifier_accuracy() const { return accuracy_; }       // on the test set, 0..1
  bool trained_now() const { return trained_now_; }              // false: read from the cache
  double training_seconds() const { return training_seconds_; }  // when it was trained
  const std::string& cache_note() const { return cache_note_; }  // why not cached; "" if it is
  const FeatureGaussian& real_statistics() const { return real_; }

  static std::string default_cache_dir();
  static constexpr int kImageDim = 784, kClasses = 10, kFeatures = 256;

 private:
  void train(const std::shared_ptr<const ImageDataset>& data, const std::atomic<bool>* cancel);
  bool load(const std::string& bytes, uint64_t key);
  std::string serialize(uint64_t key) const;

  MlpParams params_;
  std::string path_, cache_note_;
  double accuracy_ = 0, training_seconds_ = 0;
  bool trained_now_ = false;
  FeatureGaussian real_;
  Eigen::MatrixXd real_cov_sqrt_;
};

// The quality measure attached to a trainer: what the `gan` command, the GUI worker and the
// exporter all call, so they report the same numbers.
struct GanQualityAttachment {
  std::shared_ptr<const GanQuality> quality;  // null: the measure is off, `off_reason` says why
  std::string off_reason;                     // GanQuality's UsageError (not 28×28 × 10 classes)
};

// Builds a GanQuality on `data` (the cache folder as GanQualityOptions::cache_dir; `cancel` stops
// the classifier's training: Cancelled) and sets it as `trainer`'s quality measure with its
// classifier's path and accuracy. When the data is not 784-pixel images in 10 classes the trainer
// keeps no measure (its epochs get no quality entries) and the result says why.
GanQualityAttachment attach_gan_quality(GanTrainer& trainer,
                                        std::shared_ptr<const ImageDataset> data,
                                        const std::atomic<bool>* cancel = nullptr,
                                        std::string cache_dir = "");

// One line for the user, no newline:
//   "classifier: PATH (test accuracy 87.33%, trained now in 9.2 s)" or "…, cached)",
//   "classifier: not cached (WHY) (test accuracy …)" when it lives in memory only,
//   "quality measure off: WHY" when the data does not fit it.
std::string gan_quality_line(const GanQualityAttachment& attached);

}  // namespace initscope
