#include "app_state.h"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <chrono>

#include "core/error.h"
#include "core/experiment_heading.h"
#include "core/presets.h"
#include "phase_point.h"
#include "render/fonts.h"
#include "views.h"

namespace initscope::app {

namespace {

// The experiment as the window starts it: a gradient view (remembered or asked for) needs the
// backward pass from the first update on.
Experiment starting_experiment(const Experiment& e, const Settings& s) {
  Experiment out = e;
  if (render::is_gradient(s.quantity)) out.gradients = true;
  return out;
}

}  // namespace

AppState::AppState(GLFWwindow* w, const Experiment& e, Settings s, bool is_scripted,
                   int compute_threads)
    : window(w),
      scripted(is_scripted),
      // In training mode the explore runner only draws the weights, then waits.
      runner(starting_experiment(e, s), /*playing=*/!e.training, compute_threads),
      current(starting_experiment(e, s)),
      settings(std::move(s)),
      compute_threads_(compute_threads) {
  controls.sync(current);
  theme = settings.theme == "light" ? render::Theme::Light : render::Theme::Dark;
  if (current.training)
    trainer =
        std::make_unique<TrainingRunner>(current, /*playing=*/true, compute_threads, train_burst);
  else if (current.gan)
    start_gan_of(current);
}

void AppState::start_gan_of(const Experiment& e) {
  gan.config = *e.gan;
  if (gan.runner) {
    gan.edited = gan.config;
    gan.sync_fields();
    gan.runner->set_experiment(gan.config);
    return;
  }
  runner.set_playing(false);
  gan.start(compute_threads_);
  gan.runner->set_burst_steps(gan.burst);
}

AppState::~AppState() {
  if (trainer) trainer->stop();
  gan.stop();
  for (auto& f : retiring_) f.wait();
}

void AppState::retire_trainer() {
  if (!trainer) return;
  std::shared_ptr<TrainingRunner> r(std::move(trainer));
  retiring_.erase(std::remove_if(retiring_.begin(), retiring_.end(),
                                 [](const std::future<void>& f) {
                                   return f.wait_for(std::chrono::seconds(0)) ==
                                          std::future_status::ready;
                                 }),
                  retiring_.end());
  retiring_.push_back(std::async(std::launch::async, [r] { r->stop(); }));
  train_snap.reset();
  train_status = TrainingStatus{};
}

void AppState::retire_gan() {
  if (!gan.runner) return;
  std::shared_ptr<GanRunner> r(std::move(gan.runner));
  retiring_.push_back(std::async(std::launch::async, [r] { r->stop(); }));
  gan.stop();  // clears the snapshot and status (the runner is gone already)
}

void AppState::set_gan(bool on) {
  if (on == gan_mode()) return;
  if (on) {
    if (training()) set_training(false);
    runner.set_playing(false);
    gan.start(compute_threads_);
    gan.runner->set_burst_steps(gan.burst);
    notify("GAN on Fashion-MNIST: every column trains a generator and a discriminator");
    return;
  }
  retire_gan();
  runner.set_playing(true);
  notify("Exploring: random inputs, no training");
}

std::string AppState::apply_gan(const GanConfig& c) {
  return gan.apply(c);
}

std::string AppState::set_training(bool on) {
  if (on && gan_mode()) retire_gan();
  if (on == training()) return "";
  Experiment e = current;
  if (on) {
    // The network as it is, trained on the images: input = the image size (resolved by the
    // trainer), the last layer = the 10 classes of Fashion-MNIST, a probe of at most 1000
    // test images.
    e.training = TrainingConfig{};
    e.input_dim = 0;
    if (e.widths.size() == 1) e.widths.assign(static_cast<size_t>(e.layers), e.widths.front());
    if (!e.widths.empty()) e.widths.back() = 10;
    e.batch = std::min(e.batch, 1000);
  } else {
    e.training.reset();
  }
  const std::string err = apply(e);
  if (!err.empty()) {
    notify(err, true);
    return err;
  }
  controls.sync(current);
  notify(on ? "Training on the images: every column trains from its init"
            : "Exploring: random inputs, no training");
  return "";
}

void AppState::set_train_burst(int steps) {
  train_burst = std::clamp(steps, 1, 100000);
  if (trainer) trainer->set_burst_steps(train_burst);
  gan.burst = train_burst;
  if (gan.runner) gan.runner->set_burst_steps(train_burst);
}

bool AppState::playing() const {
  if (gan.runner) return gan.runner->playing();
  return trainer ? trainer->playing() : runner.playing();
}

void AppState::toggle_playing() {
  if (gan.runner)
    gan.runner->set_playing(!gan.runner->playing());
  else if (trainer)
    trainer->set_playing(!trainer->playing());
  else
    runner.set_playing(!runner.playing());
}

void AppState::step() {
  if (gan.runner) {
    gan.runner->set_playing(false);
    gan.runner->step_once();
    return;
  }
  if (!trainer) {
    runner.step();
    return;
  }
  trainer->set_playing(false);
  trainer->step_once();
}

void AppState::reset() {
  if (gan.runner) {
    gan.runner->set_experiment(gan.config);
    notify("The GAN starts over from the init (seed " + std::to_string(gan.config.seed) + ")");
    return;
  }
  if (!trainer) {
    reseed();
    return;
  }
  trainer->set_experiment(current);
  notify("Training starts over from the init (seed " + std::to_string(current.seed) + ")");
}

std::string AppState::waiting_text(bool* is_error) const {
  *is_error = false;
  if (gan.runner) {
    if (gan.status.phase == TrainingPhase::Error) {
      *is_error = true;
      return gan.status.error;
    }
    if (gan.status.phase == TrainingPhase::Loading)
      return "Reading the images from " + gan.config.resolved_data() + "\xE2\x80\xA6";
    return "Drawing every column's generator and discriminator\xE2\x80\xA6";
  }
  if (trainer) {
    const TrainingStatus& st = train_status;
    if (st.phase == TrainingPhase::Error) {
      *is_error = true;
      return st.error;
    }
    if (st.phase == TrainingPhase::Loading)
      return "Reading the images from " + current.training_data() + "\xE2\x80\xA6";
    return "Drawing the weights of every column\xE2\x80\xA6";
  }
  if (!status.error.empty()) {
    *is_error = true;
    return status.error;
  }
  return "Computing the first update\xE2\x80\xA6";
}

AppState::WorkerView AppState::poll_workers() const {
  WorkerView v;
  v.status = runner.status();
  if (gan.runner) {
    v.gan_snap = gan.runner->latest();
    v.gan_status = gan.runner->status();
    // The chosen network's probe, alive as long as the GAN snapshot (aliasing shared_ptr).
    if (v.gan_snap && !v.gan_snap->probe(gan.network).columns.empty())
      v.snap = std::shared_ptr<const Snapshot>(v.gan_snap, &v.gan_snap->probe(gan.network));
  } else if (trainer) {
    v.train_snap = trainer->latest();
    v.train_status = trainer->status();
    if (v.train_snap) v.snap = std::shared_ptr<const Snapshot>(v.train_snap, &v.train_snap->probe);
  } else {
    v.snap = runner.latest();
  }
  return v;
}

void AppState::show(const WorkerView& v) {
  snap = v.snap;
  status = v.status;
  train_snap = v.train_snap;
  train_status = v.train_status;
  gan.snap = v.gan_snap;
  gan.status = v.gan_status;
}

void AppState::notify(const std::string& text, bool error) {
  notice = text;
  notice_error = error;
  notice_until = ImGui::GetTime() + (error ? 8.0 : 5.0);
}

void AppState::set_font_scale(float s) {
  s = std::clamp(s, kMinFontScale, kMaxFontScale);
  if (s == settings.font_scale) return;
  settings.font_scale = s;
  font_rebuild = true;
}

void AppState::set_theme(render::Theme t) {
  theme = t;
  settings.theme = render::Theme::Dark == t ? "dark" : "light";
  font_rebuild = true;  // the style (colours and sizes) is rebuilt with the fonts
}

void AppState::set_presenting(bool on, bool raise_text) {
  if (on == presenting) return;
  presenting = on;
  if (on) {
    font_scale_before_present = 0;
    if (raise_text && settings.font_scale < kPresentFontScale) {
      font_scale_before_present = settings.font_scale;
      set_font_scale(kPresentFontScale);
    }
  } else if (font_scale_before_present > 0 && settings.font_scale == kPresentFontScale) {
    set_font_scale(font_scale_before_present);
  }
}

render::FigureOptions AppState::figure_options() const {
  render::FigureOptions o = window_figure_options(theme);
  o.compact = presenting;
  o.quantity = settings.quantity;
  o.log_counts = settings.log_counts;
  o.log_std = settings.log_std;
  o.log_loss = settings.log_loss;
  o.shared_x = settings.shared_x;
  o.every_k = std::max(1, settings.every_k);
  return o;
}

MainLayout AppState::layout() const {
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const UiMetrics m = metrics();
  // The grid scrolls past what it needs; the other views fit the height they get, and ask for
  // enough to stay readable (at large text the profiles give way to them).
  const float needed = settings.view != FigureView::Grid ? figure_needed_height(m.font_px)
                       : snap ? grid_needed_height(*snap, figure_options(), m)
                              : 0.0f;
  if (presenting) {
    const float narrative_w = settings.show_narrative || lesson
                                  ? presentation_narrative_width(*this, size.x, size.y)
                                  : 0.0f;
    return presentation_layout(size.x, size.y, m, narrative_w, settings.show_profiles, needed);
  }
  return main_layout(size.x, size.y, m, toggles(), !current.narrative.empty() || lesson.has_value(),
                     needed);
}

PanelToggles AppState::toggles() const {
  // A lesson's questions and explanations are its point: their panel stays.
  return {settings.show_controls, settings.show_profiles,
          settings.show_narrative || lesson.has_value()};
}

std::string AppState::apply(const Experiment& edited) {
  // A config's own title and narrative go once the experiment is no longer that config's.
  const Experiment e = without_stale_heading(current, edited);
  try {
    e.validate();
    e.check_memory();
  } catch (const std::exception& ex) {
    return ex.what();
  }
  current = e;
  if (e.training) {
    // Training mode: the explore runner rests; a running training starts over.
    runner.set_playing(false);
    if (trainer)
      trainer->set_experiment(e);
    else
      trainer =
          std::make_unique<TrainingRunner>(e, /*playing=*/true, compute_threads_, train_burst);
    return "";
  }
  if (trainer) {
    retire_trainer();
    runner.set_playing(true);
  }
  runner.set_experiment(e);
  return "";
}

void AppState::set_view(FigureView v) {
  settings.view = v;
  view_tab_pending = true;
}

std::string AppState::set_quantity(render::Quantity q) {
  // Training's probe always carries gradients: nothing to switch on (nor to restart).
  if (render::is_gradient(q) && !current.gradients && !trainer && !gan.runner) {
    if (const std::string err = set_gradients(true, current.loss); !err.empty()) return err;
  }
  settings.quantity = q;
  return "";
}

std::string AppState::set_gradients(bool on, const std::string& loss) {
  // The probes' backward passes (cross-entropy, the GAN's losses) are always on.
  if (trainer || gan.runner) return "";
  Experiment e = current;
  e.gradients = on;
  e.loss = loss;
  const std::string err = apply(e);
  controls.gradients = current.gradients;  // the widgets show what runs, refused or not
  controls.loss = current.loss;
  if (!err.empty()) {
    notify(err, true);
    return err;
  }
  if (!on && render::is_gradient(settings.quantity))
    settings.quantity = render::Quantity::Activation;
  return "";
}

std::string AppState::move_phase_point(int column, double sigma_w2, double sigma_b2) {
  if (column < 0 || column >= static_cast<int>(current.inits.size())) return "no such column";
  const Experiment e = with_phase_point(current, static_cast<size_t>(column), sigma_w2, sigma_b2);
  const bool bias_changed = (e.bias.has_value() != current.bias.has_value()) ||
                            (e.bias && current.bias && e.bias->text != current.bias->text);
  if (const std::string err = apply(e); !err.empty()) {
    notify(err, true);
    return err;
  }
  controls.sync(current);
  std::string msg = "Column " + std::to_string(column + 1) + ": " + e.inits[column].text;
  if (bias_changed)
    msg += e.bias ? "; bias " + e.bias->text + " for every column" : "; no bias (every column)";
  notify(msg);
  return "";
}

void AppState::load_preset(const std::string& name) {
  lesson.reset();  // a preset chosen by hand leaves the lesson
  try {
    Experiment e = initscope::load_preset(name);
    // The backward pass is a way of looking, not part of the story: it stays as it was.
    e.gradients = current.gradients || render::is_gradient(settings.quantity);
    e.loss = current.loss;
    const std::string err = apply(e);
    if (!err.empty()) {
      notify(err, true);
      return;
    }
    controls.sync(current);
    controls.clear_error();
    if (e.gan) {  // a GAN preset opens the Training tab's GAN mode with its config
      start_gan_of(e);
      set_view(FigureView::Training);
    } else if (gan_mode()) {
      set_gan(false);
    }
    notify("Preset: " + (e.title.empty() ? name : e.title));
  } catch (const std::exception& ex) {
    notify(ex.what(), true);
  }
}

void AppState::request_quit() {
  if (window) glfwSetWindowShouldClose(window, GLFW_TRUE);
}

void AppState::reseed() {
  if (gan.runner) {  // the GAN's seed: new weights for both networks, the GAN starts over
    GanConfig c = gan.config;
    c.seed += 1;
    if (const std::string err = apply_gan(c); !err.empty()) return notify(err, true);
    gan.edited = gan.config;
    gan.sync_fields();
    notify("New weights: the GAN starts over (seed " + std::to_string(gan.config.seed) + ")");
    return;
  }
  if (trainer) {
    Experiment e = current;
    e.seed += 1;
    apply(e);  // training starts over from the new weights
    controls.seed = current.seed;
    return;
  }
  current.seed += 1;
  controls.seed = current.seed;
  runner.reseed(current.seed);
}

const std::vector<std::string>& AppState::training_presets() {
  if (!training_presets_) {
    training_presets_.emplace();
    for (const PresetInfo& p : preset_list()) {
      try {
        if (initscope::load_preset(p.name).training) training_presets_->push_back(p.name);
      } catch (const std::exception&) {
      }
    }
  }
  return *training_presets_;
}

render::FigureSources AppState::figure_sources(render::FigureKind kind) {
  render::FigureSources src{snap.get(),       &history,       nullptr,   -1,
                            train_snap.get(), gan.snap.get(), gan_images};
  if (kind == render::FigureKind::Phase && snap) {
    src.phase = phase_grid.get(snap->experiment.activation);
    src.selected_column = phase_column;
  }
  return src;
}

}  // namespace initscope::app
