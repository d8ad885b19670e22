#include "sweep_figure_command.h"

#include <cstdio>
#include <filesystem>

#include "core/error.h"
#include "core/file_io.h"
#include "core/sweeps/sweep_cells.h"
#include "core/sweeps/sweep_file.h"

namespace initscope {

void SweepFigureArgs::add_to(CLI::App* exp) {
  exp->add_option("--from", from,
                  "--view sweep: the sweep's file, CSV or JSON (initscope sweep --out)");
  exp->add_option("--x", x, "--view sweep: the x axis column (default sigma_w2)");
  exp->add_option("--y", y, "--view sweep: the y axis column: sigma_b2, depth or width");
  exp->add_option("--value", value,
                  "--view sweep: the column shown, averaged over seeds (e.g. xi_c_measured)");
  exp->add_option("--format", format,
                  "png (the figure), csv or json: with --view sweep the cells' means, with --view "
                  "gan the curves and epoch numbers (as `initscope gan` writes them)");
}

bool SweepFigureArgs::any_given() const {
  return !from.empty() || !y.empty() || !value.empty() || format != "png";
}

bool SweepFigureArgs::any_axis_given() const {
  return !from.empty() || !y.empty() || !value.empty() || x != "sigma_w2";
}

void run_sweep_figure(const SweepFigureArgs& args, const ExportOptions& opt) {
  if (opt.view != "sweep") throw UsageError("--from/--y/--value/--format: only with --view sweep");
  if (args.from.empty()) throw UsageError("--view sweep: give --from FILE.csv (a sweep's file)");
  if (args.y.empty()) throw UsageError("--view sweep: give --y sigma_b2, depth or width");
  if (args.value.empty())
    throw UsageError("--view sweep: give --value NAME, a column such as xi_c_measured");
  if (args.format != "png" && args.format != "csv" && args.format != "json")
    throw UsageError("--format '" + args.format + "': allowed: png, csv, json");
  std::error_code ec;
  if (!std::filesystem::is_regular_file(args.from, ec))
    throw UsageError("--from '" + quoted_prefix(args.from) +
                     "': no such file (give the file `initscope sweep --out` wrote)");
  const SweepCells cells = sweep_cells(read_sweep_table(args.from), args.x, args.y, args.value);
  if (args.format == "png") {
    export_sweep_figure(cells, opt);
    return;
  }
  const std::string text = args.format == "csv" ? sweep_cells_csv(cells) : sweep_cells_json(cells);
  if (opt.out == "-")
    std::fwrite(text.data(), 1, text.size(), stdout);
  else
    write_file_atomic(opt.out, text, opt.force);
}

}  // namespace initscope
