#pragma once
// The GAN experiment's training (issue 14): every column trains its own generator G and
// discriminator D (gan_net.h) from one init spec, on the same real mini-batches in the same
// order and with the same noise. Single-threaded API driven in bounded bursts by its owner
// (the `gan` command, a GUI worker), like Trainer.
//
// One G step (steps are counted in G steps):
//   for k = 1..d_steps (each with its own real mini-batch x_k, B rows, and noise z_k ~ N(0, 1)):
//     D step: logits ℓ = D([x_k; G(z_k)]) (2B rows, real first),
//       d_loss = (1/B)·Σ_i softplus(−ℓ(x_i)) + (1/B)·Σ_i softplus(ℓ(G(z_i)))
//              = mean −log D(x) + mean −log(1 − D(G(z)))   (BCE with logits, σ = D's sigmoid),
//       dL/dℓ = (σ(ℓ) − 1)/B on real rows, σ(ℓ)/B on fake rows; Adam on D.
//   G step on the LAST D step's noise z_{d_steps} (G has not changed since its fakes were drawn,
//     so that forward pass is reused): g_loss = (1/B)·Σ_i softplus(−ℓ(G(z_i))) = mean −log D(G(z))
//     with the updated D (the non-saturating loss), back-propagated through D (D's parameters
//     untouched) into G; Adam on G.
// Recorded per G step: g_loss, d_loss, d_real = mean σ(ℓ(x)), d_fake = mean σ(ℓ(G(z))) and
// fooled = the fraction of fakes with σ(ℓ) > 0.5, all three of the D steps (their mean over the
// d_steps); a curve point is the mean over log_every G steps (and the last, shorter run).
// An epoch is ⌊train images / (B·d_steps)⌋ G steps over one seeded shuffle of the images.
// A column whose D or G loss is NaN/±Inf stops at that G step (diverged_at; no update made with
// it, its curve ends at the last full point, its samples stay those of the last epoch end) and
// the other columns go on.
//
// Random streams (core/rng.h), from GanConfig::seed: the shuffle of epoch e
// Rng::stream(seed, hash("gan order"), e); the noise of G step s, D step k
// Rng::stream(seed, hash("gan noise"), s·d_steps + k); the fixed noise (samples and probes)
// Rng::stream(seed, hash("gan fixed noise")); the quality noise (quality_samples rows, the fakes
// the epoch-end quality measure sees) Rng::stream(seed, hash("gan quality noise")); the weights of
// layer l (0-based) of network N of a column with spec S: Rng::stream(seed, hash(S.stream_text()) ^
// hash(N), l), N = "gan generator" / "gan discriminator"; torch_linear_default's bias the same
// stream key ^ hash("bias"). Weights are drawn with sample_weights(spec, fan_in, fan_out, φ of the
// layer's output): the hidden activation, then tanh (G's image) or sigmoid (D's probability).
//
// Threads: two or more columns run in parallel on the OpenMP pool, one column per task, every
// GEMM on its task's thread (inside a parallel region Eigen does not thread), so their numbers
// do not depend on the thread count: same config → identical curves on any number of threads.
// A lone column splits every mini-batch into one row part per thread (⌊B/n⌋ or one more rows)
// and runs a team of n threads: each part's forward pass, loss gradient and dL/dZ, dL/dA chain
// on its own thread (rows are independent), then at a barrier every thread takes a share of the
// columns of each layer's dL/dW = Σ_parts A_pᵀ·dL/dZ_p and dL/db and updates those columns with
// Adam at once; 3 barriers per G step (1 D step), where Eigen-threaded GEMMs (before 2026-12-07)
// synchronised inside each of ≈ 16 GEMMs and ran Adam and the element-wise passes on one thread.
// The part sums change with n, so a single column's numbers may differ in the last digits between
// thread counts (identical for the same thread count), as Trainer's single column (trainer.h).
// The probes (snapshot) run outside, Eigen-threaded.
#include <atomic>
#include <functional>
#include <memory>
#include <vector>

#include "core/engine/probe_stats.h"
#include "core/training/image_dataset.h"
#include "core/training/optimizer.h"
#include "gan_net.h"
#include "gan_snapshot.h"

namespace initscope {

class RegionExceptions;

// The quality of a column's generator from its quality fakes (G on the quality noise,
// GanConfig::quality_samples rows, not the displayed samples): `fakes` is n images of `dim` values
// in [−1, 1], row-major, one after the other. Fills confidence, class_entropy and fid (the trainer
// sets epoch and step). Called from the owner's thread, one column after the other.
using GanQualityMeasure = std::function<GanEpochQuality(const float* fakes, int n, int dim)>;

class GanTrainer {
 public:
  // Validates the config (its inits empty → GanConfig::default_inits()), checks memory, draws
  // every column's G and D, the fixed noise and the step-0 samples. UsageError when the data
  // holds fewer training images than one G step takes.
  GanTrainer(GanConfig config, std::shared_ptr<const ImageDataset> data);

  // The epoch-end quality measure (gan_quality.h); `classifier_path`, `classifier_accuracy` are
  // published in snapshots. Without one, epochs get no quality entries.
  void set_quality_measure(GanQualityMeasure measure, std::string classifier_path = "",
                           double classifier_accuracy = 0);

  const GanConfig& config() const { return cfg_; }
  uint64_t steps_per_epoch() const { return steps_per_epoch_; }
  uint64_t total_steps() const { return steps_per_epoch_ * static_cast<uint64_t>(cfg_.epochs); }
  uint64_t steps_done() const { return step_; }
  int epochs_done() const { return epoch_; }
  bool finished() const { return step_ >= total_steps(); }

