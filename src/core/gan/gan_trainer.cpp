#include "gan_trainer.h"

#include <omp.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/error.h"
#include "core/init/init_sampling.h"
#include "core/region_exceptions.h"
#include "core/rng.h"

namespace initscope {
namespace {

const uint64_t kGanOrderStream = hash_text("gan order");
const uint64_t kGanNoiseStream = hash_text("gan noise");
const uint64_t kGanFixedNoiseStream = hash_text("gan fixed noise");
const uint64_t kGanQualityNoiseStream = hash_text("gan quality noise");
// Rows of the quality noise G sees at once: bounds G's pass buffers (≈ 3·256·(latent + widths)
// floats) whatever quality_samples is.
constexpr int kGanQualityChunk = 256;
const uint64_t kGanBiasStream = hash_text("bias");

using GanClock = std::chrono::steady_clock;

// A network in→hidden…→out with φ = `hidden` on the hidden layers and `out_act` at the output;
// `draw_act` is the φ the init sees for the output layer (tanh for G, sigmoid for D).
GanNet draw_gan_net(const InitSpec& spec, uint64_t seed, const char* name, int in,
                    const std::vector<int>& hidden_widths, int out, const Activation& hidden,
                    Activation out_act, Activation draw_act) {
  GanNet net;
  const uint64_t key = hash_text(spec.stream_text()) ^ hash_text(name);
  const bool torch_bias = spec.scheme->name == "torch_linear_default";
  int fan_in = in;
  const int L = static_cast<int>(hidden_widths.size()) + 1;
  for (int l = 0; l < L; ++l) {
    const bool last = l + 1 == L;
    const int fan_out = last ? out : hidden_widths[l];
    Rng rng = Rng::stream(seed, key, static_cast<uint64_t>(l));
    net.w.push_back(sample_weights(spec, fan_in, fan_out, last ? draw_act : hidden, rng));
    Eigen::RowVectorXf b = Eigen::RowVectorXf::Zero(fan_out);
    if (torch_bias) {  // nn.Linear's default bias: U(−1/√fan_in, 1/√fan_in)
      Rng brng = Rng::stream(seed, key ^ kGanBiasStream, static_cast<uint64_t>(l));
      const double bound = 1 / std::sqrt(double(fan_in));
      for (Eigen::Index j = 0; j < fan_out; ++j)
        b[j] = static_cast<float>((2 * brng.uniform() - 1) * bound);
    }
    net.b.push_back(std::move(b));
    net.act.push_back(last ? out_act : hidden);
    fan_in = fan_out;
  }
  return net;
}

std::vector<Eigen::Index> gan_slot_sizes(const GanNet& net) {
  std::vector<Eigen::Index> sizes;
  for (int l = 0; l < net.layers(); ++l) {
    sizes.push_back(net.w[l].size());
    sizes.push_back(net.b[l].size());
  }
  return sizes;
}

// Sizes dL/dW_l, dL/db_l of `net` once.
void gan_size_grads(const GanNet& net, std::vector<Eigen::MatrixXf>& d_w,
                    std::vector<Eigen::RowVectorXf>& d_b) {
  d_w.clear();
  d_b.clear();
  for (int l = 0; l < net.layers(); ++l) {
    d_w.emplace_back(net.w[l].rows(), net.w[l].cols());
    d_b.emplace_back(net.w[l].cols());
  }
}

// Row-wise N(0, 1) values of `stream`: row i is the same z_i whatever the row count.
void gan_fill_noise(Eigen::MatrixXf& m, Rng rng) {
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) m(i, j) = static_cast<float>(rng.normal());
}

// Images rows[0..n) of `set` scaled to [−1, 1] (p/127.5 − 1) into m (n × dim, column-major).
void gan_gather_scaled(const LabelledImages& set, const int* rows, int n, Eigen::MatrixXf& m) {
  const int dim = set.dim();
  m.resize(n, dim);
  for (int i = 0; i < n; ++i) {
    const uint8_t* p = set.image(rows[i]);
    for (int j = 0; j < dim; ++j) m(i, j) = static_cast<float>(p[j]) / 127.5f - 1.f;
  }
}

Experiment gan_probe_experiment(const GanConfig& cfg, const GanNet& net, int batch,
                                const char* title, const std::vector<InitSpec>& inits) {
  Experiment e;
  e.title = title;
  e.layers = net.layers();
  e.widths.clear();
  for (int l = 0; l < net.layers(); ++l) e.widths.push_back(net.w[l].cols());
  e.input_dim = net.input_dim();
  e.batch = batch;
  e.activation = cfg.hidden_activation;
  e.bias = InitSpec::parse("zeros", "--bias");
  e.seed = cfg.seed;
  e.bins = cfg.bins;
  e.gradients = true;
  e.loss = "xent";  // binary cross-entropy: the two-class cross-entropy of the GAN losses
  e.inits = inits;
  return e;
}

}  // namespace

