// run_gui: the window's life, in named parts — the options checked into settings, the window
// opened (GLFW + OpenGL 3.3 + the ImGui backends), the loop (frame.h: prepare, redraw rule,
// build; then draw, PNGs, swap), a scripted run's capture, and the settings saved at exit.
#include "gui.h"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <malloc.h>
#include <pthread.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app_state.h"
#include "core/error.h"
#include "core/experiment_heading.h"
#include "core/file_io.h"
#include "core/heap_pages.h"
#include "core/json_text.h"
#include "core/lesson.h"
#include "core/limits.h"
#include "export/gl_pixels.h"
#include "export/png_io.h"
#include "frame.h"
#include "gan_textures.h"
#include "panel_png.h"
#include "render/theme.h"

namespace initscope {
namespace {

// What the command line sets, checked: the settings the window starts with and its size.
struct WindowStart {
  app::Settings settings;
  int width = 0, height = 0;
};

WindowStart check_options(const Experiment& e, const GuiOptions& opt, bool scripted) {
  e.validate();
  if (!opt.screenshot.empty()) check_writable(opt.screenshot, opt.force);
  app::Settings settings = scripted ? app::Settings{} : app::load_settings();
  if (!opt.theme.empty()) {
    if (opt.theme != "dark" && opt.theme != "light")
      throw UsageError("--theme '" + opt.theme + "': allowed: dark, light");
    settings.theme = opt.theme;
  }
  if (!opt.view.empty() && !app::parse_view(opt.view, settings.view))
    throw UsageError("--view '" + opt.view +
                     "': allowed: grid, heatmap, history, phase, training, signal");
  if (opt.steps < 0) throw UsageError("--steps " + std::to_string(opt.steps) + ": must be ≥ 0");
  if (opt.steps > 0 && !e.training && !opt.gan && !e.gan)
    throw UsageError(
        "--steps: only in training mode (an experiment with a \"training\" object, e.g. "
        "--preset mnist-784-256-256-10)");
  if (!opt.quantity.empty() && !render::parse_quantity(opt.quantity, settings.quantity))
    throw UsageError("--quantity '" + opt.quantity + "': allowed: " + render::quantity_keys_text());
  if (opt.history_layer < 0 || opt.history_layer > e.layers)
    throw UsageError("--layer " + std::to_string(opt.history_layer) + ": allowed 1 to " +
                     std::to_string(e.layers));
  if (opt.font_scale != 0) {
    limits::kFontScale.check(opt.font_scale);
    settings.font_scale = opt.font_scale;
  }
  // --size wins when given (or scripted); otherwise the remembered size.
  int width = settings.window_width, height = settings.window_height;
  if (scripted || opt.width != GuiOptions{}.width || opt.height != GuiOptions{}.height) {
    limits::kFigureSide.check(opt.width);
    limits::kFigureSide.check(opt.height);
    width = opt.width, height = opt.height;
  }
  return {settings, width, height};
}

// Ctrl+C / kill in the terminal closes the window normally (settings are saved). The signals
// are blocked from the start of run_gui — every thread started later (the workers, the GL
// driver's) inherits that — and the loop sees them pending: no handler, no global flag.
class InterruptWatch {
 public:
  InterruptWatch() {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals_, &previous_);
  }
  ~InterruptWatch() {
    const timespec now{0, 0};
    while (sigtimedwait(&signals_, nullptr, &now) > 0) {
    }  // consumed: the window has closed because of it
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  InterruptWatch(const InterruptWatch&) = delete;
  InterruptWatch& operator=(const InterruptWatch&) = delete;
  bool interrupted() const {
    sigset_t pending;
    sigpending(&pending);
    return sigismember(&pending, SIGINT) == 1 || sigismember(&pending, SIGTERM) == 1;
  }

 private:
  sigset_t signals_, previous_;
};

std::string glfw_error_text() {
  const char* description = nullptr;
  const int code = glfwGetError(&description);
  return description ? description : "error " + std::to_string(code);
}

std::string window_title(const Experiment& e) {
  return "initscope \xE2\x80\x94 " + experiment_heading(e).title;
}

// What GLFW's callbacks reach through the window's user pointer: any input marks the time (the
// redraw rule); a new monitor scale rebuilds the fonts. ImGui's GLFW backend chains to these.
struct WindowEvents {
  app::AppState* app = nullptr;
  double last_input = 0;
};
WindowEvents& events_of(GLFWwindow* w) {
  return *static_cast<WindowEvents*>(glfwGetWindowUserPointer(w));
}
void mark_input(GLFWwindow* w) {
  events_of(w).last_input = glfwGetTime();
}
void install_callbacks(GLFWwindow* w, WindowEvents& events) {
  glfwSetWindowUserPointer(w, &events);
  glfwSetCursorPosCallback(w, [](GLFWwindow* w, double, double) { mark_input(w); });
  glfwSetMouseButtonCallback(w, [](GLFWwindow* w, int, int, int) { mark_input(w); });
  glfwSetScrollCallback(w, [](GLFWwindow* w, double, double) { mark_input(w); });
  glfwSetKeyCallback(w, [](GLFWwindow* w, int, int, int, int) { mark_input(w); });
  glfwSetCharCallback(w, [](GLFWwindow* w, unsigned int) { mark_input(w); });
  glfwSetCursorEnterCallback(w, [](GLFWwindow* w, int) { mark_input(w); });
  glfwSetWindowFocusCallback(w, [](GLFWwindow* w, int) { mark_input(w); });
  glfwSetFramebufferSizeCallback(w, [](GLFWwindow* w, int, int) { mark_input(w); });
  glfwSetWindowContentScaleCallback(w, [](GLFWwindow* w, float xs, float) {
    app::AppState* app = events_of(w).app;
    if (app && xs > 0 && std::fabs(xs - app->content_scale) > 1e-3f) {
      app->content_scale = xs;
      app->font_rebuild = true;
    }
  });
}

// The window and its ImGui backends, torn down on every exit path (exceptions included).
class GlfwWindow : public app::FramePlatform {
 public:
  GlfwWindow(int width, int height, const std::string& title, bool scripted) {
    if (!glfwInit())
      throw RuntimeError("cannot open a window: " + glfw_error_text() +
                         " (is DISPLAY set? for figures without a display use `initscope "
                         "export`)");
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    window_ = glfwCreateWindow(width, height, title.c_str(), nullptr, nullptr);
    if (!window_) {
      const std::string why = glfw_error_text();
      glfwTerminate();
      throw RuntimeError("cannot create an OpenGL 3.3 window: " + why);
    }
    glfwMakeContextCurrent(window_);
    glfwSwapInterval(scripted ? 0 : 1);
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;  // the layout is tiled and computed, nothing to store
    install_callbacks(window_, events_);   // before the backend, which chains to them
    ImGui_ImplGlfw_InitForOpenGL(window_, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");
  }
  ~GlfwWindow() override {
    gan_textures_.release();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window_);
    glfwTerminate();
  }
  GlfwWindow(const GlfwWindow&) = delete;
  GlfwWindow& operator=(const GlfwWindow&) = delete;

