#pragma once
// One row of a sweep (issue 15): the theory and the measurements of one grid point and seed.
//
// Columns, in this order (sweep_columns()):
//   sigma_w2, sigma_b2   the network's effective init (mean_field.h effective_init, last layer)
//   depth, width         layers and the last layer's width; activation (canonical name); seed
//   q_star, chi1         mean_field.h fixed_point(), iterated from the last layer's q
//   xi_c_theory, c_star  correlation_map.h: −1/ln χ_c (inf on the critical line) and c*
//   q_measured           the last layer's second moment of Z over the input pairs
//   xi_c_measured        fit_correlation_depth() of the measured c^l
//   c_measured           the last layer's mean pair correlation (Simulation::pair_profile)
//   grad_ratio           ‖dL/dW₁‖_F / ‖dL/dW_L‖_F of one backward pass (the experiment's loss,
//                        default sum; its own batch of B inputs)
//   train_accuracy, test_accuracy   with train_steps > 0 only (sweep_training.h)
// Numbers are written with 10 significant digits (%.10g); inf, -inf and nan as such in CSV
// (null in JSON). The cells are text, so that resumed and merged files copy them unchanged.
#include <memory>
#include <string>
#include <vector>

#include "core/training/image_dataset.h"
#include "sweep_grid.h"

namespace initscope {

const std::vector<std::string>& sweep_columns(bool trained);

struct SweepRow {
  std::vector<std::string> cells;  // one per column, as written in the CSV
};

// Measures row `row` of the grid (deterministic: the row's experiment and seed only). `data`:
// the images to train on when grid.train_steps > 0 (loaded once per sweep), else unused.
SweepRow measure_sweep_row(const SweepGrid& grid, size_t row,
                           const std::shared_ptr<const ImageDataset>& data = nullptr);

// ξ_c measured from c^l (entry l−1 = layer l) and the theory's c*: the leading run of layers,
// from layer 1, where Δ_l = |c^l − c*| > τ, τ = 3·(1 − c*²)/√n + 1e-5 (n the last layer's
// width: at finite width a pair's correlation wanders by about (1 − c²)/√n around the map;
// 1e-5: the resolution of the cosine of float pre-activations). With at least 3 such layers,
// the least-squares line ln Δ_l = a + s·l gives ξ_c = −1/s (+∞ when s ≥ 0: no decay); NaN with
// fewer layers or c* NaN.
double fit_correlation_depth(const std::vector<double>& c, double c_star, int width);

// %.10g, with "inf", "-inf", "nan".
std::string sweep_cell(double v);

}  // namespace initscope
