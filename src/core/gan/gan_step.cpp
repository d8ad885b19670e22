// One G step of a column (gan_trainer.h): its mini-batches in row parts, on one thread or, for a
// lone column, on the threads of one team.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/region_exceptions.h"
#include "gan_trainer.h"

namespace initscope {
namespace {

// Thread tid of nt's share of a step's parameter work on `net`: columns [j·n/nt, (j+1)·n/nt)
// of every layer (n = fan_out, j = tid) — their gradients from the row parts, then Adam on those
// W columns (consecutive values: W is column-major) and b values (slots: W_l at 2l, b_l at
// 2l+1). Every value is updated once, by one thread, element-wise: the same values on any nt.
void gan_update_columns(GanNet& net, Optimizer& opt, const std::vector<GanRowPart>& rows,
                        std::vector<Eigen::MatrixXf>& d_w, std::vector<Eigen::RowVectorXf>& d_b,
                        int tid, int nt) {
  for (int l = 0; l < net.layers(); ++l) {
    const Eigen::Index fan_in = net.w[l].rows(), fan_out = net.w[l].cols();
    const Eigen::Index c0 = fan_out * tid / nt, c1 = fan_out * (tid + 1) / nt;
    if (c0 == c1) continue;
    gan_param_grads(l, rows.data(), static_cast<int>(rows.size()), c0, c1, d_w[l], d_b[l]);
    opt.update_range(2 * static_cast<size_t>(l), net.w[l].data(), d_w[l].data(), c0 * fan_in,
                     c1 * fan_in);
    opt.update_range(2 * static_cast<size_t>(l) + 1, net.b[l].data(), d_b[l].data(), c0, c1);
  }
}

void gan_team_barrier() {
#pragma omp barrier
}

// f() directly, or inside a team captured into `errors` (a thread that throws must still reach
// the team's barriers), skipped once a thread failed.
template <typename F>
void gan_team_phase(RegionExceptions* errors, F&& f) {
  if (errors == nullptr) {
    f();
  } else if (!errors->failed()) {
    errors->capture(f);
  }
}

void gan_add_sums(BceSums& to, const BceSums& s) {
  to.loss += s.loss;
  to.prob += s.prob;
  to.above_half += s.above_half;
}

}  // namespace

void GanTrainer::split_rows(Column& col, int count) {
  if (static_cast<int>(col.parts.size()) == count) return;
  col.parts.assign(static_cast<size_t>(count), RowPart{});
  col.g_rows.clear();
  col.d_rows.clear();
  const int B = cfg_.batch;
  for (int p = 0; p < count; ++p) {
    RowPart& part = col.parts[p];
    part.first = p * B / count;
    part.rows = (p + 1) * B / count - part.first;
    col.g_rows.push_back({&part.noise, &part.g_pass});
    col.d_rows.push_back({&part.d_in, &part.d_pass});
  }
}

void GanTrainer::column_step(Column& col) {
  // A lone column: its rows in one part per thread, one team. The team meets at 2 barriers per
  // D step and 1 for the G step, where Eigen-threaded GEMMs synchronise inside every GEMM (≈ 16
  // per step): on a machine shared with other processes those waits cost most of the step.
  const int threads = cols_.size() == 1 ? std::min(omp_get_max_threads(), cfg_.batch) : 1;
  split_rows(col, threads);
  StepSums sums;
  if (threads == 1) {
    column_step_team(col, 0, 1, sums, nullptr);
  } else {
    RegionExceptions errors;
#pragma omp parallel num_threads(threads)
    column_step_team(col, omp_get_thread_num(), omp_get_num_threads(), sums, &errors);
    errors.rethrow();
  }
  record_step(col, sums);
}

void GanTrainer::d_step_part(Column& col, RowPart& part, int k) {
  const int h = part.rows;
  const float inv_b = 1.f / static_cast<float>(cfg_.batch);
  part.noise = noise_[k].middleRows(part.first, h);
  gan_forward(col.g, part.noise, part.g_pass);
  part.d_in.resize(2 * h, data_->train.dim());
  part.d_in.topRows(h) = real_[k].middleRows(part.first, h);
  part.d_in.bottomRows(h) = part.g_pass.output();
  gan_forward(col.d, part.d_in, part.d_pass);
  const float* logits = part.d_pass.output().data();
  float* d_logits = part.d_pass.d_output().data();
  part.real = bce_with_logits(logits, d_logits, h, true, inv_b);
  part.fake = bce_with_logits(logits + h, d_logits + h, h, false, inv_b);
  gan_backward_deltas(col.d, part.d_pass, false);
}

void GanTrainer::g_step_part(Column& col, RowPart& part) {
  // The G step on the last D step's noise: part.g_pass still holds G(z_{d_steps}).
  const float inv_b = 1.f / static_cast<float>(cfg_.batch);
  gan_forward(col.d, part.g_pass.output(), part.dg_pass);
  part.gen = bce_with_logits(part.dg_pass.output().data(), part.dg_pass.d_output().data(),
                             part.rows, true, inv_b);
  gan_backward_deltas(col.d, part.dg_pass, true);
  part.g_pass.d_output() = part.dg_pass.d_input;
  gan_backward_deltas(col.g, part.g_pass, false);
}

void GanTrainer::column_step_team(Column& col, int tid, int nt, StepSums& out,
                                  RegionExceptions* errors) {
  const int P = static_cast<int>(col.parts.size());
  const double B = cfg_.batch;
  // Every thread meets every barrier: the decisions between them (a non-finite loss) are taken
  // from the parts' sums, the same on every thread; after an exception the phases are skipped
  // and column_step rethrows it.
  const auto sync = [&] {
    if (nt > 1) gan_team_barrier();
  };
  StepSums s;
  for (int k = 0; k < cfg_.d_steps; ++k) {
    gan_team_phase(errors, [&] {
      for (int p = tid; p < P; p += nt) d_step_part(col, col.parts[p], k);
      if (tid == 0) col.d_opt.begin_step();
    });
    sync();
    BceSums real, fake;  // added in part order: the same on every thread
    for (const RowPart& part : col.parts) {
      gan_add_sums(real, part.real);
      gan_add_sums(fake, part.fake);
    }
    const double loss = (real.loss + fake.loss) / B;
    s.d_loss += loss;
    s.d_real += real.prob / B;
    s.d_fake += fake.prob / B;
    s.fooled += fake.above_half / B;
    if (!std::isfinite(loss)) break;
    gan_team_phase(errors, [&] {
      gan_update_columns(col.d, col.d_opt, col.d_rows, col.d_dw, col.d_db, tid, nt);
    });
    sync();
  }
  s.g_loss = std::numeric_limits<double>::quiet_NaN();
  if (std::isfinite(s.d_loss)) {
    gan_team_phase(errors, [&] {
      for (int p = tid; p < P; p += nt) g_step_part(col, col.parts[p]);
      if (tid == 0) col.g_opt.begin_step();
    });
    sync();
    BceSums gen;
    for (const RowPart& part : col.parts) gan_add_sums(gen, part.gen);
    s.g_loss = gen.loss / B;
    if (std::isfinite(s.g_loss)) {
      gan_team_phase(errors, [&] {
        gan_update_columns(col.g, col.g_opt, col.g_rows, col.g_dw, col.g_db, tid, nt);
      });
    }
  }
  if (tid == 0) out = s;
}

void GanTrainer::record_step(Column& col, const StepSums& st) {
  const double ds = cfg_.d_steps;
  const double d_loss = st.d_loss, d_real = st.d_real, d_fake = st.d_fake, fooled = st.fooled;
  const double g_loss = st.g_loss;
  const uint64_t s = step_ + 1;
  if (!std::isfinite(d_loss) || !std::isfinite(g_loss)) {
    col.diverged = true;
    col.history.diverged_at = s;
    return;
  }
  col.sum_g += g_loss;
  col.sum_d += d_loss / ds;
  col.sum_real += d_real / ds;
  col.sum_fake += d_fake / ds;
  col.sum_fooled += fooled / ds;
  ++col.sum_count;
  if (s % static_cast<uint64_t>(cfg_.log_every) == 0 || s == total_steps()) {
    const double n = col.sum_count;
    GanColumnHistory& h = col.history;
    h.step.push_back(s);
    h.g_loss.push_back(col.sum_g / n);
    h.d_loss.push_back(col.sum_d / n);
    h.d_real.push_back(col.sum_real / n);
    h.d_fake.push_back(col.sum_fake / n);
    h.fooled.push_back(col.sum_fooled / n);
    col.sum_g = col.sum_d = col.sum_real = col.sum_fake = col.sum_fooled = 0;
    col.sum_count = 0;
  }
}

}  // namespace initscope