template <typename Task>
void GanTrainer::run_columns(Task&& task) {
  // Two or more columns: one task per column inside a parallel region, where Eigen runs every
  // GEMM on the task's thread, so the arithmetic does not depend on the thread count. A lone
  // column runs outside, and Eigen threads its GEMMs: ≈ 40 → ≈ 55 G steps/s with 2 threads on
  // the default GAN (bench_gan), at the price of last digits that depend on the thread count.
  const int n = static_cast<int>(cols_.size());
  if (n == 1) {
    task(cols_.front());
    return;
  }
  RegionExceptions errors;
#pragma omp parallel for schedule(dynamic, 1)
  for (int c = 0; c < n; ++c) errors.capture([&] { task(cols_[c]); });
  errors.rethrow();
}

GanTrainer::GanTrainer(GanConfig config, std::shared_ptr<const ImageDataset> data)
    : cfg_(std::move(config)), data_(std::move(data)) {
  if (cfg_.inits.empty()) cfg_.inits = GanConfig::default_inits();
  cfg_.validate();
  const LabelledImages& train = data_->train;
  cfg_.check_memory(double(train.pixels.size() + data_->test.pixels.size()));
  train_count_ = cfg_.train_limit > 0 ? std::min(cfg_.train_limit, train.count) : train.count;
  const int per_step = cfg_.batch * cfg_.d_steps;
  if (train_count_ < per_step) {
    throw UsageError("--batch " + std::to_string(cfg_.batch) + " × --d-steps " +
                     std::to_string(cfg_.d_steps) + " is more than the " +
                     std::to_string(train_count_) + " training images of '" + data_->folder + "'");
  }
  if (data_->test.count < 1) {
    throw UsageError("'" + data_->folder + "' has no test images (the probe batch)");
  }
  steps_per_epoch_ = static_cast<uint64_t>(train_count_ / per_step);
  real_.resize(static_cast<size_t>(cfg_.d_steps));
  noise_.assign(static_cast<size_t>(cfg_.d_steps), Eigen::MatrixXf(cfg_.batch, cfg_.latent));
  fixed_noise_.resize(std::max(cfg_.samples, cfg_.batch), cfg_.latent);
  gan_fill_noise(fixed_noise_, Rng::stream(cfg_.seed, kGanFixedNoiseStream));
  std::vector<int> probe_rows(static_cast<size_t>(std::min(cfg_.batch, data_->test.count)));
  std::iota(probe_rows.begin(), probe_rows.end(), 0);
  gan_gather_scaled(data_->test, probe_rows.data(), static_cast<int>(probe_rows.size()),
                    probe_real_);
  sample_noise_ = fixed_noise_.topRows(cfg_.samples);
  {
    Eigen::MatrixXf all(cfg_.quality_samples, cfg_.latent);
    gan_fill_noise(all, Rng::stream(cfg_.seed, kGanQualityNoiseStream));
    for (int r = 0; r < cfg_.quality_samples; r += kGanQualityChunk)
      quality_noise_.push_back(
          all.middleRows(r, std::min(kGanQualityChunk, cfg_.quality_samples - r)));
  }
  probe_noise_ = fixed_noise_.topRows(probe_real_.rows());
  cols_.resize(cfg_.inits.size());
  for (size_t c = 0; c < cols_.size(); ++c) init_column(cols_[c], cfg_.inits[c]);
  run_columns([&](Column& col) { draw_samples(col); });
}