  GLFWwindow* handle() const { return window_; }
  WindowEvents& events() { return events_; }

  void new_frame() override {
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
  }
  void upload_fonts() override {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
  const render::GanSampleImages* gan_sample_images(const GanSnapshot* g) override {
    return gan_textures_.update(g);
  }
  void toggle_fullscreen(app::AppState& app) override {
    if (!app.fullscreen) {
      glfwGetWindowPos(window_, &app.windowed_x, &app.windowed_y);
      glfwGetWindowSize(window_, &app.windowed_w, &app.windowed_h);
      GLFWmonitor* monitor = glfwGetPrimaryMonitor();
      const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
      if (!mode) return;
      glfwSetWindowMonitor(window_, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
      app.fullscreen = true;
    } else {
      glfwSetWindowMonitor(window_, nullptr, app.windowed_x, app.windowed_y, app.windowed_w,
                           app.windowed_h, 0);
      app.fullscreen = false;
    }
  }

  // Clears to the theme's background and draws ImGui's lists; returns the framebuffer size.
  std::pair<int, int> draw(render::Theme theme) {
    int fb_w = 0, fb_h = 0;
    glfwGetFramebufferSize(window_, &fb_w, &fb_h);
    glViewport(0, 0, fb_w, fb_h);
    const ImVec4 bg = render::clear_color(theme);
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    return {fb_w, fb_h};
  }

 private:
  GLFWwindow* window_ = nullptr;
  app::GanSampleTextures gan_textures_;
  WindowEvents events_;
};

// Frame times of a scripted run, for the window benchmark.
struct FrameTimes {
  std::vector<double> loop_ms, build_ms;
  void add(double loop, double build) {
    loop_ms.push_back(loop);
    build_ms.push_back(build);
  }
  nlohmann::ordered_json json(double updates_per_s, double update_ms, uint64_t updates) const;
};

nlohmann::ordered_json time_summary(std::vector<double> v) {
  nlohmann::ordered_json j;
  if (v.empty()) return j;
  std::sort(v.begin(), v.end());
  double sum = 0;
  for (double x : v) sum += x;
  j["mean"] = sum / static_cast<double>(v.size());
  j["p50"] = v[v.size() / 2];
  j["p95"] = v[std::min(v.size() - 1, v.size() * 95 / 100)];
  j["max"] = v.back();
  return j;
}

nlohmann::ordered_json FrameTimes::json(double updates_per_s, double update_ms,
                                        uint64_t updates) const {
  nlohmann::ordered_json j;
  j["frames"] = loop_ms.size();
  j["frame_ms"] = time_summary(loop_ms);   // poll → build → render → swap
  j["build_ms"] = time_summary(build_ms);  // build + render calls (CPU), without the swap
  j["updates_per_s"] = updates_per_s;
  j["last_update_ms"] = update_ms;
  j["updates"] = updates;
  return j;
}

// The GAN's training rate as the window sees it (wall clock between the first and the last
// snapshot with a new step, probes and snapshot copies included), against the worker's own
// rate of its last burst (the steps alone).
struct GanStepRate {
  uint64_t first_step = 0, last_step = 0;
  double first_s = -1, last_s = 0;
  void see(uint64_t step, double now) {
    if (first_s < 0 || step < first_step) first_step = last_step = step, first_s = last_s = now;
    if (step > last_step) last_step = step, last_s = now;
  }
  nlohmann::ordered_json json(double burst_steps_per_s) const {
    nlohmann::ordered_json j;
    const double s = last_s - first_s;
    j["steps"] = last_step - first_step;
    j["seconds"] = s;
    j["g_steps_per_s"] = s > 0 ? double(last_step - first_step) / s : 0.0;
    j["last_burst_g_steps_per_s"] = burst_steps_per_s;
    return j;
  }
};

// A scripted run (--frames / --screenshot / --timing): frames count once the figure has what it
// shows — the phase diagram's field (from its own thread), a few updates of history, in
// training mode training at --steps (or finished); after --frames of them the screenshot and
// the timings are written and the window closes. Throws when the run cannot get there.
class ScriptedCapture {
 public:
  ScriptedCapture(const GuiOptions& opt, double start) : opt_(opt), start_(start) {}

  // After the frame is drawn, before the swap; true when done.
  bool after_draw(app::AppState& app, int fb_w, int fb_h, double now) {
    const bool trained =
        app.gan_mode()
            ? app.gan.snap && (app.gan.snap->step >= uint64_t(opt_.steps) || app.gan.snap->finished)
            : !app.trainer || (app.train_snap && (app.train_snap->step >= uint64_t(opt_.steps) ||
                                                  app.train_snap->finished));
    const bool figure_ready =
        (app.settings.view != app::FigureView::Phase ||
         (app.snap && app.phase_grid.get(app.snap->experiment.activation))) &&
        (app.settings.view != app::FigureView::History || app.history.size() >= 3 ||
         (app.train_snap && app.train_snap->finished));
    if ((app.snap || app.gan.snap) && trained && figure_ready) ++frames_with_snapshot_;
    if (app.gan.snap) gan_rate_.see(app.gan.snap->step, now);
    if (app.gan_mode() && app.gan.status.phase == TrainingPhase::Error)
      throw RuntimeError(app.gan.status.error);
    if (frames_with_snapshot_ >= std::max(1, opt_.frames)) {
      write(app, fb_w, fb_h);
      return true;
    }
    if (!app.snap && !app.status.error.empty() && !app.status.busy)
      throw RuntimeError(app.status.error);
    if (app.trainer && app.train_status.phase == TrainingPhase::Error)
      throw RuntimeError(app.train_status.error);
    if (!app.snap && now - start_ > 300)
      throw RuntimeError("no snapshot after 300 s: the experiment is too large to show");
    if (app.trainer && !trained && now - start_ > 900)
      throw RuntimeError("training did not reach step " + std::to_string(opt_.steps) +
                         " within 900 s");
    return false;
  }
  FrameTimes& times() { return times_; }

 private:
  void write(const app::AppState& app, int fb_w, int fb_h) const {
    // The experiment as run (in training mode: with its training config filled in).
    std::string settings;
    if (app.gan_mode()) {  // the GAN's config, which `export --config FILE.png` runs again
      nlohmann::ordered_json j;
      j["gan"] = app.gan.config.to_json();
      settings = json_text(j);
    } else {
      settings = json_text(
          shown_config_json(app.train_snap ? app.train_snap->experiment : app.snap->experiment));
    }
    if (!opt_.screenshot.empty()) {
      write_png(opt_.screenshot, read_gl_pixels(fb_w, fb_h), settings, opt_.force);
      // As `export` says it: where the file went.
      std::fprintf(stderr, "initscope: wrote %s\n", opt_.screenshot.c_str());
    }
    if (!opt_.timing.empty()) {
      const RunnerStatus st = app.runner.status();
      nlohmann::ordered_json j = times_.json(st.updates_per_s, st.last_update_ms, st.updates);
      if (app.gan_mode()) j["gan"] = gan_rate_.json(app.gan.status.steps_per_s);
      write_file_atomic(opt_.timing, json_text(j, 2), true);
    }
  }
  const GuiOptions& opt_;
  const double start_;
  int frames_with_snapshot_ = 0;
  FrameTimes times_;
  GanStepRate gan_rate_;
};

// The loop until the window closes, Ctrl+C, or a scripted run is done.
void run_loop(GlfwWindow& window, app::AppState& app, const InterruptWatch& interrupts,
              const GuiOptions& opt) {
  GLFWwindow* w = window.handle();
  std::string title = window_title(app.current);
  std::optional<ScriptedCapture> capture;
  if (app.scripted) capture.emplace(opt, glfwGetTime());
  app::RedrawClock clock;
  window.events().last_input = glfwGetTime();
  while (!glfwWindowShouldClose(w) && !interrupts.interrupted()) {
    const double loop_start = glfwGetTime();
    glfwPollEvents();
    app::prepare_frame(app, window);
    clock.now = glfwGetTime();
    clock.last_input = window.events().last_input;
    const app::AppState::WorkerView latest = app.poll_workers();
    if (!app::frame_needed(app, latest, clock)) {
      glfwWaitEventsTimeout(1.0 / 60.0);
      continue;
    }
    clock.last_frame = clock.now;

    const double build_start = glfwGetTime();
    app::build_frame(app, latest, window);
    const auto [fb_w, fb_h] = window.draw(app.theme);
    app.frame_ms = 1000.0 * (glfwGetTime() - build_start);
    if (capture && capture->after_draw(app, fb_w, fb_h, glfwGetTime())) break;
    app::save_requested_window_png(app, fb_w, fb_h);
    glfwSwapBuffers(w);
    if (capture && app.snap)
      capture->times().add(1000.0 * (glfwGetTime() - loop_start), app.frame_ms);
    app::save_requested_panel_png(app);
    if (const std::string t = window_title(app.current); t != title) {
      title = t;
      glfwSetWindowTitle(w, title.c_str());
    }
    // At most 60 frames/s even where swapping does not wait for the display (Xvfb).
    const double wait = 1.0 / 60.0 - (glfwGetTime() - loop_start);
    if (wait > 0) glfwWaitEventsTimeout(wait);
  }
}

// The window's size (windowed, when it ends in full screen) and the rest of the settings.
void save_window_settings(GLFWwindow* w, app::AppState& app) {
  if (app.fullscreen) {
    app.settings.window_width = app.windowed_w, app.settings.window_height = app.windowed_h;
  } else {
    glfwGetWindowSize(w, &app.settings.window_width, &app.settings.window_height);
  }
  std::string err;
  if (!app::save_settings(app.settings, &err))
    std::fprintf(stderr, "initscope: settings not saved: %s\n", err.c_str());
}

}  // namespace

int run_gui(const Experiment& e, const GuiOptions& opt) {
  const bool scripted = opt.frames > 0 || !opt.screenshot.empty();
  const WindowStart start = check_options(e, opt, scripted);
  const InterruptWatch interrupts;

  // The GL driver may allocate and free megabytes every frame (Mesa's llvmpipe does: its
  // scene and tile buffers); glibc then trims the heap after each frame and the next one faults
  // every page back in. Keeping up to 256 MB of freed memory took the UI thread's build +
  // render calls under Xvfb from 9–13 ms to 3.2 ms a frame. main() set the same (heap_pages.h);
  // this is for the window started in-process (tests, benchmarks).
  mallopt(M_TRIM_THRESHOLD, kKeptFreeHeap);
  GlfwWindow window(start.width, start.height, window_title(e), scripted);
  app::AppState app(window.handle(), e, start.settings, scripted);
  app.history_layer = opt.history_layer;
  if (opt.gan) {
    app.gan.config = *opt.gan;
    app.gan.network = opt.network;
    app.set_gan(true);
    if (opt.view.empty()) app.set_view(app::FigureView::Training);
  } else if (app.gan_mode()) {  // a GAN preset
    app.gan.network = opt.network;
    if (opt.view.empty()) app.set_view(app::FigureView::Training);
  }
  app.set_presenting(opt.present, /*raise_text=*/opt.font_scale == 0);  // --font-scale wins
  if (!opt.lesson.empty()) {
    const auto phase = opt.lesson_reveal ? app::LessonPhase::Reveal : app::LessonPhase::Question;
    if (std::string err =
            app::open_lesson(app, load_lesson(opt.lesson), opt.lesson_step - 1, phase);
        !err.empty())
      throw UsageError("--lesson " + opt.lesson + ": " + err);
  }
  window.events().app = &app;
  float xs = 1, ys = 1;
  glfwGetWindowContentScale(window.handle(), &xs, &ys);
  app.content_scale = xs > 0 ? xs : 1.0f;
  app::rebuild_fonts(app, window);

  run_loop(window, app, interrupts, opt);
  if (!scripted) save_window_settings(window.handle(), app);
  app.runner.stop();
  window.events().app = nullptr;
  return 0;
}

}  // namespace initscope
