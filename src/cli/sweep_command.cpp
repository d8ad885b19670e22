#include "sweep_command.h"

#include <cstdio>
#include <iostream>

#include "core/error.h"
#include "core/file_io.h"
#include "core/sweeps/sweep_file.h"
#include "core/sweeps/sweep_grid.h"
#include "core/sweeps/sweep_run.h"

namespace initscope {

CLI::App* SweepArgs::add_to(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "sweep", "Measure a grid of networks: correlation depth, variance, gradients (CSV/JSON)");
  experiment.add_to(cmd);
  cmd->add_option("--grid", grid,
                  "An axis NAME=START:STOP:STEP (STOP included) or NAME=v1,v2,... (init specs: "
                  "separate with ;), repeatable. NAME: sigma_w2, sigma_b2, depth, width, batch, "
                  "activation, init, seed");
  cmd->add_option("--seeds", seeds, "Repeats per point with seeds s, s+1, ... (default 1)");
  cmd->add_option("--pair-correlation", pair_correlation,
                  "Correlation of the input pairs whose pre-activation correlation is measured "
                  "(default 0.5)");
  cmd->add_option("--train-steps", train_steps,
                  "Also train each point S steps on Fashion-MNIST: train_accuracy, "
                  "test_accuracy (default 0: no training)");
  cmd->add_option("--shard", shard,
                  "K/N: run only rows i with i mod N = K (K 0-based, 0..N-1); merge the parts "
                  "with sweep-merge");
  cmd->add_option("--out", out, "FILE.csv or FILE.json (default: CSV on standard output)");
  cmd->add_flag("--resume", resume,
                "Continue a stopped run of the same arguments from FILE.partial");
  cmd->add_flag("--force", force, "Overwrite an existing --out file");
  cmd->footer(
      "Each point is one network (the experiment's first --init column unless the grid sets "
      "sigma_w2 or init: W ~ N(0, sigma_w2/fan_in), bias N(0, sigma_b2)). Columns: "
      "sigma_w2,sigma_b2,depth,width,activation,seed,q_star,chi1,xi_c_theory,c_star,"
      "q_measured,xi_c_measured,c_measured,grad_ratio (+ train_accuracy,test_accuracy). Rows "
      "in canonical order: axes in the order of the NAME list, the last fastest, then seeds.");
  return cmd;
}

CLI::App* SweepMergeArgs::add_to(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "sweep-merge", "Merge the --shard parts of one sweep into the file a single run writes");
  cmd->add_option("files", files, "OUT (.csv or .json), then the part files")->required();
  cmd->add_flag("--force", force, "Overwrite an existing OUT");
  return cmd;
}

int run_sweep_command(const SweepArgs& args) {
  const Experiment base = args.experiment.resolve();
  const int seeds = static_cast<int>(parse_integer("--seeds", args.seeds, 1, 1000000));
  const double r = parse_number("--pair-correlation", args.pair_correlation, -1, 1);
  const int64_t steps = static_cast<int64_t>(limits::kSteps.parse_int(args.train_steps));
  SweepRunOptions opt;
  opt.out = args.out;
  opt.resume = args.resume;
  opt.force = args.force;
  if (!args.shard.empty()) opt.shard = parse_sweep_shard(args.shard);
  if (args.grid.empty())
    throw UsageError("--grid: give at least one axis, e.g. --grid sigma_w2=1:4:0.5");
  const SweepGrid grid = SweepGrid::make(base, args.grid, seeds, r, steps);
  opt.progress = [](size_t done, size_t total, double seconds) {
    std::fprintf(stderr, "initscope: sweep row %zu/%zu (%.1f s)\n", done, total, seconds);
  };
  run_sweep(grid, opt);
  return 0;
}

int run_sweep_merge(const SweepMergeArgs& args) {
  if (args.files.size() < 2) throw UsageError("sweep-merge: give OUT and at least one part file");
  const std::string& out = args.files.front();
  const SweepFormat format = sweep_format_of(out, "sweep-merge OUT");
  check_writable(out, args.force);
  const SweepTable whole =
      merge_sweep_parts(std::vector<std::string>(args.files.begin() + 1, args.files.end()));
  write_file_atomic(out, sweep_text(whole, format), args.force);
  std::fprintf(stderr, "initscope: wrote %s (%zu rows)\n", out.c_str(), whole.rows.size());
  return 0;
}

}  // namespace initscope