void GanTrainer::init_column(Column& col, const InitSpec& spec) {
  const int dim = data_->train.dim();
  col.spec = spec;
  col.history.init = spec.text;
  col.g = draw_gan_net(spec, cfg_.seed, "gan generator", cfg_.latent, cfg_.g_hidden, dim,
                       cfg_.hidden_activation, Activation{ActivationKind::Tanh},
                       Activation{ActivationKind::Tanh});
  col.d = draw_gan_net(spec, cfg_.seed, "gan discriminator", dim, cfg_.d_hidden, 1,
                       cfg_.hidden_activation, Activation{ActivationKind::Linear},
                       Activation{ActivationKind::Sigmoid});
  col.g_opt = Optimizer(cfg_.optimizer, gan_slot_sizes(col.g));
  col.d_opt = Optimizer(cfg_.optimizer, gan_slot_sizes(col.d));
  gan_size_grads(col.g, col.g_dw, col.g_db);
  gan_size_grads(col.d, col.d_dw, col.d_db);
}

void GanTrainer::set_quality_measure(GanQualityMeasure measure, std::string classifier_path,
                                     double classifier_accuracy) {
  quality_ = std::move(measure);
  classifier_path_ = std::move(classifier_path);
  classifier_accuracy_ = classifier_accuracy;
}

void GanTrainer::draw_step_inputs() {
  const uint64_t in_epoch = step_ % steps_per_epoch_;
  if (in_epoch == 0) {  // a new epoch: a new shuffle (Fisher–Yates)
    order_.resize(static_cast<size_t>(train_count_));
    std::iota(order_.begin(), order_.end(), 0);
    Rng rng = Rng::stream(cfg_.seed, kGanOrderStream, step_ / steps_per_epoch_);
    for (size_t i = order_.size() - 1; i > 0; --i) std::swap(order_[i], order_[rng.below(i + 1)]);
  }
  const int B = cfg_.batch;
  for (int k = 0; k < cfg_.d_steps; ++k) {
    const size_t first = (in_epoch * static_cast<uint64_t>(cfg_.d_steps) + k) * B;
    gan_gather_scaled(data_->train, order_.data() + first, B, real_[k]);
    gan_fill_noise(noise_[k], Rng::stream(cfg_.seed, kGanNoiseStream,
                                          step_ * static_cast<uint64_t>(cfg_.d_steps) + k));
  }
}

void GanTrainer::draw_samples(Column& col) {
  gan_forward(col.g, sample_noise_, col.sample_pass);
  const Eigen::MatrixXf& out = col.sample_pass.output();
  col.history.samples.resize(static_cast<size_t>(out.size()));
  using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Eigen::Map<RowMajor>(col.history.samples.data(), out.rows(), out.cols()) = out;
}

void GanTrainer::draw_quality_fakes(Column& col) {
  const Eigen::Index dim = data_->train.dim();
  col.quality_fakes.resize(static_cast<size_t>(cfg_.quality_samples) * dim);
  using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  float* out = col.quality_fakes.data();
  for (const Eigen::MatrixXf& noise : quality_noise_) {
    gan_forward(col.g, noise, col.quality_pass);
    Eigen::Map<RowMajor>(out, noise.rows(), dim) = col.quality_pass.output();
    out += noise.rows() * dim;
  }
}

void GanTrainer::end_epoch() {
  ++epoch_;
  run_columns([&](Column& col) {
    if (col.diverged) return;
    draw_samples(col);
    if (quality_) draw_quality_fakes(col);
  });
  if (!quality_) return;
  const int dim = data_->train.dim();
  for (Column& col : cols_) {
    if (col.diverged) continue;
    GanEpochQuality q = quality_(col.quality_fakes.data(), cfg_.quality_samples, dim);
    q.epoch = epoch_;
    q.step = step_;
    col.history.epochs.push_back(q);
  }
}

bool GanTrainer::step() {
  if (finished()) return false;
  draw_step_inputs();
  run_columns([&](Column& col) {
    if (!col.diverged) column_step(col);
  });
  ++step_;
  if (step_ % steps_per_epoch_ == 0) end_epoch();
  return true;
}

int GanTrainer::run_steps(int max_steps, const std::atomic<bool>* cancel) {
  const auto t0 = GanClock::now();
  int done = 0;
  while (done < max_steps && !(cancel && cancel->load()) && step()) ++done;
  const double s = std::chrono::duration<double>(GanClock::now() - t0).count();
  if (done > 0 && s > 0) steps_per_s_ = done / s;
  return done;
}

