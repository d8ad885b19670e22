#pragma once
// The grid of a sweep (issue 15, `initscope sweep`): axes over experiment settings, the points
// they span, the rows (point × seed repeat) in canonical order, and the shards of that order.
//
// An axis is `NAME=START:STOP:STEP` (STOP included when it is on the step, up to 1e-9 of a
// step) or `NAME=v1,v2,…` (values of init specs contain commas: separate them with `;`
// instead — a list with a `;` is split at `;` only). Names (SweepAxisName): sigma_w2 (the init
// variance_scaling:scale=σ_w²,mode=fan_in,distribution=untruncated_normal, i.e.
// W ~ N(0, σ_w²/fan_in)), sigma_b2 (bias normal:std=√σ_b², none at 0), depth (--layers), width
// (every layer; the input dimension follows it unless --input-dim is given), batch, activation,
// init, seed. Every value is checked as its option would be (core/limits.h).
//
// Canonical order: the axes in SweepAxisName order whatever order they were given in; rows
// enumerate the points with the last axis fastest, and within a point the seed repeats
// k = 0..K−1 (seed = the point's seed + k). Row i belongs to shard i mod N (0-based shards).
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/experiment.h"

namespace initscope {

enum class SweepAxisName { SigmaW2, SigmaB2, Depth, Width, Batch, Activation, Init, Seed };

// "sigma_w2", …, in SweepAxisName order.
const std::vector<std::string>& sweep_axis_names();

struct SweepAxis {
  SweepAxisName name = SweepAxisName::SigmaW2;
  std::vector<std::string> values;  // canonical text: numbers as %.12g, specs as parsed
};

// Parses one --grid value. Throws UsageError naming --grid, the text and what is allowed
// (unknown name with did-you-mean, empty range, STEP ≤ 0, a value out of its option's range).
SweepAxis parse_sweep_axis(const std::string& text);

// Which part of the rows one process runs: rows i with i mod count == index.
struct SweepShard {
  int index = 0, count = 1;  // 0 ≤ index < count
  bool whole() const { return count == 1; }
  std::string text() const { return std::to_string(index) + "/" + std::to_string(count); }
};
// "K/N", K from 0 to N−1, N from 1 to 1,000,000. Throws UsageError naming --shard.
SweepShard parse_sweep_shard(const std::string& text);

struct SweepGrid {
  Experiment base;                // its first column is the network; the axes override it
  std::vector<SweepAxis> axes;    // canonical order, one per name
  int seeds = 1;                  // repeats per point
  double pair_correlation = 0.5;  // of the input pairs (Simulation::pair_profile)
  int64_t train_steps = 0;        // > 0: train and add the accuracies

  // Builds and checks the grid: axes put in canonical order (a name twice, or sigma_w2 with
  // init, or seed with --seeds > 1 is a UsageError), every point's experiment validated.
  static SweepGrid make(Experiment base, const std::vector<std::string>& grid_options, int seeds,
                        double pair_correlation, int64_t train_steps);

  size_t points() const;  // the product of the axes' sizes (1 without axes)
  size_t rows() const { return points() * static_cast<size_t>(seeds); }
  // The experiment of row i (one column; gradients on, one update).
  Experiment row_experiment(size_t row) const;
  // {"grid": {NAME: [values…]}, "seeds", "pair_correlation", "train_steps", "rows",
  //  "experiment": the base config without title/narrative/preset} (+ "shard": "K/N" for a
  // part) — the identity of a sweep's file: the CSV's first line, the JSON's "sweep".
  nlohmann::ordered_json description(const SweepShard& shard = {}) const;
};

}  // namespace initscope
