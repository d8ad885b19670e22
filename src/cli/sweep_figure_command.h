#pragma once
// `initscope export --view sweep --from FILE.csv --x X --y Y --value NAME [--format png|csv|json]`
// (issue 15): the measured sweep figure, or the per-cell means it draws as data.
#include <CLI/CLI.hpp>
#include <string>

#include "export/export_figure.h"

namespace initscope {

struct SweepFigureArgs {
  std::string from, x = "sigma_w2", y, value, format = "png";
  // Adds --from, --x, --y, --value and --format to `export`.
  void add_to(CLI::App* exp);
  bool any_given() const;
  // --from, --x, --y or --value: the options no view but the sweep's takes (--format: also gan).
  bool any_axis_given() const;
};

// Reads the sweep, averages it per cell and writes opt.out: the PNG, or with --format csv|json
// the cells' means ("-": standard output). Throws UsageError for bad input before writing.
void run_sweep_figure(const SweepFigureArgs& args, const ExportOptions& opt);

}  // namespace initscope
