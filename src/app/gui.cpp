// run_gui: the window's life. The main loop keeps the order of Dear ImGui's
// example_glfw_opengl3/main.cpp (poll → new frames → build UI → Render → clear → draw → swap);
// between frames it rebuilds fonts, toggles full screen and renders PNGs.
#include "gui.h"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <malloc.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <vector>

#include "app_state.h"
#include "capture.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/json_text.h"
#include "core/limits.h"
#include "export/png_io.h"
#include "panel_png.h"
#include "render/fonts.h"
#include "render/theme.h"
#include "ui_style.h"
#include "views.h"

namespace initscope {
namespace {

std::string g_glfw_error;
void glfw_error(int code, const char* description) {
  g_glfw_error = description ? description : "error " + std::to_string(code);
}

// Tears GLFW down on every exit path (exceptions included).
struct GlfwSession {
  GLFWwindow* window = nullptr;
  bool imgui = false;
  ~GlfwSession() {
    if (imgui) {
      ImGui_ImplOpenGL3_Shutdown();
      ImGui_ImplGlfw_Shutdown();
      ImGui::DestroyContext();
    }
    if (window) glfwDestroyWindow(window);
    glfwTerminate();
  }
};

// Ctrl+C / kill in the terminal closes the window normally (settings are saved).
volatile std::sig_atomic_t g_interrupted = 0;
void on_signal(int) {
  g_interrupted = 1;
}

app::AppState* g_app = nullptr;  // for GLFW's content-scale callback

// Any input marks the time; frames are drawn while input is recent or something changed, so an
// idle window costs nothing (ImGui's GLFW backend chains to these callbacks).
double g_last_input = 0;
void mark_input() {
  g_last_input = glfwGetTime();
}
void on_cursor(GLFWwindow*, double, double) {
  mark_input();
}
void on_button(GLFWwindow*, int, int, int) {
  mark_input();
}
void on_scroll(GLFWwindow*, double, double) {
  mark_input();
}
void on_key(GLFWwindow*, int, int, int, int) {
  mark_input();
}
void on_char(GLFWwindow*, unsigned int) {
  mark_input();
}
void on_enter(GLFWwindow*, int) {
  mark_input();
}
void on_focus(GLFWwindow*, int) {
  mark_input();
}
void on_resize(GLFWwindow*, int, int) {
  mark_input();
}
void install_input_marks(GLFWwindow* w) {
  glfwSetCursorPosCallback(w, on_cursor);
  glfwSetMouseButtonCallback(w, on_button);
  glfwSetScrollCallback(w, on_scroll);
  glfwSetKeyCallback(w, on_key);
  glfwSetCharCallback(w, on_char);
  glfwSetCursorEnterCallback(w, on_enter);
  glfwSetWindowFocusCallback(w, on_focus);
  glfwSetFramebufferSizeCallback(w, on_resize);
}
void on_content_scale(GLFWwindow*, float xs, float) {
  if (g_app && xs > 0 && std::fabs(xs - g_app->content_scale) > 1e-3f) {
    g_app->content_scale = xs;
    g_app->font_rebuild = true;
  }
}

void rebuild_fonts(app::AppState& app) {
  app.font_px = render::font_pixels(app.settings.font_scale * app.content_scale);
  render::load_fonts(app.font_px);
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  app::apply_style(app.theme, app.font_px);
  app.font_rebuild = false;
}

void toggle_fullscreen(app::AppState& app) {
  app.fullscreen_toggle = false;
  if (!app.fullscreen) {
    glfwGetWindowPos(app.window, &app.windowed_x, &app.windowed_y);
    glfwGetWindowSize(app.window, &app.windowed_w, &app.windowed_h);
    GLFWmonitor* monitor = glfwGetPrimaryMonitor();
    const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
    if (!mode) return;
    glfwSetWindowMonitor(app.window, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
    app.fullscreen = true;
  } else {
    glfwSetWindowMonitor(app.window, nullptr, app.windowed_x, app.windowed_y, app.windowed_w,
                         app.windowed_h, 0);
    app.fullscreen = false;
  }
}

// Frame times of a scripted run, for the window benchmark.
struct FrameTimes {
  std::vector<double> loop_ms, build_ms;
  void add(double loop, double build) {
    loop_ms.push_back(loop);
    build_ms.push_back(build);
  }
  static nlohmann::ordered_json summary(std::vector<double> v) {
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
  nlohmann::ordered_json json(double updates_per_s, double update_ms, uint64_t updates) const {
    nlohmann::ordered_json j;
    j["frames"] = loop_ms.size();
    j["frame_ms"] = summary(loop_ms);   // poll → build → render → swap
    j["build_ms"] = summary(build_ms);  // build + render calls (CPU), without the swap
    j["updates_per_s"] = updates_per_s;
    j["last_update_ms"] = update_ms;
    j["updates"] = updates;
    return j;
  }
};

std::string window_title(const Experiment& e) {
  return "initscope \xE2\x80\x94 " + (e.title.empty() ? e.summary() : e.title);
}

}  // namespace

int run_gui(const Experiment& e, const GuiOptions& opt) {
  const bool scripted = opt.frames > 0 || !opt.screenshot.empty();
  e.validate();
  if (!opt.screenshot.empty()) check_writable(opt.screenshot, opt.force);
  app::Settings settings = scripted ? app::Settings{} : app::load_settings();
  if (!opt.theme.empty()) {
    if (opt.theme != "dark" && opt.theme != "light")
      throw UsageError("--theme '" + opt.theme + "': allowed: dark, light");
    settings.theme = opt.theme;
  }
  if (!opt.view.empty() && !app::parse_view(opt.view, settings.view))
    throw UsageError("--view '" + opt.view + "': allowed: grid, heatmap, history, phase, training");
  if (opt.steps < 0) throw UsageError("--steps " + std::to_string(opt.steps) + ": must be ≥ 0");
  if (opt.steps > 0 && !e.training)
    throw UsageError(
        "--steps: only in training mode (an experiment with a \"training\" object, e.g. "
        "--preset mnist-784-256-256-10)");
  if (!opt.quantity.empty() && !render::parse_quantity(opt.quantity, settings.quantity))
    throw UsageError("--quantity '" + opt.quantity + "': allowed: act, preact, grad, wgrad");
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

  // The GL driver may allocate and free megabytes every frame (Mesa's llvmpipe does: its
  // scene and tile buffers); glibc then trims the heap after each frame and the next one faults
  // every page back in. Keeping up to 256 MB of freed memory took the UI thread's build +
  // render calls under Xvfb from 9–13 ms to 3.2 ms a frame.
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  glfwSetErrorCallback(glfw_error);
  if (!glfwInit())
    throw RuntimeError("cannot open a window: " + g_glfw_error +
                       " (is DISPLAY set? for figures without a display use `initscope export`)");
  GlfwSession session;
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  session.window = glfwCreateWindow(width, height, window_title(e).c_str(), nullptr, nullptr);
  if (!session.window) throw RuntimeError("cannot create an OpenGL 3.3 window: " + g_glfw_error);
  GLFWwindow* window = session.window;
  glfwMakeContextCurrent(window);
  glfwSwapInterval(scripted ? 0 : 1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // the layout is tiled and computed, nothing to store
  install_input_marks(window);           // before the backend, which chains to them
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");
  session.imgui = true;

  int exit_code = 0;
  {
    app::AppState app(window, e, settings, scripted);
    app.history_layer = opt.history_layer;
    g_app = &app;
    float xs = 1, ys = 1;
    glfwGetWindowContentScale(window, &xs, &ys);
    app.content_scale = xs > 0 ? xs : 1.0f;
    glfwSetWindowContentScaleCallback(window, on_content_scale);
    rebuild_fonts(app);

    std::string title = window_title(app.current);
    int frames_with_snapshot = 0;
    FrameTimes times;
    const double start = glfwGetTime();
    double last_frame = 0;
    g_last_input = start;
    g_interrupted = 0;
    auto old_int = std::signal(SIGINT, on_signal);
    auto old_term = std::signal(SIGTERM, on_signal);
    while (!glfwWindowShouldClose(window) && !g_interrupted) {
      const double loop_start = glfwGetTime();
      glfwPollEvents();
      if (app.font_rebuild) rebuild_fonts(app);
      if (app.fullscreen_toggle) toggle_fullscreen(app);

      // Draw only when something is to be seen: recent input (ImGui settles in a few frames),
      // a new snapshot, a change of the worker's state (≤ 10/s while it computes), a notice
      // appearing or expiring, typing (the cursor blinks), pending work, or scripted mode.
      // Software GL (llvmpipe) spends ~10–30 ms of CPU on a full-window frame that the
      // simulation needs more.
      const double now = glfwGetTime();
      const app::AppState::WorkerView latest = app.poll_workers();
      const RunnerStatus& status = latest.status;
      const TrainingStatus& train_status = latest.train_status;
      const bool need_frame =
          scripted || last_frame == 0 || now - g_last_input < 0.5 || latest.snap != app.snap ||
          train_status.phase != app.train_status.phase ||
          train_status.error != app.train_status.error || status.busy != app.status.busy ||
          status.error != app.status.error || status.building != app.status.building ||
          (status.busy && now - last_frame > 0.1) || ImGui::GetIO().WantTextInput ||
          (app.notice_until > 0 && ImGui::GetTime() < app.notice_until + 0.1) ||
          app.panel_png.has_value() || app.save_window_png || now - last_frame > 1.0;
      if (!need_frame) {
        glfwWaitEventsTimeout(1.0 / 60.0);
        continue;
      }
      last_frame = now;

      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplGlfw_NewFrame();
      // Scripted screenshots must not depend on where the pointer happens to be.
      if (scripted) ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
      ImGui::NewFrame();
      const double build_start = glfwGetTime();
      app.show(latest);
      app::draw_ui(app);

      ImGui::Render();
      int fb_w = 0, fb_h = 0;
      glfwGetFramebufferSize(window, &fb_w, &fb_h);
      glViewport(0, 0, fb_w, fb_h);
      const ImVec4 bg = render::clear_color(app.theme);
      glClearColor(bg.x, bg.y, bg.z, 1.0f);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
      app.frame_ms = 1000.0 * (glfwGetTime() - build_start);

      if (scripted) {
        // Frames count once the figure has what it shows: the phase diagram's field (from its
        // own thread), a few updates of history.
        // In training mode: once training has reached --steps (or finished).
        const bool trained =
            !app.trainer || (app.train_snap && (app.train_snap->step >= uint64_t(opt.steps) ||
                                                app.train_snap->finished));
        const bool figure_ready =
            (app.settings.view != app::FigureView::Phase ||
             (app.snap && app.phase_grid.get(app.snap->experiment.activation))) &&
            (app.settings.view != app::FigureView::History || app.history.size() >= 3 ||
             (app.train_snap && app.train_snap->finished));
        if (app.snap && trained && figure_ready) ++frames_with_snapshot;
        if (frames_with_snapshot >= std::max(1, opt.frames)) {
          // The experiment as run (in training mode: with its training config filled in).
          const Experiment& shown =
              app.train_snap ? app.train_snap->experiment : app.snap->experiment;
          if (!opt.screenshot.empty())
            write_png(opt.screenshot, app::read_pixels(fb_w, fb_h), json_text(shown.to_json()),
                      opt.force);
          if (!opt.timing.empty()) {
            const RunnerStatus st = app.runner.status();
            write_file_atomic(
                opt.timing,
                json_text(times.json(st.updates_per_s, st.last_update_ms, st.updates), 2), true);
          }
          break;
        }
        if (!app.snap && !app.status.error.empty() && !app.status.busy)
          throw RuntimeError(app.status.error);
        if (app.trainer && app.train_status.phase == "error")
          throw RuntimeError(app.train_status.error);
        if (!app.snap && glfwGetTime() - start > 300)
          throw RuntimeError("no snapshot after 300 s: the experiment is too large to show");
        if (app.trainer && !trained && glfwGetTime() - start > 900)
          throw RuntimeError("training did not reach step " + std::to_string(opt.steps) +
                             " within 900 s");
      }
      if (app.save_window_png) {
        app.save_window_png = false;
        if (app.settings.export_dir.empty()) {
          app.after_export_dir = "window";
          app.open_export_dir_dialog = true;
        } else {
          app::save_window_png(app, fb_w, fb_h);
        }
      }
      glfwSwapBuffers(window);
      if (app.snap) times.add(1000.0 * (glfwGetTime() - loop_start), app.frame_ms);

      if (app.panel_png) {
        if (!app.settings.export_dir.empty()) {
          const app::PanelPngRequest req = *app.panel_png;
          app.panel_png.reset();
          app::save_panel_png(app, req);
        } else if (app.after_export_dir.empty()) {
          app.after_export_dir = "panel";
          app.open_export_dir_dialog = true;
        }
      }
      if (const std::string t = window_title(app.current); t != title) {
        title = t;
        glfwSetWindowTitle(window, title.c_str());
      }

      // At most 60 frames/s even where swapping does not wait for the display (Xvfb).
      const double wait = 1.0 / 60.0 - (glfwGetTime() - loop_start);
      if (wait > 0) glfwWaitEventsTimeout(wait);
    }
    std::signal(SIGINT, old_int);
    std::signal(SIGTERM, old_term);
    if (!scripted) {
      if (app.fullscreen) {
        app.settings.window_width = app.windowed_w, app.settings.window_height = app.windowed_h;
      } else {
        glfwGetWindowSize(window, &app.settings.window_width, &app.settings.window_height);
      }
      std::string err;
      if (!app::save_settings(app.settings, &err))
        std::fprintf(stderr, "initscope: settings not saved: %s\n", err.c_str());
    }
    app.runner.stop();
    g_app = nullptr;
  }
  return exit_code;
}

}  // namespace initscope
