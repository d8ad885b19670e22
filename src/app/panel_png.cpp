#include "panel_png.h"

#include <algorithm>
#include <cmath>

#include "capture.h"
#include "core/json_text.h"
#include "core/limits.h"
#include "file_names.h"
#include "render/fonts.h"
#include "render/heatmap.h"
#include "render/phase_diagram.h"
#include "render/training_curves.h"

namespace initscope::app {
namespace {

// Beyond this, software GL gets slow and image viewers choke; tall grids thin out instead.
constexpr float kMaxSide = float(limits::kFigureSide.hi);

void write(AppState& app, const Image& img, const std::string& what) {
  const std::string path =
      default_file_name(app.settings.export_dir, app.current.preset, what, ".png");
  const std::string json =
      json_text(app.snap ? app.snap->experiment.to_json() : app.current.to_json());
  write_png(path, img, json, /*force=*/false);
  app.notify("Saved " + path);
}

}  // namespace

void save_window_png(AppState& app, int w, int h) {
  try {
    write(app, read_pixels(w, h), "");
  } catch (const std::exception& ex) {
    app.notify(ex.what(), true);
  }
}

void save_panel_png(AppState& app, const PanelPngRequest& req) {
  if (!app.snap) return;
  try {
    const std::shared_ptr<const Snapshot> snap = app.snap;
    const UiMetrics m = app.metrics();
    const float s = std::clamp(req.scale, 0.5f, 4.0f);
    const float f = std::round(app.font_px * s), pad = std::round(m.pad * s);
    render::FigureOptions opt = app.figure_options();
    opt.background = true;                // a file has no window behind it
    const MainLayout lay = app.layout();  // the window context is current here
    Image img;
    std::string what;
    using What = PanelPngRequest::What;
    if (req.what == What::Training) {
      const std::shared_ptr<const TrainingSnapshot> t = app.train_snap;
      if (!t) {
        app.notify("No training curves yet", true);
        return;
      }
      const Rect r = lay.figure.empty() ? Rect{0, 0, 1200, 800} : lay.figure;
      const int w = int(std::round(std::min(r.w * s, kMaxSide)));
      const int h = int(std::round(std::min(std::max(r.h, 20 * m.font_px) * s, kMaxSide)));
      opt.title = true;
      img = render_offscreen(w, h, f, app.theme, [&](ImDrawList* dl, ImVec2 size) {
        render::draw_training_curves(dl, ImVec2(pad, pad),
                                     ImVec2(size.x - 2 * pad, size.y - 2 * pad), *t, opt);
      });
      what = "training";
    } else if (req.what == What::Heatmap || req.what == What::History || req.what == What::Phase) {
      // As large as the figure in the window (the figure's own rectangle when it is not shown).
      const Rect r = lay.figure.empty() ? Rect{0, 0, 1200, 800} : lay.figure;
      const int w = int(std::round(std::min(r.w * s, kMaxSide)));
      const int h = int(std::round(std::min(std::max(r.h, 20 * m.font_px) * s, kMaxSide)));
      opt.title = true;
      const ImVec2 at(pad, pad);
      if (req.what == What::Phase) {
        const PhaseGrid* grid = app.phase_grid.get(snap->experiment.activation);
        if (!grid) {
          app.notify("The phase diagram is still being computed; try again in a moment", true);
          return;
        }
        img = render_offscreen(w, h, f, app.theme, [&](ImDrawList* dl, ImVec2 size) {
          render::draw_phase_diagram(dl, at, ImVec2(size.x - 2 * pad, size.y - 2 * pad), grid,
                                     *snap, opt, -1);
        });
        what = "phase";
      } else {
        const render::HeatmapSeries series = req.what == What::History
                                                 ? app.history.series()
                                                 : render::layer_series(*snap, opt.quantity);
        img = render_offscreen(w, h, f, app.theme, [&](ImDrawList* dl, ImVec2 size) {
          render::draw_heatmaps(dl, at, ImVec2(size.x - 2 * pad, size.y - 2 * pad), series, *snap,
                                opt);
        });
        what = req.what == What::History ? "history" : "heatmap";
      }
    } else if (req.what == What::Profiles) {
      const Rect r = lay.profiles.empty() ? Rect{0, 0, 1000, 320} : lay.profiles;
      const int w = int(std::round(r.w * s)),
                h = int(std::round(std::max(r.h, 14 * m.font_px) * s));
      opt.title = true;
      img = render_offscreen(w, h, f, app.theme, [&](ImDrawList* dl, ImVec2 size) {
        render::draw_depth_profiles(dl, ImVec2(pad, pad),
                                    ImVec2(size.x - 2 * pad, size.y - 2 * pad), *snap, opt);
      });
      what = "profiles";
    } else {
      Snapshot one;  // a single cell: one column, one layer
      const Snapshot* src = snap.get();
      float w_px, h_px;
      if (req.what == What::Cell) {
        one.experiment = snap->experiment;
        one.update_index = snap->update_index;
        one.batches = snap->batches;
        if (req.column < 0 || req.column >= int(snap->columns.size())) return;
        one.columns = {snap->columns[req.column]};
        opt.layers_shown = {req.layer};
        opt.legend = false;
        src = &one;
        w_px = 26 * m.font_px;
        h_px = 14 * m.font_px;
        what = "layer" + std::to_string(req.layer) + "-" + std::to_string(req.column + 1);
      } else {
        const Rect r = lay.figure.empty() ? Rect{0, 0, 1200, 800} : lay.figure;
        w_px = r.w;
        // The whole grid, including rows scrolled out of view.
        const render::GridLayout gl = render::grid_layout(
            ImVec2(0, 0), ImVec2(r.w - 2 * m.pad, r.h - 2 * m.pad), *snap, opt, m.font_px);
        h_px = gl.total_height + 2 * m.pad;
        what = "grid";
      }
      opt.fit_rows = h_px * s > kMaxSide;
      const int w = int(std::round(std::min(w_px * s, kMaxSide)));
      const int h = int(std::round(std::min(h_px * s, kMaxSide)));
      img = render_offscreen(w, h, f, app.theme, [&](ImDrawList* dl, ImVec2 size) {
        render::draw_histogram_grid(dl, ImVec2(pad, pad),
                                    ImVec2(size.x - 2 * pad, size.y - 2 * pad), *src, opt);
      });
    }
    write(app, img, what);
  } catch (const std::exception& ex) {
    app.notify(ex.what(), true);
  }
}

}  // namespace initscope::app
