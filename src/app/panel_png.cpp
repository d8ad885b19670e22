#include "panel_png.h"

#include <algorithm>
#include <cmath>

#include "capture.h"
#include "core/experiment_heading.h"
#include "core/json_text.h"
#include "core/limits.h"
#include "export/gl_pixels.h"
#include "file_names.h"
#include "render/fonts.h"

namespace initscope::app {
namespace {

// Beyond this, software GL gets slow and image viewers choke; tall grids thin out instead.
constexpr float kMaxSide = float(limits::kFigureSide.hi);

void write(AppState& app, const Image& img, const std::string& what) {
  const std::string path =
      default_file_name(app.settings.export_dir, app.current.preset, what, ".png");
  const std::string json =
      json_text(shown_config_json(app.snap ? app.snap->experiment : app.current));
  write_png(path, img, json, /*force=*/false);
  app.notify("Saved " + path);
}

// The picture's size in window pixels (before the scale) and its file-name part. A figure is
// as large as it is in the window — its own rectangle when it is not shown — and never less
// than a readable minimum; the grid is as tall as all its rows, including those scrolled away.
struct PngShape {
  float w = 0, h = 0;
  std::string name;
};
PngShape png_shape(const AppState& app, const PanelPngRequest& req, const Snapshot& snap,
                   const render::FigureOptions& opt) {
  const UiMetrics m = app.metrics();
  const MainLayout lay = app.layout();  // the window context is current here
  const Rect figure = lay.figure.empty() ? Rect{0, 0, 1200, 800} : lay.figure;
  switch (req.figure) {
    case render::FigureKind::Grid: {
      if (req.cell)
        return {
            26 * m.font_px, 14 * m.font_px,
            "layer" + std::to_string(req.cell->layer) + "-" + std::to_string(req.cell->column + 1)};
      const render::GridLayout gl = render::grid_layout(
          ImVec2(0, 0), ImVec2(figure.w - 2 * m.pad, figure.h - 2 * m.pad), snap, opt, m.font_px);
      return {figure.w, gl.total_height + 2 * m.pad, "grid"};
    }
    case render::FigureKind::Profiles: {
      const Rect r = lay.profiles.empty() ? Rect{0, 0, 1000, 320} : lay.profiles;
      return {r.w, std::max(r.h, 14 * m.font_px), "profiles"};
    }
    default:
      return {figure.w, std::max(figure.h, 20 * m.font_px), render::figure_key(req.figure)};
  }
}

}  // namespace

void save_window_png(AppState& app, int w, int h) {
  try {
    write(app, read_gl_pixels(w, h), "");
  } catch (const std::exception& ex) {
    app.notify(ex.what(), true);
  }
}

void save_panel_png(AppState& app, const PanelPngRequest& req) {
  if (!app.snap) return;
  try {
    const std::shared_ptr<const Snapshot> snap = app.snap;
    const std::shared_ptr<const TrainingSnapshot> training = app.train_snap;
    const float s = std::clamp(req.scale, 0.5f, 4.0f);
    const float f = std::round(app.font_px * s), pad = std::round(app.metrics().pad * s);
    render::FigureOptions opt = app.figure_options();
    opt.background = true;  // a file has no window behind it
    opt.title = true;
    render::FigureSources src = app.figure_sources(req.figure);
    src.selected_column = -1;  // no selection ring in a file
    Snapshot one;              // a single cell: one column, one layer
    if (req.figure == render::FigureKind::Grid && req.cell) {
      if (req.cell->column < 0 || req.cell->column >= int(snap->columns.size())) return;
      one.experiment = snap->experiment;
      one.update_index = snap->update_index;
      one.batches = snap->batches;
      one.columns = {snap->columns[req.cell->column]};
      opt.layers_shown = {req.cell->layer};
      opt.legend = false;
      src.snap = &one;
    }
    if (req.figure == render::FigureKind::Training && !training) {
      app.notify("No training curves yet", true);
      return;
    }
    if (req.figure == render::FigureKind::Gan && !src.gan) {
      app.notify("No GAN curves yet", true);
      return;
    }
    if (req.figure == render::FigureKind::Phase && !src.phase) {
      app.notify("The phase diagram is still being computed; try again in a moment", true);
      return;
    }
    const PngShape shape = png_shape(app, req, *snap, opt);
    // A grid taller than the largest picture thins out its rows; the profiles keep their size.
    if (req.figure == render::FigureKind::Grid) opt.fit_rows = shape.h * s > kMaxSide;
    const float max_side = req.figure == render::FigureKind::Profiles ? 1e9f : kMaxSide;
    const int w = int(std::round(std::min(shape.w * s, max_side)));
    const int h = int(std::round(std::min(shape.h * s, max_side)));
    const Image img = render_offscreen(w, h, f, app.theme, [&](ImDrawList* dl, ImVec2 size) {
      render::draw_figure(dl, ImVec2(pad, pad), ImVec2(size.x - 2 * pad, size.y - 2 * pad),
                          req.figure, src, opt);
    });
    write(app, img, shape.name);
  } catch (const std::exception& ex) {
    app.notify(ex.what(), true);
  }
}

void save_requested_window_png(AppState& app, int fb_width, int fb_height) {
  if (!app.save_window_png) return;
  app.save_window_png = false;
  if (app.settings.export_dir.empty()) {
    app.after_export_dir = AppState::AfterExportDir::SaveWindow;
    app.open_export_dir_dialog = true;
  } else {
    save_window_png(app, fb_width, fb_height);
  }
}

void save_requested_panel_png(AppState& app) {
  if (!app.panel_png) return;
  if (!app.settings.export_dir.empty()) {
    const PanelPngRequest req = *app.panel_png;
    app.panel_png.reset();
    save_panel_png(app, req);
  } else if (app.after_export_dir == AppState::AfterExportDir::Nothing) {
    app.after_export_dir = AppState::AfterExportDir::SavePanel;
    app.open_export_dir_dialog = true;
  }
}

}  // namespace initscope::app