  // One G step (with its d_steps D steps) for every column that has not diverged; at an epoch's
  // end the samples and the quality measure. Returns false when already finished.
  bool step();
  // Up to max_steps steps, fewer when finished or `cancel` became true (checked between steps).
  int run_steps(int max_steps, const std::atomic<bool>* cancel = nullptr);
  // Steps to the end of the current epoch; false if cancelled first (or already finished).
  bool run_epoch(const std::atomic<bool>* cancel = nullptr);

  // Histories so far and, when `with_probe`, both networks' per-layer statistics of every
  // column: G on the first B rows of the fixed noise with the G loss's gradients (through D);
  // D on the first B test images then those B fakes, with the D loss's gradients.
  GanSnapshot snapshot(bool with_probe = true);

  // For tests and reference checks.
  const GanNet& network(size_t column, GanNetwork n) const {
    return n == GanNetwork::Generator ? cols_[column].g : cols_[column].d;
  }
  int image_dim() const { return data_->train.dim(); }
  const std::shared_ptr<const ImageDataset>& data() const { return data_; }

 private:
  // One row part of every mini-batch of a step: rows [first, first + rows). A lone column's step
  // runs its parts on the threads of one team (gan_trainer.cpp, column_step_team), others have
  // one part.
  struct RowPart {
    int first = 0, rows = 0;
    Eigen::MatrixXf noise;    // its rows of the D step's noise, rows × latent
    Eigen::MatrixXf d_in;     // [its real rows; its fakes], 2·rows × image
    GanPass g_pass;           // G on its noise
    GanPass d_pass;           // D on d_in: the D step
    GanPass dg_pass;          // D on its fakes: the G step
    BceSums real, fake, gen;  // its rows' loss sums: D's on real / fake rows, G's
  };
  struct Column {
    InitSpec spec;
    GanNet g, d;
    Optimizer g_opt, d_opt;
    std::vector<RowPart> parts;
    std::vector<GanRowPart> g_rows, d_rows;      // the parts as gan_param_grads reads them
    std::vector<Eigen::MatrixXf> g_dw, d_dw;     // dL/dW_l of the step, fan_in × fan_out
    std::vector<Eigen::RowVectorXf> g_db, d_db;  // dL/db_l
    GanPass sample_pass;                         // G on the fixed noise (samples rows)
    GanPass quality_pass;  // G on one chunk of the quality noise (≤ kGanQualityChunk rows)
    std::vector<float> quality_fakes;  // quality_samples × image, row-major
    GanColumnHistory history;
    bool diverged = false;
    // Sums since the last curve point.
    double sum_g = 0, sum_d = 0, sum_real = 0, sum_fake = 0, sum_fooled = 0;
    int sum_count = 0;
    ProbeRanges g_ranges, d_ranges;
  };
  // One G step's numbers: sums over its D steps and the G loss (NaN when not reached).
  struct StepSums {
    double d_loss = 0, d_real = 0, d_fake = 0, fooled = 0, g_loss = 0;
  };
  void init_column(Column& col, const InitSpec& spec);
  void draw_step_inputs();                  // real_ and noise_ of step step_
  void column_step(Column& col);            // d_steps D steps, one G step, bookkeeping
  void split_rows(Column& col, int count);  // col.parts: `count` row parts of the batch
  // Thread `tid` of a team of `nt` (1: no team) working on col's parts; thread 0 fills `out`.
  void column_step_team(Column& col, int tid, int nt, StepSums& out, RegionExceptions* errors);
  void d_step_part(Column& col, RowPart& part, int k);  // G, D forward, D's dL/dZ on part's rows
  void g_step_part(Column& col, RowPart& part);         // D forward, dL/dZ of D and G
  void record_step(Column& col, const StepSums& s);     // divergence, curve sums and points
  void draw_samples(Column& col);                       // G(fixed noise) → history.samples
  void draw_quality_fakes(Column& col);  // G(quality noise) → quality_fakes, chunk by chunk
  void end_epoch();
  // Column col's probe statistics of G (on probe_noise_) and D (on [probe_real_; G(probe_noise_)]).
  void probe_column(Column& col, ColumnStats& g_stats, ColumnStats& d_stats);
  template <typename Task>
  void run_columns(Task&& task);

  GanConfig cfg_;
  std::shared_ptr<const ImageDataset> data_;
  int train_count_ = 0;
  uint64_t steps_per_epoch_ = 0, step_ = 0;
  int epoch_ = 0;
  std::vector<int> order_;                      // this epoch's shuffle of the training images
  std::vector<Eigen::MatrixXf> real_;           // per D step: B × image in [−1, 1]
  std::vector<Eigen::MatrixXf> noise_;          // per D step: B × latent
  Eigen::MatrixXf fixed_noise_;                 // max(samples, B) × latent
  Eigen::MatrixXf sample_noise_, probe_noise_;  // its first `samples` / B rows
  Eigen::MatrixXf probe_real_;                  // the first B test images in [−1, 1]
  std::vector<Eigen::MatrixXf> quality_noise_;  // quality_samples × latent in chunks of ≤ 256
  std::vector<Column> cols_;
  GanQualityMeasure quality_;
  std::string classifier_path_;
  double classifier_accuracy_ = 0;
  double steps_per_s_ = 0;
};

}  // namespace initscope
