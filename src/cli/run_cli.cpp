#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "app/gui.h"
#include "commands.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/json_text.h"
#include "core/lesson.h"
#include "core/limits.h"
#include "core/png_text.h"
#include "core/simulation.h"
#include "core/stats_io.h"
#include "experiment_args.h"
#include "export/export_figure.h"
#include "export/export_layout.h"
#include "gan_command.h"
#include "gan_export_command.h"
#include "sweep_command.h"
#include "sweep_figure_command.h"
#include "train_command.h"

namespace initscope {
namespace {

// "1600x1000" → width, height.
void parse_size(const std::string& text, int& w, int& h) {
  const auto x = text.find('x');
  if (x == std::string::npos) {
    throw UsageError("--size '" + quoted_prefix(text) +
                     "': must be WIDTHxHEIGHT, e.g. 1600x1000; each side " +
                     limits::kFigureSide.range_text());
  }
  w = static_cast<int>(limits::kFigureSide.parse_int(text.substr(0, x)));
  h = static_cast<int>(limits::kFigureSide.parse_int(text.substr(x + 1)));
}

// "1,2,5,10" or "every:3".
void parse_layers_shown(const std::string& text, int layers, std::vector<int>& shown, int& every) {
  if (text.rfind("every:", 0) == 0) {
    every = static_cast<int>(parse_integer("--layers-shown", text.substr(6), 1, layers));
    return;
  }
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    shown.push_back(static_cast<int>(
        parse_integer("--layers-shown", text.substr(start, comma - start), 1, layers)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
}

void write_output(const std::string& out, const std::string& text, bool force) {
  if (out.empty() || out == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
  } else {
    write_file_atomic(out, text, force);
  }
}

// `gui --lesson NAME [--step K] [--reveal]`.
struct LessonArgs {
  std::string name, step;
  bool reveal = false;
};

// The experiment the window opens on: the lesson step's, or --preset/--config with overrides.
Experiment gui_experiment(const ExperimentArgs& args, const LessonArgs& lesson_args,
                          GuiOptions& opt) {
  if (lesson_args.name.empty()) {
    if (!lesson_args.step.empty()) throw UsageError("--step: only with --lesson NAME");
    if (lesson_args.reveal) throw UsageError("--reveal: only with --lesson NAME");
    return args.resolve();
  }
  if (args.any_given())
    throw UsageError("--lesson '" + quoted_prefix(lesson_args.name) +
                     "': takes no --preset, --config or experiment overrides (each step sets "
                     "its own experiment)");
  if (!opt.view.empty() || !opt.quantity.empty())
    throw UsageError("--lesson: takes no --view or --quantity (each step chooses what it shows)");
  const Lesson lesson = load_lesson(lesson_args.name, "--lesson");
  const int steps = static_cast<int>(lesson.steps.size());
  if (!lesson_args.step.empty())
    opt.lesson_step = static_cast<int>(parse_integer("--step", lesson_args.step, 1, steps));
  opt.lesson = lesson.name;
  opt.lesson_reveal = lesson_args.reveal;
  return lesson.steps[static_cast<size_t>(opt.lesson_step - 1)].experiment;
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"initscope — see what weight initialization does to every layer of a deep network",
               "initscope"};
  app.set_version_flag("--version", std::string("initscope ") + INITSCOPE_VERSION);
  app.require_subcommand(0, 1);
  app.footer("With no command, opens the window on the `compare` preset.");

  // gui
  ExperimentArgs gui_args;
  GuiOptions gui_opt;
  std::string gui_size, gui_font_scale;
  auto* gui = app.add_subcommand("gui", "Open the window (optionally on a preset/config)");
  gui_args.add_to(gui);
  bool gui_gan = false;
  std::string gui_gan_config, gui_network;
  gui->add_flag("--gan", gui_gan, "Start in the Training tab's GAN mode (issue 14)");
  gui->add_option("--gan-config", gui_gan_config,
                  "GAN mode with this GAN config (JSON, a `gan --format json` document or a GAN "
                  "PNG)");
  gui->add_option("--network", gui_network,
                  "GAN mode: the figures show the generator or the discriminator");
  gui->add_option("--frames", gui_opt.frames,
                  "Scripted: render N frames after the first snapshot, then exit");
  gui->add_option("--screenshot", gui_opt.screenshot,
                  "Scripted: save the window as PNG before exit");
  gui->add_flag("--force", gui_opt.force, "Overwrite an existing screenshot");
  gui->add_option("--timing", gui_opt.timing,
                  "Scripted: write frame times and updates/s as JSON (benchmarks)");
  gui->add_option("--size", gui_size, "Window size WxH (default 1600x1000)");
  gui->add_option("--theme", gui_opt.theme,
                  "dark or light (default dark; an interactive window: the theme it saved last)");
  gui->add_option("--font-scale", gui_font_scale, "Font scale 0.5-4 (1 = normal, 2 = projector)");
  gui->add_flag("--present", gui_opt.present,
                "Start in presentation mode: the figure and the narrative only (F5 or Esc leaves)");
  std::string gui_layer;
  gui->add_option("--view", gui_opt.view,
                  "Figure shown: grid, heatmap, history, signal, phase or training");
  std::string gui_steps;
  gui->add_option("--steps", gui_steps,
                  "Scripted training mode: count frames once training reached S steps");
  gui->add_option("--quantity", gui_opt.quantity,
                  "What the figures show: act, preact, normed, branch, grad or wgrad (grad, wgrad "
                  "imply --grad)");
  gui->add_option("--layer", gui_layer, "The layer the history view follows (default: the last)");
  LessonArgs gui_lesson;
  gui->add_option("--lesson", gui_lesson.name, "Open a lesson (see `initscope lessons`)");
  gui->add_option("--step", gui_lesson.step, "With --lesson: the step to open (default 1)");
  gui->add_flag("--reveal", gui_lesson.reveal,
                "With --lesson: open the step with its explanation shown (screenshots)");

  // stats
  ExperimentArgs stats_args;
  std::string stats_format = "table", stats_out;
  bool stats_force = false;
  auto* stats = app.add_subcommand("stats", "Print per-layer statistics (table, json or csv)");
  stats_args.add_to(stats);
  stats->add_option("--format", stats_format, "table, json or csv");
  stats->add_option("--out", stats_out, "Write to FILE instead of standard output");
  stats->add_flag("--force", stats_force, "Overwrite an existing --out file");

  // export
  ExperimentArgs export_args;
  ExportOptions export_opt;
  std::string export_size, export_font_scale, export_layers_shown;
  auto* exp = app.add_subcommand("export", "Write a figure as PNG, with no display needed");
  export_args.add_to(exp);
  exp->add_option("--out", export_opt.out, "The PNG file")->required();
  exp->add_option("--size", export_size, "Figure size WxH (default 1600x1000)");
  exp->add_option("--view", export_opt.view,
                  "grid, profiles, both, heatmap, history, signal, phase, training, sweep or "
                  "gan (default both)");
  exp->add_option("--theme", export_opt.theme,
                  "light or dark (default light: figures go on white pages and slides; the "
                  "window's default is dark)");
  exp->add_option("--font-scale", export_font_scale, "Font scale 0.5-4 (default 1)");
  exp->add_option("--layers-shown", export_layers_shown, "Layers to draw: 1,2,5,10 or every:3");
  exp->add_flag("--preact", export_opt.preact,
                "Histograms of pre-activations instead of activations");
  exp->add_flag("--log-counts", export_opt.log_counts, "Log-scaled histogram counts");
  std::string export_layer, export_history, export_steps, export_network;
  exp->add_option("--network", export_network,
                  "A GAN's generator or discriminator: its probe statistics in grid, profiles, "
                  "heatmap or signal (the GAN of --config, or the defaults)");
  exp->add_option("--quantity", export_opt.quantity,
                  "What the figures show: act, preact, normed, branch, grad or wgrad (grad, wgrad "
                  "imply --grad)");
  exp->add_option("--layer", export_layer,
                  "The layer the history view follows (default: the last)");
  exp->add_option("--history", export_history,
                  "Updates the history view runs, one snapshot each (2-200, default 50)");
  exp->add_option("--steps", export_steps,
                  "--view training: mini-batch steps to train first (default: every epoch)");
  exp->add_flag("--force", export_opt.force, "Overwrite an existing file");
  SweepFigureArgs sweep_figure_args;  // --view sweep (issue 15)
  sweep_figure_args.add_to(exp);

  // train (issue 6)
  TrainArgs train_args;
  auto* train = train_args.add_to(app);

  // gan (issue 14)
  GanArgs gan_args;
  auto* gan = gan_args.add_to(app);

  // sweep, sweep-merge (issue 15)
  SweepArgs sweep_args;
  auto* sweep = sweep_args.add_to(app);
  SweepMergeArgs merge_args;
  auto* sweep_merge = merge_args.add_to(app);

  auto* inits = app.add_subcommand("inits", "List the init schemes with their formulas");
  auto* presets = app.add_subcommand("presets", "List the presets with their classroom notes");
  auto* lessons = app.add_subcommand("lessons", "List the lessons (gui --lesson NAME)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    // `initscope foo`: CLI11 says "arguments were not expected"; say which commands exist.
    const auto commands =
        static_cast<const CLI::App&>(app).get_subcommands([](const CLI::App*) { return true; });
    std::string names;
    bool known = false;
    for (const CLI::App* sub : commands) {
      names += (names.empty() ? "" : ", ") + sub->get_name();
      known = known || (argc > 1 && sub->get_name() == argv[1]);
    }
    if (dynamic_cast<const CLI::ExtrasError*>(&e) && argc > 1 && argv[1][0] != '-' && !known) {
      std::cerr << "initscope: unknown command '" << quoted_prefix(argv[1])
                << "'; commands: " << names << " (see initscope --help)\n";
      return 2;
    }
    std::cerr << "initscope: " << e.what() << " (see initscope --help)\n";
    return 2;
  }

  try {
    if (*inits) {
      std::cout << inits_listing();
    } else if (*presets) {
      std::cout << presets_listing();
    } else if (*lessons) {
      std::cout << lessons_listing();
    } else if (*train) {
      return run_train(train_args);
    } else if (*gan) {
      return run_gan(gan_args);
    } else if (*sweep) {
      return run_sweep_command(sweep_args);
    } else if (*sweep_merge) {
      return run_sweep_merge(merge_args);
    } else if (*stats) {
      const Experiment e = stats_args.resolve();
      if (stats_format != "table" && stats_format != "json" && stats_format != "csv") {
        throw UsageError("--format '" + stats_format + "': allowed: table, json, csv");
      }
      if (!stats_out.empty()) check_writable(stats_out, stats_force);  // fail before computing
      // The tables and JSON have no signal-plot predictions and no pair line: not computed.
      SimulationOutputs outputs;
      outputs.signal_theory = outputs.pair_correlation = false;
      const Snapshot s = Simulation::run(e, outputs);
      std::string text = stats_format == "json"  ? json_text(snapshot_json(s), 1) + "\n"
                         : stats_format == "csv" ? snapshot_csv(s)
                                                 : snapshot_table(s);
      write_output(stats_out, text, stats_force);
    } else if (*exp) {
      if (!export_size.empty()) parse_size(export_size, export_opt.width, export_opt.height);
      if (!export_font_scale.empty()) {
        export_opt.font_scale = static_cast<float>(limits::kFontScale.parse(export_font_scale));
      }
      const bool gan_export = is_gan_export(export_opt, export_network);
      if (export_opt.view == "sweep" || (sweep_figure_args.any_given() && !gan_export)) {
        if (export_opt.view != "sweep")
          throw UsageError("--from/--y/--value/--format with --view " + export_opt.view +
                           ": only with --view sweep (--format json|csv: also --view gan)");
        if (export_args.any_given())
          throw UsageError("--view sweep: takes no experiment options (the sweep's file has them)");
        run_sweep_figure(sweep_figure_args, export_opt);
        if (export_opt.out != "-") std::cerr << "initscope: wrote " << export_opt.out << "\n";
        return 0;
      }
      if (gan_export) {
        if (!export_network.empty()) export_opt.network = parse_gan_network(export_network);
        if (sweep_figure_args.any_axis_given())
          throw UsageError("--from/--x/--y/--value: only with --view sweep");
        const GanExportFormat format =
            parse_gan_export_format(sweep_figure_args.format, export_opt.view);
        if (!export_layers_shown.empty() || !export_layer.empty() || !export_history.empty())
          throw UsageError("--view " + export_opt.view +
                           ": a GAN export takes no --layers-shown, --layer or --history");
        const GanConfig c = gan_export_config(export_args);
        const uint64_t steps = export_steps.empty()
                                   ? 0
                                   : static_cast<uint64_t>(limits::kSteps.parse_int(export_steps));
        run_gan_export(c, steps, export_opt, format);
        if (export_opt.out != "-") std::cerr << "initscope: wrote " << export_opt.out << "\n";
        return 0;
      }
      const Experiment e = export_args.resolve();
      if (!export_layers_shown.empty()) {
        parse_layers_shown(export_layers_shown, e.layers, export_opt.layers_shown,
                           export_opt.every_k);
      }
      if (!export_layer.empty())
        export_opt.history_layer =
            static_cast<int>(parse_integer("--layer", export_layer, 1, e.layers));
      if (!export_history.empty())
        export_opt.history_updates =
            static_cast<int>(limits::kHistoryUpdates.parse_int(export_history));
      if (!export_steps.empty()) {
        if (export_opt.view != "training")
          throw UsageError("--steps " + export_steps + ": only with --view training or gan");
        export_opt.steps = static_cast<uint64_t>(limits::kSteps.parse_int(export_steps));
      }
      export_figure(e, export_opt);
      std::cerr << "initscope: wrote " << export_opt.out << "\n";
    } else {
      // `initscope` alone or `initscope gui ...`
      const Experiment e = gui_experiment(gui_args, gui_lesson, gui_opt);
      if (!gui_size.empty()) parse_size(gui_size, gui_opt.width, gui_opt.height);
      if (!gui_font_scale.empty()) {
        gui_opt.font_scale = static_cast<float>(limits::kFontScale.parse(gui_font_scale));
      }
      if (!gui_opt.theme.empty() && gui_opt.theme != "dark" && gui_opt.theme != "light") {
        throw UsageError("--theme '" + gui_opt.theme + "': allowed: dark, light");
      }
      if (gui_opt.frames < 0) throw UsageError("--frames: must be ≥ 0");
      if (!gui_network.empty()) gui_opt.network = parse_gan_network(gui_network);
      if (gui_gan || !gui_gan_config.empty()) {
        GanConfig c = gui_gan_config.empty() ? GanConfig{}
                                             : load_gan_config_file(gui_gan_config, "--gan-config");
        if (c.inits.empty()) c.inits = GanConfig::default_inits();
        c.validate();
        gui_opt.gan = c;
      }
      if (!gui_layer.empty())
        gui_opt.history_layer = static_cast<int>(parse_integer("--layer", gui_layer, 1, e.layers));
      if (!gui_steps.empty()) {
        if (!e.training && !gui_opt.gan && !e.gan)
          throw UsageError(
              "--steps: only in training mode (an experiment with a \"training\" object, e.g. "
              "--preset mnist-784-256-256-10)");
        gui_opt.steps = limits::kSteps.parse_int(gui_steps);
      }
      if (!gui_opt.screenshot.empty()) {
        if (!has_png_extension(gui_opt.screenshot))
          throw UsageError("--screenshot '" + quoted_prefix(gui_opt.screenshot) +
                           "': the window is saved as PNG only; give a name ending in .png");
        check_writable(gui_opt.screenshot, gui_opt.force);
      }
      return run_gui(e, gui_opt);
    }
  } catch (const UsageError& e) {
    std::cerr << "initscope: " << e.what() << "\n";
    return 2;
  } catch (const RuntimeError& e) {
    std::cerr << "initscope: " << e.what() << "\n";
    return 1;
  } catch (const std::bad_alloc&) {
    std::cerr << "initscope: out of memory; make the experiment smaller\n";
    return 1;
  }
  return 0;
}

}  // namespace initscope
