#include "trainer.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/engine/layer_kernels.h"
#include "core/error.h"
#include "core/init/data_stage.h"
#include "core/init/init_spec.h"
#include "core/region_exceptions.h"

namespace initscope {
namespace {

const uint64_t kOrderStream = hash_text("training order");
constexpr int kEvalChunk = 1000;  // test images per forward pass when evaluating
constexpr double kTrainerNaN = std::numeric_limits<double>::quiet_NaN();

using Clock = std::chrono::steady_clock;

}  // namespace

template <typename Task>
void Trainer::run_tasks(int n, Task&& task) {
  if (n == 1) {
    task(0);
    return;
  }
  // Dynamic: a diverged column's tasks are empty, and 3 columns on 2 threads even out.
  RegionExceptions errors;  // a task's exception, rethrown after the region
#pragma omp parallel for schedule(dynamic, 1)
  for (int t = 0; t < n; ++t) errors.capture([&] { task(t); });
  errors.rethrow();
}

Trainer::Trainer(Experiment e, std::shared_ptr<const ImageDataset> data,
                 const std::atomic<bool>* cancel)
    : exp_(std::move(e)), data_(std::move(data)) {
  if (!exp_.training) exp_.training = TrainingConfig{};
  cfg_ = *exp_.training;
  cfg_.validate();
  const LabelledImages& train = data_->train;
  const int dim = train.dim();
  if (exp_.input_dim == 0) exp_.input_dim = dim;
  exp_.validate();
  // The data set is already in memory: its bytes count against the limit too.
  exp_.check_memory(double(train.pixels.size() + data_->test.pixels.size()));
  if (exp_.resolved_input_dim() != dim) {
    throw UsageError("the network's input dimension is " +
                     std::to_string(exp_.resolved_input_dim()) + " but the images of '" +
                     data_->folder + "' have " + std::to_string(dim) + " pixels (" +
                     std::to_string(train.rows) + "×" + std::to_string(train.cols) +
                     "); give --input-dim " + std::to_string(dim) + " or leave it out");
  }
  if (exp_.width(exp_.layers) != data_->classes) {
    throw UsageError("the network's last layer has " + std::to_string(exp_.width(exp_.layers)) +
                     " units; training on '" + data_->folder + "' needs one per class, " +
                     std::to_string(data_->classes) + " (e.g. --layers 3 --width 256,256," +
                     std::to_string(data_->classes) + ")");
  }
  train_count_ = cfg_.train_limit > 0 ? std::min(cfg_.train_limit, train.count) : train.count;
  test_count_ =
      cfg_.test_limit > 0 ? std::min(cfg_.test_limit, data_->test.count) : data_->test.count;
  if (train_count_ < cfg_.batch) {
    throw UsageError("the mini-batch (--train-batch) of " + std::to_string(cfg_.batch) +
                     " is more than the " + std::to_string(train_count_) + " training images");
  }
  steps_per_epoch_ = static_cast<uint64_t>(train_count_ / cfg_.batch);
  const int shards = cfg_.shards();
  x_shards_.resize(static_cast<size_t>(shards));
  for (int s = 0; s <= shards; ++s) {
    shard_start_.push_back(static_cast<int>(static_cast<int64_t>(cfg_.batch) * s / shards));
  }
  // The probe batch: the first `batch` test images, fixed for the whole run.
  std::vector<int> rows(static_cast<size_t>(std::min(exp_.batch, data_->test.count)));
  std::iota(rows.begin(), rows.end(), 0);
  gather(data_->test, rows.data(), static_cast<int>(rows.size()), probe_x_, &probe_y_);
  cols_.resize(exp_.inits.size());
  // The same start as Simulation's: `stats` shows the weights training begins from.
  std::vector<StartWeights> start = draw_start_weights(exp_, cancel);
  for (size_t c = 0; c < cols_.size(); ++c) init_column(c, std::move(start[c]), cancel);
  // A step's tasks: (column, shard), or one (column, −1) of the whole mini-batch for a BatchNorm
  // column (see trainer.h). Plain columns: the pairs c·S + s in order, as before issue 13.
  for (size_t c = 0; c < cols_.size(); ++c) {
    if (cols_[c].net && cols_[c].whole_batch() && shards > 1) {
      tasks_.emplace_back(static_cast<int>(c), -1);
      continue;
    }
    for (int s = 0; s < shards; ++s) tasks_.emplace_back(static_cast<int>(c), s);
  }
}

void Trainer::init_column(size_t c, StartWeights start, const std::atomic<bool>* cancel) {
  Column& col = cols_[c];
  const InitSpec& spec = exp_.inits[c];
  const int L = exp_.layers;
  // Training always has biases: zeros where the experiment has none.
  if (!exp_.bias)
    for (int l = 0; l < L; ++l) start.b.push_back(Eigen::RowVectorXf::Zero(exp_.width(l + 1)));
  col.history.init = spec.text;
  if (const DataStage* stage = spec.scheme->stage) {
    // LSUV rescales on the probe batch; RBM pretraining learns from the training images and
    // leaves the output layer at its random start.
    const Eigen::MatrixXf probe = probe_x_;
    StageData data;
    data.batch = &probe;
    data.examples.count = train_count_;
    data.examples.dim = data_->train.dim();
    data.examples.gather = [this](const int* rows, int n, Eigen::MatrixXf& out) {
      RowMatrixXf x;
      gather(data_->train, rows, n, x, nullptr);
      out = x;
    };
    data.pretrained_layers = L - 1;
    data.seed = exp_.seed;
    data.cancel = cancel;
    StageOutcome outcome;
    stage->fit(spec, exp_.activation, data, start, outcome);
    col.lsuv_rounds = std::move(outcome.lsuv_rounds);
    col.history.rbm_reconstruction = std::move(outcome.reconstruction);
  }
  MlpParams& p = col.params;
  p.w = std::move(start.w);
  p.b = std::move(start.b);
  std::vector<Eigen::Index> sizes;
  for (int l = 0; l < L; ++l) {
    sizes.push_back(p.w[l].size());
    sizes.push_back(p.b[l].size());
  }
  // Architectures: γ, β and the running moments; their slots follow the weights' and biases'.
  col.arch = exp_.column_arch(c);
  if (!col.arch.plain()) {
    init_norm_params(col.arch, true, p);
    col.net.emplace(col.arch, exp_.activation, L, true);
    for (int l = 0; l < L; ++l) {
      if (p.gamma[l].size() == 0) continue;
      sizes.push_back(p.gamma[l].size());
      sizes.push_back(p.beta[l].size());
    }
    col.block_pass.resize(col.whole_batch() ? 1 : x_shards_.size());
  } else {
    col.shard_pass.resize(x_shards_.size());
  }
  col.optimizer = Optimizer(cfg_.optimizer, sizes);
}

void Trainer::gather(const LabelledImages& set, const int* rows, int n, RowMatrixXf& x,
                     std::vector<uint8_t>* y) const {
  const int d = set.dim();
  x.resize(n, d);
  constexpr float kScale = 1.0f / 255.0f;  // pixels 0..255 → [0, 1]
  for (int i = 0; i < n; ++i) {
    const uint8_t* src = set.image(rows[i]);
    float* dst = x.data() + static_cast<size_t>(i) * d;
    for (int k = 0; k < d; ++k) dst[k] = static_cast<float>(src[k]) * kScale;
  }
  if (y != nullptr) {
    y->resize(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) (*y)[i] = set.labels[static_cast<size_t>(rows[i])];
  }
}

bool Trainer::step() {
  if (finished()) return false;
  const uint64_t k = step_ % steps_per_epoch_;
  if (k == 0) {
    // A new epoch: a fresh order of the training images (Fisher–Yates from the seed's stream).
    order_.resize(static_cast<size_t>(train_count_));
    std::iota(order_.begin(), order_.end(), 0);
    Rng rng = Rng::stream(exp_.seed, kOrderStream, static_cast<uint64_t>(epoch_));
    for (int i = train_count_ - 1; i > 0; --i) {
      std::swap(order_[i], order_[rng.below(static_cast<uint64_t>(i) + 1)]);
    }
  }
  const int* rows = order_.data() + k * static_cast<uint64_t>(cfg_.batch);
  y_.resize(static_cast<size_t>(cfg_.batch));
  for (int i = 0; i < cfg_.batch; ++i) y_[i] = data_->train.labels[static_cast<size_t>(rows[i])];
  const int S = shards();
  for (int s = 0; s < S; ++s) {
    gather(data_->train, rows + shard_start_[s], shard_start_[s + 1] - shard_start_[s],
           x_shards_[s], nullptr);
  }
  if (S > 1 && std::any_of(tasks_.begin(), tasks_.end(), [](auto t) { return t.second < 0; })) {
    gather(data_->train, rows, cfg_.batch, x_whole_, nullptr);
  }
  const int C = static_cast<int>(cols_.size());
  run_tasks(static_cast<int>(tasks_.size()), [&](int t) {
    const auto [c, shard] = tasks_[static_cast<size_t>(t)];
    Column& col = cols_[static_cast<size_t>(c)];
    if (col.net) {
      block_backward(col, shard);
    } else {
      shard_backward(col, shard);
    }
  });
  run_tasks(C, [&](int c) { update_column(cols_[c]); });
  ++step_;
  if (step_ % steps_per_epoch_ == 0) end_epoch();
  return true;
}

void Trainer::shard_backward(Column& col, int shard) {
  if (col.history.diverged) return;
  MlpPass& pass = col.shard_pass[shard];
  mlp_forward(col.params, exp_.activation, x_shards_[shard], pass);
  mlp_loss_backward(col.params, exp_.activation, x_shards_[shard], y_.data() + shard_start_[shard],
                    pass, true, cfg_.batch);
}

void Trainer::block_backward(Column& col, int shard) {
  if (col.history.diverged) return;
  BlockPass& pass = col.block_pass[static_cast<size_t>(std::max(shard, 0))];
  const RowMatrixXf& x = shard < 0 ? x_whole_ : x_shards_[shard];
  const uint8_t* labels = y_.data() + (shard < 0 ? 0 : shard_start_[shard]);
  BlockNetOptions o;
  o.head = true;
  // BatchNorm: the batch's moments, and the running moments move toward them (one task holds
  // the whole mini-batch: trainer.h).
  o.update_running = col.whole_batch();
  block_forward(*col.net, col.params, x, pass, o);
  block_loss_backward(*col.net, col.params, labels, pass, true, cfg_.batch);
}

void Trainer::update_block_column(Column& col) {
  // Σ over the passes (shards, or the one whole-batch pass) in pass order, inside the
  // optimizer's update; slots as init_column numbers them.
  const int L = col.params.layers();
  const size_t P = col.block_pass.size();
  std::vector<const float*>& g = col.grad_terms;
  g.resize(P);
  // One 1 × n tensor (b, γ or β of layer l): its gradient in every pass, then the update.
  using RowGrads = std::vector<Eigen::RowVectorXf> BlockNet::Grads::*;
  auto update_row = [&](size_t slot, Eigen::RowVectorXf& theta, RowGrads grads, int l) {
    for (size_t s = 0; s < P; ++s) g[s] = (col.block_pass[s].grads.*grads)[l].data();
    col.optimizer.update(slot, theta.data(), g.data(), static_cast<int>(P));
  };
  col.optimizer.begin_step();
  for (int l = 0; l < L; ++l) {
    for (size_t s = 0; s < P; ++s) g[s] = col.block_pass[s].grads.w[l].data();
    col.optimizer.update(2 * l, col.params.w[l].data(), g.data(), static_cast<int>(P));
    update_row(2 * l + 1, col.params.b[l], &BlockNet::Grads::b, l);
  }
  size_t slot = 2 * static_cast<size_t>(L);
  for (int l = 0; l < L; ++l) {
    if (col.params.gamma[l].size() == 0) continue;
    update_row(slot++, col.params.gamma[l], &BlockNet::Grads::gamma, l);
    update_row(slot++, col.params.beta[l], &BlockNet::Grads::beta, l);
  }
}

void Trainer::update_column(Column& col) {
  ColumnHistory& h = col.history;
  if (h.diverged) return;
  // The mini-batch's loss: the shards' sums, added in shard order.
  double loss_sum = 0;
  int64_t correct = 0;
  for (const MlpPass& pass : col.shard_pass) {
    loss_sum += pass.loss_sum;
    correct += pass.correct;
  }
  for (const BlockPass& pass : col.block_pass) {
    loss_sum += pass.loss_sum;
    correct += pass.correct;
  }
  const int L = col.params.layers();
  const double loss = loss_sum / cfg_.batch;
  col.epoch_loss += loss_sum;
  col.epoch_correct += correct;
  col.epoch_seen += cfg_.batch;
  col.log_loss += loss;
  ++col.log_count;
  col.log_correct += correct;
  col.log_seen += cfg_.batch;
  const uint64_t done = step_ + 1;
  if (!std::isfinite(loss)) {
    // Weights would turn NaN: stop this column here and say so.
    h.diverged = true;
    h.diverged_at = done;
    h.loss_step.push_back(done);
    h.loss.push_back(col.log_loss / col.log_count);
    h.accuracy.push_back(static_cast<double>(col.log_correct) / static_cast<double>(col.log_seen));
    return;
  }
  if (done % static_cast<uint64_t>(cfg_.log_every) == 0) {
    h.loss_step.push_back(done);
    h.loss.push_back(col.log_loss / col.log_count);
    h.accuracy.push_back(static_cast<double>(col.log_correct) / static_cast<double>(col.log_seen));
    col.log_loss = 0;
    col.log_count = 0;
    col.log_correct = col.log_seen = 0;
  }
  if (col.net) {
    update_block_column(col);
    return;
  }
  // The shards' gradients are added inside the optimizer's pass, in shard order.
  col.optimizer.begin_step();
  const int S = static_cast<int>(col.shard_pass.size());
  std::vector<const float*>& g = col.grad_terms;
  g.resize(static_cast<size_t>(S));
  for (int l = 0; l < L; ++l) {
    for (int s = 0; s < S; ++s) g[s] = col.shard_pass[s].d_w[l].data();
    col.optimizer.update(2 * l, col.params.w[l].data(), g.data(), S);
    for (int s = 0; s < S; ++s) g[s] = col.shard_pass[s].d_b[l].data();
    col.optimizer.update(2 * l + 1, col.params.b[l].data(), g.data(), S);
  }
}

void Trainer::end_epoch() {
  ++epoch_;
  std::vector<size_t> all(cols_.size());
  std::iota(all.begin(), all.end(), size_t{0});
  const std::vector<std::pair<double, double>> test = evaluate_columns(all);
  for (size_t c = 0; c < cols_.size(); ++c) {
    Column& col = cols_[c];
    EpochResult r;
    r.epoch = epoch_;
    r.step = step_;
    const double seen = static_cast<double>(col.epoch_seen);
    r.train_loss = seen > 0 ? col.epoch_loss / seen : kTrainerNaN;
    r.train_accuracy = seen > 0 ? static_cast<double>(col.epoch_correct) / seen : kTrainerNaN;
    std::tie(r.test_loss, r.test_accuracy) = test[c];
    col.history.epochs.push_back(r);
    col.epoch_loss = 0;
    col.epoch_correct = col.epoch_seen = 0;
    if (finished() && col.log_count > 0 && !col.history.diverged) {
      // The last, shorter stretch of the loss curve.
      col.history.loss_step.push_back(step_);
      col.history.loss.push_back(col.log_loss / col.log_count);
      col.history.accuracy.push_back(static_cast<double>(col.log_correct) /
                                     static_cast<double>(col.log_seen));
      col.log_loss = 0;
      col.log_count = 0;
      col.log_correct = col.log_seen = 0;
    }
  }
}

std::pair<double, double> Trainer::evaluate(size_t column) {
  return evaluate_columns({column}).front();
}

std::vector<std::pair<double, double>> Trainer::evaluate_columns(
    const std::vector<size_t>& columns) {
  const int chunks = (test_count_ + kEvalChunk - 1) / kEvalChunk;
  const int n = static_cast<int>(columns.size()) * chunks;
  // Per task: Σ −log p(y) and the correct count of one chunk through one column.
  std::vector<double> loss_sum(static_cast<size_t>(n), 0.0);
  std::vector<int64_t> correct(static_cast<size_t>(n), 0);
  eval_buffers_.resize(static_cast<size_t>(std::max(1, omp_get_max_threads())));
  run_tasks(n, [&](int t) {
    EvalBuffers& buf = eval_buffers_[static_cast<size_t>(omp_get_thread_num())];
    Column& col = cols_[columns[t / chunks]];
    const int start = (t % chunks) * kEvalChunk;
    const int rows = std::min(kEvalChunk, test_count_ - start);
    std::vector<int> index(static_cast<size_t>(rows));
    std::iota(index.begin(), index.end(), start);
    gather(data_->test, index.data(), rows, buf.x, &buf.y);
    if (!col.net) {
      mlp_forward(col.params, exp_.activation, buf.x, buf.pass);
      loss_sum[t] =
          softmax_cross_entropy(buf.pass.z.back(), buf.y.data(), correct[t], nullptr, 1.f);
      return;
    }
    // Evaluation mode: BatchNorm with the running moments (read only: tasks of the same column
    // run at once), so every image's logits are its own whatever the chunk.
    buf.x_cols = buf.x;
    BlockNetOptions o;
    o.head = true;
    o.keep_all = false;
    o.use_running = true;
    col.net->forward(col.params, buf.x_cols, buf.layers, o);
    const Eigen::MatrixXf& logits =
        buf.layers[static_cast<size_t>(col.params.layers() - 1) % 2].out;
    loss_sum[t] = softmax_cross_entropy(logits, buf.y.data(), correct[t], nullptr, 1.f);
  });
  // Added in chunk order: the same sums whatever thread did which chunk.
  std::vector<std::pair<double, double>> out;
  for (size_t c = 0; c < columns.size(); ++c) {
    double l = 0;
    int64_t k = 0;
    for (int i = 0; i < chunks; ++i) {
      l += loss_sum[c * chunks + i];
      k += correct[c * chunks + i];
    }
    out.emplace_back(l / test_count_, static_cast<double>(k) / test_count_);
  }
  return out;
}

int Trainer::run_steps(int max_steps, const std::atomic<bool>* cancel) {
  const auto t0 = Clock::now();
  int done = 0;
  while (done < max_steps && !cancel_requested(cancel) && step()) ++done;
  const double s = std::chrono::duration<double>(Clock::now() - t0).count();
  if (done > 0 && s > 0) steps_per_s_ = done / s;
  return done;
}

bool Trainer::run_epoch(const std::atomic<bool>* cancel) {
  if (finished()) return false;
  const uint64_t left = steps_per_epoch_ - step_ % steps_per_epoch_;
  return run_steps(static_cast<int>(left), cancel) == static_cast<int>(left);
}

TrainingSnapshot Trainer::snapshot(bool with_probe) {
  TrainingSnapshot s;
  s.experiment = exp_;
  s.data_folder = data_->folder;
  s.train_images = train_count_;
  s.test_images = test_count_;
  s.step = step_;
  s.steps_per_epoch = steps_per_epoch_;
  s.total_steps = total_steps();
  s.epoch = epoch_;
  s.finished = finished();
  s.steps_per_s = steps_per_s_;
  for (const Column& col : cols_) s.columns.push_back(col.history);
  s.probe.experiment = exp_;
  s.probe.experiment.gradients = true;
  s.probe.experiment.loss = "xent";
  s.probe.update_index = step_;
  if (!with_probe) return s;
  s.probe.batches = 1;
  for (size_t c = 0; c < cols_.size(); ++c) {
    Column& col = cols_[c];
    ColumnStats cs =
        col.net ? probe_block_stats(*col.net, exp_.activation, col.params, probe_x_,
                                    probe_y_.data(), exp_.bins, probe_block_pass_, col.probe_ranges)
                : probe_column_stats(col.params, exp_.activation, probe_x_, probe_y_.data(),
                                     exp_.bins, probe_pass_, col.probe_ranges);
    cs.init = exp_.inits[c].text;
    cs.description = describe(exp_.inits[c], exp_.fan_in(1), exp_.width(1),
                              init_activation(exp_, exp_.inits[c], 1));
    cs.lsuv_rounds = col.lsuv_rounds;
    s.probe.columns.push_back(std::move(cs));
  }
  return s;
}

}  // namespace initscope
