#pragma once
// Everything the window's views share during a frame. The simulation lives in `runner` (its own
// thread); the UI only reads snapshots and sends requests.
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "controls_state.h"
#include "core/experiment.h"
#include "core/live_runner.h"
#include "core/training/training_runner.h"
#include "gan_mode.h"
#include "layout.h"
#include "lesson_state.h"
#include "phase_grid_task.h"
#include "render/figure.h"
#include "render/histogram_history.h"
#include "settings.h"

namespace initscope::render {
struct GanSampleImages;
}

struct GLFWwindow;

namespace initscope::app {

// A request to render one figure off screen and save it (handled between frames).
struct PanelPngRequest {
  render::FigureKind figure = render::FigureKind::Grid;  // that figure as a whole …
  struct Cell {
    int column = 0, layer = 1;  // 0-based column, 1-based layer
  };
  std::optional<Cell> cell;  // … or, with Grid, one cell of it
  float scale = 2.0f;        // pixels per window pixel
};

struct AppState {
  // `window` may be null (tests drive the views without one).
  AppState(GLFWwindow* window, const Experiment& e, Settings settings, bool scripted,
           int compute_threads = 0);
  ~AppState();  // waits for retired training runners

  GLFWwindow* window;
  bool scripted;  // --frames/--screenshot: no settings saved, no dialogs
  LiveRunner runner;
  Experiment current;  // the experiment last handed to the runner
  ControlsState controls;
  Settings settings;
  render::Theme theme = render::Theme::Dark;

  float content_scale = 1.0f;  // monitor's (HiDPI)
  float font_px = 17.0f;       // what the atlas holds now
  bool font_rebuild = false;   // rebuild the atlas before the next frame

  // Training mode (issue 6): on while the experiment has a "training" object. The networks
  // train on their own thread; the explore runner is paused meanwhile, and `snap` is the
  // newest training snapshot's probe (per-layer statistics with gradients), so every view
  // works unchanged and "over time" follows training (x = step).
  std::unique_ptr<TrainingRunner> trainer;
  std::shared_ptr<const TrainingSnapshot> train_snap;  // this frame's newest, null before one
  TrainingStatus train_status;                         // this frame's
  int train_burst = 50;                                // steps between training snapshots
  bool training() const { return trainer != nullptr; }
  // Switches to training (a training config with the defaults, the last layer resized to the
  // 10 classes, input = the images) or back to exploring; returns the refusal, "" if done.
  std::string set_training(bool on);
  void set_train_burst(int steps);
  // The Training tab's GAN mode (issue 14): the explore runner rests and classifier training
  // stops while it is on; `snap` is the GAN's probe of gan.network.
  GanMode gan;
  // This frame's sample textures of gan.snap (the window's, gan_textures.h); null: rectangles.
  const render::GanSampleImages* gan_images = nullptr;
  bool gan_mode() const { return gan.on(); }
  // On: starts the GAN worker (classifier training, if any, ends); off: back to exploring.
  void set_gan(bool on);
  // The GAN's edited config: validated and handed to the worker, or the message (nothing
  // changes).
  std::string apply_gan(const GanConfig& c);
  // The transport, in either mode: Space, → and R.
  bool playing() const;
  void toggle_playing();
  void step();   // explore: one update; training: one burst of train_burst steps, paused
  void reset();  // explore: new weights (seed + 1); training: start over from the same init

  // The workers' newest state, read without waiting (their locks are held only to copy
  // pointers). In training mode `snap` is the newest training snapshot's probe: a Snapshot that
  // lives as long as the training snapshot holding it (an aliasing shared_ptr).
  struct WorkerView {
    std::shared_ptr<const Snapshot> snap;
    RunnerStatus status;
    std::shared_ptr<const TrainingSnapshot> train_snap;
    TrainingStatus train_status;
    std::shared_ptr<const GanSnapshot> gan_snap;
    TrainingStatus gan_status;
  };
  WorkerView poll_workers() const;
  void show(const WorkerView& v);  // makes `v` this frame's view (snap, status, train_*)

  // This frame's view of the worker.
  std::shared_ptr<const Snapshot> snap;
  RunnerStatus status;
  double busy_since = -1;  // glfwGetTime() when the worker became busy, -1 if idle

  double frame_ms = 0;  // CPU time to build and render the last frame

  // The lesson being given (lesson_state.h), if any: its panel replaces the narrative.
  std::optional<LessonProgress> lesson;

