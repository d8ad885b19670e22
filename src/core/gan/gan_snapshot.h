#pragma once
// What the GAN experiment publishes (issue 14): an immutable picture of every column's curves,
// epoch quality numbers, sample grid and the per-layer statistics of both networks, shared by
// the CLI (JSON/CSV), the exporter and the window. Data only (no Eigen, no trainer).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/snapshot.h"
#include "gan_config.h"

namespace initscope {

enum class GanNetwork { Generator, Discriminator };

// Quality of one column's generator at an epoch's end, measured with initscope's own
// Fashion-MNIST classifier (gan_quality.h) on GanConfig::quality_samples fakes (default 1000) of
// the quality noise, a fixed noise of its own (gan_trainer.h), NOT on the `samples` displayed:
// the Fréchet distance is biased upward for small N (64 real test images score ≈ 20 against the
// real statistics, two disjoint halves of the test set 0.56), so 64 fakes could not tell a good
// generator from a bad one. Compare columns and runs at the same quality_samples.
struct GanEpochQuality {
  int epoch = 0;             // 1-based
  uint64_t step = 0;         // G steps done at the epoch's end
  double confidence = 0;     // mean top-class probability the classifier gives the fakes
  double class_entropy = 0;  // entropy (nats) of the histogram of the fakes' predicted classes;
                             // ln 10 ≈ 2.303 = every class equally often, 0 = one class only
  double fid = 0;            // Fréchet distance real vs fake in the classifier's last hidden
                             // layer ("FID on initscope's own classifier", not Inception FID)
};

struct GanColumnHistory {
  std::string init;  // the spec as given
  // One point per log_every G steps: the means over those steps.
  std::vector<uint64_t> step;  // G steps done at the point
  std::vector<double> g_loss;  // −log D(G(z)), the non-saturating generator loss
  std::vector<double> d_loss;  // −log D(x) − log(1 − D(G(z))): the mean over the real rows plus
                               // the mean over the fake rows (torch: bce(real) + bce(fake))
  std::vector<double> d_real;  // mean D(x) on the real images
  std::vector<double> d_fake;  // mean D(G(z)) on the fakes (the D step's)
  std::vector<double> fooled;  // fraction of fakes with D(G(z)) > 0.5 ("the generator's accuracy")
  std::vector<GanEpochQuality> epochs;
  std::optional<uint64_t> diverged_at;  // the G step where a loss became NaN/±Inf: stopped there
  // The samples of the fixed noise at the last epoch end (or at step 0 before it): `samples`
  // images of image_rows × image_cols values in [−1, 1], row-major, one after the other.
  std::vector<float> samples;
};

struct GanSnapshot {
  GanConfig config;  // every default filled in
  std::string data_folder;
  int image_rows = 28, image_cols = 28;
  int train_images = 0;
  uint64_t step = 0, steps_per_epoch = 0, total_steps = 0;  // G steps
  int epoch = 0;                                            // epochs completed
  bool finished = false;
  std::vector<GanColumnHistory> columns;
  // Per-layer statistics of every column's G and D on a fixed probe (the fixed noise for G;
  // a fixed batch of real images and G's fakes for D), with gradients of the GAN losses:
  // one Snapshot per network, its columns the GAN's columns. Empty columns when not taken.
  Snapshot generator_probe, discriminator_probe;
  // The classifier of the quality measure: its file and test accuracy (empty path: none).
  std::string classifier_path;
  double classifier_accuracy = 0;
  double steps_per_s = 0;  // G steps per second in the last burst
  const Snapshot& probe(GanNetwork n) const {
    return n == GanNetwork::Generator ? generator_probe : discriminator_probe;
  }
};

}  // namespace initscope
