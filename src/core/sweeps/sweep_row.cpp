// Measuring one sweep row: the theory (mean field, correlation map) and the measured
// per-layer pair correlation, variance and gradient ratio (columns in sweep_row.h).
#include "sweep_row.h"

#include <cmath>
#include <cstdio>
#include <limits>

#include "core/simulation.h"
#include "core/theory/correlation_map.h"
#include "core/theory/mean_field.h"
#include "sweep_training.h"

namespace initscope {

const std::vector<std::string>& sweep_columns(bool trained) {
  static const std::vector<std::string> plain{
      "sigma_w2",   "sigma_b2",      "depth",      "width",       "activation",
      "seed",       "q_star",        "chi1",       "xi_c_theory", "c_star",
      "q_measured", "xi_c_measured", "c_measured", "grad_ratio"};
  static const std::vector<std::string> with_training = [] {
    std::vector<std::string> v = plain;
    v.push_back("train_accuracy");
    v.push_back("test_accuracy");
    return v;
  }();
  return trained ? with_training : plain;
}

std::string sweep_cell(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

double fit_correlation_depth(const std::vector<double>& c, double c_star, int width) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (std::isnan(c_star) || width < 1) return kNaN;
  const double tau = 3 * (1 - c_star * c_star) / std::sqrt(double(width)) + 1e-5;
  // Sums of l, ln Δ_l, l², l·ln Δ_l over the leading run above τ.
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (size_t l = 0; l < c.size(); ++l) {
    const double delta = std::fabs(c[l] - c_star);
    if (!(delta > tau)) break;
    const double x = double(l + 1), y = std::log(delta);
    n += 1;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  if (n < 3) return kNaN;
  const double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return slope < 0 ? -1 / slope : std::numeric_limits<double>::infinity();
}

SweepRow measure_sweep_row(const SweepGrid& grid, size_t row,
                           const std::shared_ptr<const ImageDataset>& data) {
  const Experiment e = grid.row_experiment(row);
  const InitSpec& spec = e.inits.front();
  const Prediction pred = predict(e, spec, /*signal_propagation=*/false);
  const CorrelationFixedPoint theory =
      correlation_fixed_point(e.activation, pred.init.sigma_w2, pred.init.sigma_b2,
                              pred.init.bias_mean, pred.layers.back().q);
  // The row's theory is the one above: the simulation computes none of its own; of the update
  // the row reads the gradient norms alone.
  SimulationOutputs outputs;
  outputs.theory = outputs.signal_theory = outputs.pair_correlation = false;
  outputs.layer_statistics = false;
  Simulation sim(e, nullptr, outputs);
  sim.update();
  const Snapshot snap = sim.snapshot();
  const std::vector<LayerStats>& layers = snap.columns.front().layers;
  const double grad_ratio = layers.front().grad_norm / layers.back().grad_norm;
  const Simulation::PairProfile pairs = sim.pair_profile(0, grid.pair_correlation);
  const int width = e.width(e.layers);
  SweepRow r;
  r.cells = {sweep_cell(pred.init.sigma_w2),
             sweep_cell(pred.init.sigma_b2),
             std::to_string(e.layers),
             std::to_string(width),
             e.activation.name(),
             std::to_string(e.seed),
             sweep_cell(theory.q_star),
             sweep_cell(theory.chi1),
             sweep_cell(theory.xi_c),
             sweep_cell(theory.c_star),
             sweep_cell(pairs.q.back()),
             sweep_cell(fit_correlation_depth(pairs.c, theory.c_star, width)),
             sweep_cell(pairs.c.back()),
             sweep_cell(grad_ratio)};
  if (grid.train_steps > 0) {
    const SweepAccuracy acc = train_sweep_point(e, grid.train_steps, data);
    r.cells.push_back(sweep_cell(acc.train));
    r.cells.push_back(sweep_cell(acc.test));
  }
  return r;
}

}  // namespace initscope