  // Figure views (settings.view picks one).
  void set_view(FigureView v);   // from keys or menus: the tab follows
  bool view_tab_pending = true;  // the tab bar has yet to show settings.view
  // "Over time": one layer's histograms from successive snapshots (recorded every frame).
  render::HistogramHistory history;
  int history_layer = 0;     // its layer, 1-based; 0 = the last layer
  PhaseGridTask phase_grid;  // the phase diagram's χ₁ field, computed off the UI thread
  int phase_column = 0;      // the column a click in the phase diagram moves

  // Presentation mode (F5, `gui --present`; F5 or Esc leaves): no menu, controls, tabs or status
  // bar; the figure (the compact grid, render::FigureOptions::compact) and the narrative fill
  // the window. Entering raises the text to at least ×1.5; leaving gives back the text size it
  // had, unless it was changed meanwhile.
  bool presenting = false;
  float font_scale_before_present = 0;                   // 0: not raised on entering
  void set_presenting(bool on, bool raise_text = true);  // raise_text: to ×1.5 at least

  bool fullscreen = false, fullscreen_toggle = false;
  int windowed_x = 0, windowed_y = 0, windowed_w = 0, windowed_h = 0;

  bool save_window_png = false;              // Ctrl+S: after the next Render()
  std::optional<PanelPngRequest> panel_png;  // right-click "Save this as PNG"
  bool open_export_dir_dialog = false, open_save_experiment = false, open_open_experiment = false,
       open_export_data = false;
  // What waits for the export folder to be chosen (the dialog opens when none is set yet).
  enum class AfterExportDir { Nothing, SaveWindow, SavePanel, ExportData };
  AfterExportDir after_export_dir = AfterExportDir::Nothing;
  // The fields of a modal dialog while it is open (dialogs.cpp).
  struct DialogFields {
    std::string path, error;
    bool overwrite = false;  // save: the user ticked "overwrite"
  };
  DialogFields export_dir_dialog, save_dialog, open_dialog;
  // The grid cell its right-click menu was opened on (nothing: outside every cell).
  std::optional<PanelPngRequest::Cell> grid_menu_cell;

  std::string notice;  // short message shown in the status bar ("Saved …")
  bool notice_error = false;
  double notice_until = 0;

  void notify(const std::string& text, bool error = false);
  float font_scale() const { return settings.font_scale; }
  void set_font_scale(float s);
  void set_theme(render::Theme t);
  render::FigureOptions figure_options() const;
  // What this frame's figure of that kind is drawn from (render::draw_figure): the snapshot,
  // the history, the training snapshot; for Phase only, the χ₁ field (asking for it starts
  // its computation) and the selected column.
  render::FigureSources figure_sources(render::FigureKind kind);
  PanelToggles toggles() const;
  UiMetrics metrics() const { return ui_metrics(font_px); }
  // This frame's layout for the window's current size (uses the snapshot's row count).
  MainLayout layout() const;
  MainLayout last_layout;  // what draw_ui laid out this frame

  // Validates and checks memory; on success hands `e` to the runner and returns "",
  // otherwise returns the message and changes nothing.
  std::string apply(const Experiment& edited);
  // What the figures show. A gradient needs the backward pass: it is switched on (apply); if
  // that is refused, the quantity stays and the message is returned.
  std::string set_quantity(render::Quantity q);
  // The backward pass on/off with its loss (sum | mse | xent). Off while a gradient is shown
  // switches the figures back to activations.
  std::string set_gradients(bool on, const std::string& loss);
  // Moves column c's point in the phase diagram (phase_point.h): rewrites its init and the
  // shared bias; notifies what changed.
  std::string move_phase_point(int column, double sigma_w2, double sigma_b2);
  void load_preset(const std::string& name);
  void reseed();        // new weights from seed + 1
  void request_quit();  // closes the window after this frame (no-op without a window)
  // What the figures say while there is no snapshot yet: "" or the error to show in red.
  std::string waiting_text(bool* is_error) const;
  // The presets whose experiment has a "training" object (the Training view's hint), found
  // once on first use.
  const std::vector<std::string>& training_presets();

 private:
  int compute_threads_ = 0;
  // Runners being stopped off the UI thread (a runner reading the data cannot be cancelled
  // before it has read them; the window must not wait for that).
  std::vector<std::future<void>> retiring_;
  void retire_trainer();
  void retire_gan();
  // GAN mode with e.gan (a GAN preset): started, or the running GAN restarted with it.
  void start_gan_of(const Experiment& e);
  std::optional<std::vector<std::string>> training_presets_;
};

}  // namespace initscope::app