bool GanTrainer::run_epoch(const std::atomic<bool>* cancel) {
  if (finished()) return false;
  const uint64_t left = steps_per_epoch_ - step_ % steps_per_epoch_;
  return run_steps(static_cast<int>(left), cancel) == static_cast<int>(left);
}

void GanTrainer::probe_column(Column& col, ColumnStats& g_stats, ColumnStats& d_stats) {
  const Eigen::Index B = probe_real_.rows();
  const float inv_b = 1.f / static_cast<float>(B);
  GanPass g_pass, d_pass;
  // G: the non-saturating loss through D, back into G.
  gan_forward(col.g, probe_noise_, g_pass);
  const Eigen::MatrixXf& fakes = g_pass.output();
  gan_forward(col.d, fakes, d_pass);
  g_stats.loss =
      bce_with_logits(d_pass.output().data(), d_pass.d_output().data(), B, true, inv_b).loss /
      double(B);
  gan_backward(col.d, fakes, d_pass, false, true);
  g_pass.d_output() = d_pass.d_input;
  gan_backward(col.g, probe_noise_, g_pass, true, false);
  for (int l = 0; l < col.g.layers(); ++l) {
    g_stats.layers.push_back(dense_layer_stats(l + 1, col.g.w[l], g_pass.z[l], g_pass.a[l],
                                               &col.g.act[l], g_pass.d_a[l], g_pass.d_w[l],
                                               cfg_.bins, col.g_ranges));
  }
  // D: its loss on the real probe images and these fakes.
  Eigen::MatrixXf d_in(2 * B, probe_real_.cols());
  d_in.topRows(B) = probe_real_;
  d_in.bottomRows(B) = fakes;
  GanPass dd_pass;
  gan_forward(col.d, d_in, dd_pass);
  const float* logits = dd_pass.output().data();
  float* d_logits = dd_pass.d_output().data();
  d_stats.loss = (bce_with_logits(logits, d_logits, B, true, inv_b).loss +
                  bce_with_logits(logits + B, d_logits + B, B, false, inv_b).loss) /
                 double(B);
  gan_backward(col.d, d_in, dd_pass, true, false);
  const int L = col.d.layers();
  for (int l = 0; l < L; ++l) {
    d_stats.layers.push_back(dense_layer_stats(l + 1, col.d.w[l], dd_pass.z[l], dd_pass.a[l],
                                               l + 1 < L ? &col.d.act[l] : nullptr, dd_pass.d_a[l],
                                               dd_pass.d_w[l], cfg_.bins, col.d_ranges));
  }
  for (ColumnStats* cs : {&g_stats, &d_stats}) cs->init = col.spec.text;
  g_stats.description =
      describe(col.spec, cfg_.latent, int(col.g.w[0].cols()), cfg_.hidden_activation);
  d_stats.description =
      describe(col.spec, col.d.input_dim(), int(col.d.w[0].cols()), cfg_.hidden_activation);
}

GanSnapshot GanTrainer::snapshot(bool with_probe) {
  GanSnapshot s;
  s.config = cfg_;
  s.data_folder = data_->folder;
  s.image_rows = data_->train.rows;
  s.image_cols = data_->train.cols;
  s.train_images = train_count_;
  s.step = step_;
  s.steps_per_epoch = steps_per_epoch_;
  s.total_steps = total_steps();
  s.epoch = epoch_;
  s.finished = finished();
  s.classifier_path = classifier_path_;
  s.classifier_accuracy = classifier_accuracy_;
  s.steps_per_s = steps_per_s_;
  for (const Column& col : cols_) s.columns.push_back(col.history);
  const Eigen::Index B = probe_real_.rows();
  s.generator_probe.experiment =
      gan_probe_experiment(cfg_, cols_.front().g, B, "GAN generator", cfg_.inits);
  s.discriminator_probe.experiment =
      gan_probe_experiment(cfg_, cols_.front().d, 2 * B, "GAN discriminator", cfg_.inits);
  s.generator_probe.update_index = s.discriminator_probe.update_index = step_;
  if (!with_probe) return s;
  s.generator_probe.batches = s.discriminator_probe.batches = 1;
  for (Column& col : cols_) {
    ColumnStats g_stats, d_stats;
    probe_column(col, g_stats, d_stats);
    s.generator_probe.columns.push_back(std::move(g_stats));
    s.discriminator_probe.columns.push_back(std::move(d_stats));
  }
  return s;
}

}  // namespace initscope
