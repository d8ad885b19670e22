// ForwardPass with a norm after every layer's product (forward_pass.h): H = norm(Z), A = φ(H),
// the statistics of Z, H and A fused with the tiles as in the plain layer. The formulas are
// engine/normalization.h's, in the same float operations as norm_forward, so that LayerNorm and
// RMSNorm give the block engine's values bit for bit (the same double sums in the same column
// order) and BatchNorm differs only by its variance (Σz²/B − μ² here, two passes there).
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "forward_pass_parts.h"

namespace initscope {

using namespace forward_tiles;

namespace {

// Σ_j z_ij and Σ_j z_ij² of a tile's rows (MR each) over its `cols` valid columns, in column
// order, added to sum and sq (double, as the block engine's row_moments).
void add_row_sums_of_tile(const float* z, int cols, double* sum, double* sq) {
  for (int j = 0; j < cols; ++j) {
    for (int i = 0; i < kTileRows; ++i) {
      const double v = z[j * kTileRows + i];
      sum[i] += v;
      sq[i] += v * v;
    }
  }
}

}  // namespace

// This thread's statistics of the running layer start empty.
void ForwardPass::begin_layer_share(const Job& job, int l, Share& me) const {
  me.pre = PartialMoments{};
  me.act = PartialMoments{};
  me.normed = PartialMoments{};
  std::fill(me.counts.begin(), me.counts.end(), 0u);
  if (job.options.statistics && job.sinks[static_cast<size_t>(l)].sq_mean_sum != nullptr) {
    const size_t lanes = static_cast<size_t>(job.w[static_cast<size_t>(l)].panels()) * kTileSize;
    me.channel_sum.assign(lanes, 0.0);
    me.channel_sq.assign(lanes, 0.0);
  }
}

// Tiles (q, p0) … (q, p1 − 1) of Z = A_{l−1}·W_l + b_l and their statistics. The `pending`
// histogram slots (the tiles' before) are counted during these products, at most two per product
// step in each but the last tile, which takes the rest; these tiles' slots become `pending`.
void ForwardPass::product_tiles(const Job& job, int l, const LayerBinnings& b, int q, int p0,
                                int p1, Share& me, int& pending) {
  const gemm::PackedWeights& wl = job.w[static_cast<size_t>(l)];
  const PanelMatrix& in = l == 0 ? x_ : a_[(l - 1) % 2];
  const int k = wl.rows();
  int counted = 0;
  for (int p = p0; p < p1; ++p) {
    const int give = p + 1 == p1 ? pending - counted : std::min(pending - counted, 2 * k);
    if (give == 0)
      gemm::tile_product(k, in.panel(q), wl.panel(p), wl.bias(p), z_.tile(q, p));
    else
      gemm::tile_product(k, in.panel(q), wl.panel(p), wl.bias(p), z_.tile(q, p),
                         {me.slots.data() + counted, give, me.counts.data()});
    counted += give;
  }
  pending = 0;
  if (!job.options.statistics) return;
  const Binning* bz = b.of[kQuantityZ];
  for_each_valid_run(z_, q, p0, p1, [&](const float* v, int n) {
    me.pre.add(v, static_cast<size_t>(n), SaturationRule::None, bz, 0, me.slots.data() + pending);
    if (bz) pending += n;
  });
}

// Before layer l (plan_layer), LayerNorm / RMSNorm: γ and β per feature, padded with 0 to whole
// column panels.
void ForwardPass::set_feature_lanes(const Job& job, int l) {
  const Eigen::RowVectorXf& g = (*job.options.gamma)[static_cast<size_t>(l)];
  const Eigen::RowVectorXf& b = (*job.options.beta)[static_cast<size_t>(l)];
  const int n = job.w[static_cast<size_t>(l)].cols();
  if (g.size() != n || b.size() != n)
    throw std::logic_error("ForwardPass: gamma/beta must be 1 × fan_out");
  const size_t padded = static_cast<size_t>(job.w[static_cast<size_t>(l)].panels()) * kTileCols;
  feature_a_.assign(padded, 0.0f);
  feature_b_.assign(padded, 0.0f);
  std::copy(g.data(), g.data() + n, feature_a_.begin());
  std::copy(b.data(), b.data() + n, feature_b_.begin());
}

// H's tile (q, p) from Z's (norm_forward's float operations):
//   layer, rms: h = ((z − μ_i)·s_i)·γ_j + β_j   (μ_i, s_i = 1/√(v_i + ε) of row i)
//   batch:      h = z·a_j + c_j                 (a_j = γ_j·s_j, c_j = β_j − μ_j·a_j)
void ForwardPass::normalize_tile(const Job& job, int q, int p, const Share& me, float* h) const {
  const float* z = z_.tile(q, p);
  const float* fa = feature_a_.data() + static_cast<size_t>(p) * kTileCols;
  const float* fb = feature_b_.data() + static_cast<size_t>(p) * kTileCols;
  if (job.options.norm == NormKind::Batch) {
    for (int j = 0; j < kTileCols; ++j) {
      for (int i = 0; i < kTileRows; ++i)
        h[j * kTileRows + i] = z[j * kTileRows + i] * fa[j] + fb[j];
    }
    return;
  }
  const size_t r0 = static_cast<size_t>(q - me.q0) * kTileRows;
  const float* mu = me.row_mean.data() + r0;
  const float* s = me.row_inv.data() + r0;
  for (int j = 0; j < kTileCols; ++j) {
    for (int i = 0; i < kTileRows; ++i)
      h[j * kTileRows + i] = ((z[j * kTileRows + i] - mu[i]) * s[i]) * fa[j] + fb[j];
  }
}

// Tile (q, p) of H (into A's tile), its statistics, then A = φ(H) in place and A's statistics
// and channel sums. No product follows to carry the histogram slots: counted here.
void ForwardPass::normed_and_act_stats(const Job& job, int l, const LayerBinnings& b, int q, int p,
                                       Share& me) {
  float* at = a_[l % 2].tile(q, p);
  normalize_tile(job, q, p, me, at);
  const int rows = z_.rows_in_panel(q), cols = cols_in_panel(z_, p);
  const int copies = job.copies;
  const SaturationRule act_rule = job.act_rule;
  const Binning *bh = b.of[kQuantityH], *ba = b.of[kQuantityA];
  int pending = 0;
  for_each_valid_run(at, rows, cols, [&](const float* v, int n) {
    me.normed.add(v, static_cast<size_t>(n), SaturationRule::None, bh, 2 * copies,
                  me.slots.data() + pending);
    if (bh) pending += n;
  });
  job.act.apply(at, at, kTileSize);
  for_each_valid_run(at, rows, cols, [&](const float* v, int n) {
    me.act.add(v, static_cast<size_t>(n), act_rule, ba, copies, me.slots.data() + pending);
    if (ba) pending += n;
  });
  count_slots(me.slots.data(), static_cast<size_t>(pending), me.counts.data());
  if (job.sinks[static_cast<size_t>(l)].sq_mean_sum != nullptr) add_channel_sums(at, rows, p, me);
}

// LayerNorm / RMSNorm, one thread's rows: per row panel (MR × fan_out, in L1/L2), every tile's
// product and the rows' Σz, Σz² first, then μ_i and s_i, then every tile normalized.
void ForwardPass::forward_row_norm_rows(const Job& job, int l, const Meeting& m, Share& me) {
  begin_layer_share(job, l, me);
  const LayerBinnings b(m, job.quantities, job.bins);
  const int n = job.w[static_cast<size_t>(l)].cols();
  me.row_mean.assign(static_cast<size_t>(me.q1 - me.q0) * kTileRows, 0.0f);
  me.row_inv.assign(me.row_mean.size(), 1.0f);
  for (int q = me.q0; q < me.q1; ++q) {
    double sum[kTileRows] = {}, sq[kTileRows] = {};
    int pending = 0;
    for (int p = 0; p < z_.column_panels(); ++p) {
      product_tiles(job, l, b, q, p, p + 1, me, pending);
      add_row_sums_of_tile(z_.tile(q, p), cols_in_panel(z_, p), sum, sq);
    }
    count_slots(me.slots.data(), static_cast<size_t>(pending), me.counts.data());
    const size_t r0 = static_cast<size_t>(q - me.q0) * kTileRows;
    for (int i = 0; i < z_.rows_in_panel(q); ++i) {
      const double mu = job.options.norm == NormKind::Rms ? 0.0 : sum[i] / n;
      const double var = std::max(0.0, sq[i] / n - mu * mu);
      me.row_mean[r0 + i] = static_cast<float>(mu);
      me.row_inv[r0 + i] = static_cast<float>(1.0 / std::sqrt(var + kNormEpsilon));
    }
    for (int p = 0; p < z_.column_panels(); ++p) normed_and_act_stats(job, l, b, q, p, me);
  }
  keep_rows(job, l, me);
}

// BatchNorm, every thread (called by all of them: its barriers are the team's): its rows'
// products with per-feature Σz, Σz² in lanes; a meeting (batch_norm_lanes) turns every
// thread's sums into each feature's scale and shift; then its rows normalized.
void ForwardPass::forward_batch_norm_rows(const Job& job, int l, Meeting& m, Share& me) {
  const LayerBinnings b(m, job.quantities, job.bins);  // the plans stay put during the layer
  m.errors.capture([&] {
    begin_layer_share(job, l, me);
    const size_t lanes = static_cast<size_t>(z_.column_panels()) * kTileSize;
    me.norm_sum.assign(lanes, 0.0);
    me.norm_sq.assign(lanes, 0.0);
    int pending = 0;
    for (int q = me.q0; q < me.q1; ++q) {
      for (int p = 0; p < z_.column_panels(); ++p) {
        product_tiles(job, l, b, q, p, p + 1, me, pending);
        const size_t at = static_cast<size_t>(p) * kTileSize;
        add_channel_lanes_of_tile(z_.tile(q, p), z_.rows_in_panel(q), me.norm_sum.data() + at,
                                  me.norm_sq.data() + at);
      }
    }
    count_slots(me.slots.data(), static_cast<size_t>(pending), me.counts.data());
  });
  const int nt = omp_get_num_threads();
#pragma omp barrier
#pragma omp single nowait
  m.errors.capture([&] {
    if (!m.errors.failed()) batch_norm_lanes(job, l, nt);
  });
#pragma omp barrier
  if (m.errors.failed()) return;
  m.errors.capture([&] {
    for (int q = me.q0; q < me.q1; ++q) {
      for (int p = 0; p < z_.column_panels(); ++p) normed_and_act_stats(job, l, b, q, p, me);
    }
    keep_rows(job, l, me);
  });
}

// BatchNorm's meeting, one thread: the threads' Σz, Σz² lanes folded per feature in thread
// order (the same bits run after run), μ_j = Σz/B, v_j = Σz²/B − μ_j², and each feature's
// a_j = γ_j·s_j, c_j = β_j − μ_j·a_j (μ_j and s_j rounded to float first, as norm_forward).
void ForwardPass::batch_norm_lanes(const Job& job, int l, int nt) {
  const Eigen::RowVectorXf& g = (*job.options.gamma)[static_cast<size_t>(l)];
  const Eigen::RowVectorXf& b = (*job.options.beta)[static_cast<size_t>(l)];
  const int n = job.w[static_cast<size_t>(l)].cols();
  if (g.size() != n || b.size() != n)
    throw std::logic_error("ForwardPass: gamma/beta must be 1 × fan_out");
  feature_a_.assign(static_cast<size_t>(z_.padded_cols()), 0.0f);
  feature_b_.assign(feature_a_.size(), 0.0f);
  const double rows = job.batch;
  for (int j = 0; j < n; ++j) {
    const size_t at = static_cast<size_t>(j / kTileCols) * kTileSize +
                      static_cast<size_t>(j % kTileCols) * kTileRows;
    double sum = 0, sq = 0;
    for (int t = 0; t < nt; ++t) {
      const Share& s = shares_[static_cast<size_t>(t)];
      for (int i = 0; i < kTileRows; ++i) {
        sum += s.norm_sum[at + i];
        sq += s.norm_sq[at + i];
      }
    }
    const double mu = sum / rows, var = std::max(0.0, sq / rows - mu * mu);
    const float mean = static_cast<float>(mu);
    const float inv = static_cast<float>(1.0 / std::sqrt(var + kNormEpsilon));
    const float scale = g[j] * inv;
    feature_a_[static_cast<size_t>(j)] = scale;
    feature_b_[static_cast<size_t>(j)] = b[j] - mean * scale;
  }
}

}  // namespace initscope
