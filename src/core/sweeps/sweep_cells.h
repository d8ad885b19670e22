#pragma once
// The numbers under `initscope export --view sweep` (issue 15): one value column of a sweep
// file (read by sweep_file.h: CSV or JSON) averaged per (x, y) grid cell over the rows there
// (the seeds), and what the theory draws over it — computed without GL, so tests compare them
// with the file's own means and `--format csv|json` writes them.
#include <string>
#include <vector>

#include "sweep_file.h"

namespace initscope {

// The grid columns a figure axis may name: the settings a sweep varies numerically.
inline constexpr const char* kSweepAxisColumns[] = {"sigma_w2", "sigma_b2", "depth", "width"};

struct SweepCells {
  std::string x_name, y_name, value_name;
  std::vector<double> xs, ys;  // the distinct values of the x and y columns, ascending (≥ 2 each)
  // [iy · xs.size() + ix]: the mean of the value over the rows at (xs[ix], ys[iy]) whose value
  // is a number; NaN when there is none. `rows` counts those rows (0: no row or no number).
  std::vector<double> mean;
  std::vector<int> rows;
  // Theory (NaN / empty when the table lacks the column): per xs[ix], the mean of xi_c_theory
  // over every row with that x.
  std::vector<double> xi_c_theory;
  // What the sweep held fixed, for the title: the activation's name ("" if the table has no
  // activation column), and sigma_b2, depth, width when they are not on an axis (NaN if the
  // column is missing).
  std::string activation;
  double sigma_b2 = 0, depth = 0, width = 0;
  int seeds = 0;  // distinct values of the seed column (0 without one)
  // For the accuracy columns, how the points were trained (the description's train_steps and
  // training object): "500 steps, adam lr 0.0001, batch 64, Fashion-MNIST"; "" otherwise.
  std::string training;

  double at(size_t ix, size_t iy) const { return mean[iy * xs.size() + ix]; }
};

// Averages column `value` over the (x, y) grid of `t`. Throws UsageError (one line naming the
// option, the value and what is allowed) when: x or y is not one of kSweepAxisColumns or not in
// the table, x = y, either has fewer than 2 distinct values, `value` is not a numeric column of
// the table (or is x or y), another setting (activation, sigma_w2, sigma_b2, depth, width, or an
// axis of the description's grid but seed) takes more than one value — the means would mix
// different networks — or the table has no rows.
SweepCells sweep_cells(const SweepTable& t, const std::string& x, const std::string& y,
                       const std::string& value);

// The cells as data: CSV "x,y,VALUE,rows" (one line per cell, y outer, x inner, ascending; empty
// VALUE where NaN) or JSON {"x","y","value","xs","ys","mean" [[row per y]], "rows"}; numbers in
// the shortest form that reads back to the same double.
std::string sweep_cells_csv(const SweepCells& c);
std::string sweep_cells_json(const SweepCells& c);

}  // namespace initscope
