#include "training_curves.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

#include "color_maps.h"
#include "core/experiment_heading.h"
#include "dashed_line.h"
#include "fonts.h"
#include "step_plot.h"
#include "text.h"
#include "theme.h"

namespace initscope::render {
namespace {

// The loss axis: log10 of the range of every finite (positive, on a log axis) loss drawn.
void loss_range(const TrainingSnapshot& t, bool log, double& lo, double& hi) {
  double mn = std::numeric_limits<double>::infinity(), mx = -mn;
  auto include = [&](double v) {
    if (!std::isfinite(v) || (log && v <= 0)) return;
    mn = std::min(mn, v);
    mx = std::max(mx, v);
  };
  for (const ColumnHistory& c : t.columns) {
    for (double v : c.loss) include(v);
    for (const EpochResult& e : c.epochs) include(e.test_loss);
  }
  loss_axis_range(mn, mx, log, std::numeric_limits<double>::infinity(), lo, hi);
}

std::string percent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * fraction);
  return buf;
}

StepAxis training_step_axis(const TrainingSnapshot& t) {
  return {std::max<uint64_t>(1, t.total_steps), t.steps_per_epoch,
          t.experiment.training ? t.experiment.training->epochs : 1};
}

void panel_title(ImDrawList* dl, const Fonts& fo, const StepPlotMetrics& m, const CellRect& r,
                 const std::string& title, const Palette& pal) {
  const ImVec2 p = panel_title_pos(r, m);
  draw_text(dl, fo.bold, m.f, p, pal.text, fit_text(fo.bold, m.f, title, r.x1 - p.x));
}

// One column's curves in a plot: the solid mini-batch line (`values` at `steps`), the test
// values at the epochs' ends as markers joined by dashes, and a cross where it diverged.
// `t_of` maps a value to 0 … 1 (NaN: not drawn).
template <typename T>
void draw_column(ImDrawList* dl, float f, const CellRect& r, uint64_t total, const ColumnHistory& h,
                 const std::vector<double>& values, bool test_loss, ImU32 col, const Palette& pal,
                 T&& t_of) {
  const float thick = std::max(1.5f, 0.12f * f), radius = std::max(2.5f, 0.28f * f);
  for_each_curve_run(r, total, h.loss_step, values, t_of,
                     [&](const std::vector<ImVec2>& pts, bool last) {
                       if (pts.size() >= 2)
                         dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), col, 0, thick);
                       else if (last)
                         dl->AddCircleFilled(pts[0], 0.6f * radius, col, 10);
                     });
  // Test set: dashed between the epochs' markers.
  std::vector<ImVec2> marks;
  for (const EpochResult& e : h.epochs) {
    const double tv = t_of(test_loss ? e.test_loss : e.test_accuracy);
    if (std::isfinite(tv)) marks.emplace_back(step_x(r, double(e.step), total), plot_y(r, tv));
  }
  add_dashed_polyline(dl, marks, col, thick, 0.45f * f, 0.3f * f);
  for (const ImVec2& p : marks) {
    dl->AddCircleFilled(p, radius + 1.5f, pal.background, 16);
    dl->AddCircleFilled(p, radius, col, 16);
  }
  if (h.diverged) draw_diverged_cross(dl, f, r, total, h.diverged_at, col);
}

// Column names with their latest test accuracy and a "diverged at step k" badge. What gives way
// when the line is too narrow: the accuracies; names that still do not fit are left out whole.
void draw_legend(ImDrawList* dl, const Fonts& fo, float f, ImVec2 pos, float width,
                 const TrainingSnapshot& t, Theme theme, const Palette& pal) {
  const float y = pos.y + 0.25f * f, sw = std::round(0.75f * f), gap = 0.4f * f, spacing = 1.5f * f,
              s = 0.9f * f;
  auto accuracy_text = [&](const ColumnHistory& h) -> std::string {
    return h.epochs.empty() ? "" : "test " + percent(h.epochs.back().test_accuracy);
  };
  auto diverged_text = [&](const ColumnHistory& h) -> std::string {
    return h.diverged ? "diverged at step " + std::to_string(h.diverged_at) : "";
  };
  auto entries_w = [&](bool with_acc) {
    float w = 0;
    for (const ColumnHistory& h : t.columns) {
      w += sw + gap + text_size(fo.regular, f, h.init).x + spacing;
      const std::string a = accuracy_text(h), d = diverged_text(h);
      if (with_acc && !a.empty()) w += gap + text_size(fo.regular, s, a).x;
      if (!d.empty()) w += gap + draw_badge(nullptr, fo.regular, f, ImVec2(), d, 0, 0);
    }
    return w;
  };
  const bool with_acc = entries_w(true) <= width;
  float x = pos.x;
  const float right = pos.x + width;
  for (size_t c = 0; c < t.columns.size(); ++c) {
    const ColumnHistory& h = t.columns[c];
    const float tw = text_size(fo.regular, f, h.init).x;
    if (x + sw + gap + tw > right) break;
    draw_legend_name(dl, fo, f, x, y, static_cast<int>(c), h.init, theme, pal);
    x += sw + gap + tw;
    if (const std::string a = accuracy_text(h); with_acc && !a.empty()) {
      draw_text(dl, fo.regular, s, ImVec2(x + gap, y + 0.08f * f), pal.text_dim, a);
      x += gap + text_size(fo.regular, s, a).x;
    }
    if (const std::string d = diverged_text(h); !d.empty()) {
      const ImU32 bg = diverged_color(theme);
      x += gap + draw_badge(dl, fo.regular, f, ImVec2(x + gap, y + std::round(0.08f * f)), d, bg,
                            contrast_text(bg));
    }
    x += spacing;
  }
}

// The key's words, in full and short (narrow panels, large text).
constexpr LineKey kTrainingKeys[] = {
    {"train (mini-batches)", "test (end of epoch)", 1.5f, true},
    {"train", "test", 1.5f, true},
};

std::string info_line(const TrainingSnapshot& t) {
  const TrainingConfig cfg = t.experiment.training.value_or(TrainingConfig{});
  char lr[32];
  std::snprintf(lr, sizeof lr, "%g", cfg.optimizer.lr);
  const int epochs = cfg.epochs;
  std::string s = cfg.optimizer.name() + " lr " + lr + " \xC2\xB7 mini-batch " +
                  std::to_string(cfg.batch) + " \xC2\xB7 " + thousands(uint64_t(t.train_images)) +
                  " training / " + thousands(uint64_t(t.test_images)) +
                  " test images \xC2\xB7 step " + thousands(t.step) + " of " +
                  thousands(t.total_steps) + " \xC2\xB7 epoch " +
                  std::to_string(std::min(t.epoch + (t.finished ? 0 : 1), epochs)) + " of " +
                  std::to_string(epochs);
  if (t.finished) s += " \xC2\xB7 finished";
  return s;
}

}  // namespace

TrainingCurvesLayout training_curves_layout(ImVec2 pos, ImVec2 size, const TrainingSnapshot& t,
                                            const FigureOptions& opt, float font_px) {
  const StepPlotMetrics m(font_px, opt);
  TrainingCurvesLayout out;
  out.title_y = pos.y;
  out.info_y = pos.y + m.title_h;
  out.legend_y = out.info_y + m.info_h;
  const float top = out.legend_y + m.legend_h + 0.3f * m.f;
  const float h = std::max(1.0f, pos.y + size.y - top);
  place_plot_pair(pos.x, top, size.x, h, m, out.loss, out.accuracy);
  loss_range(t, opt.log_loss, out.loss_lo, out.loss_hi);
  return out;
}

void draw_training_curves(ImDrawList* dl, ImVec2 pos, ImVec2 size, const TrainingSnapshot& t,
                          const FigureOptions& opt) {
  const Fonts fo = fonts();
  const float f = font_pixels_now();
  const StepPlotMetrics m(f, opt);
  const Palette& pal = palette(opt.theme);
  const TrainingCurvesLayout lay = training_curves_layout(pos, size, t, opt, f);
  if (opt.background)
    dl->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y), pal.background);
  if (opt.title) {
    // "Training — <title>", unless the title says so already (the training presets do).
    const std::string named = experiment_heading(t.experiment).title;
    const std::string title =
        named.rfind("Training", 0) == 0 ? named : "Training \xE2\x80\x94 " + named;
    draw_text(dl, fo.title, fo.title->FontSize, ImVec2(pos.x, lay.title_y + 0.25f * f), pal.text,
              fit_text(fo.title, fo.title->FontSize, title, size.x));
  }
  draw_text(dl, fo.regular, 0.9f * f, ImVec2(pos.x, lay.info_y + 0.2f * f), pal.text_dim,
            fit_text(fo.regular, 0.9f * f, info_line(t), size.x));
  if (opt.legend) draw_legend(dl, fo, f, ImVec2(pos.x, lay.legend_y), size.x, t, opt.theme, pal);
  const StepAxis axis = training_step_axis(t);
  const uint64_t total = axis.total;

  // Loss.
  {
    const CellRect& r = lay.loss;
    const char* title = opt.log_loss ? "Loss (cross-entropy, log scale)" : "Loss (cross-entropy)";
    panel_title(dl, fo, m, r, title, pal);
    // The key of the lines at the right of the first panel title with room for it, in full
    // if it fits somewhere, else short.
    bool drawn = false;
    for (int variant = 0; variant < 2 && !drawn; ++variant) {
      const float key_w = line_key_width(fo, f, kTrainingKeys[variant]);
      for (const CellRect* p : {&lay.loss, &lay.accuracy}) {
        const ImVec2 at = panel_title_pos(*p, m);
        const float title_end = at.x + text_size(fo.bold, f, p == &lay.loss ? title : "Accuracy").x;
        if (p->x1 - key_w < title_end + 1.5f * f) continue;
        draw_line_key(dl, fo, f, p->x1 - key_w, at.y, kTrainingKeys[variant], pal);
        drawn = true;
        break;
      }
    }
    draw_step_axes(dl, fo, f, r, loss_axis_ticks(lay.loss_lo, lay.loss_hi, opt.log_loss), axis,
                   pal);
    dl->PushClipRect(ImVec2(r.x0, r.y0), ImVec2(r.x1 + 1, r.y1), true);
    bool any = false;
    for (size_t c = 0; c < t.columns.size(); ++c) {
      const ColumnHistory& h = t.columns[c];
      any = any || !h.loss.empty();
      draw_column(dl, f, r, total, h, h.loss, true, column_color(static_cast<int>(c), opt.theme),
                  pal,
                  [&](double v) { return loss_axis_t(v, lay.loss_lo, lay.loss_hi, opt.log_loss); });
    }
    dl->PopClipRect();
    if (!any)
      draw_centred_note(dl, fo, f, r, "no steps yet: press Space to train, \xE2\x86\x92 to step",
                        pal.text_dim);
  }
  // Accuracy: 0 … 100% (fixed), chance level dashed.
  {
    const CellRect& r = lay.accuracy;
    AxisTicks yt;
    for (int k = 0; k <= 5; ++k) yt.emplace_back(k / 5.0, std::to_string(20 * k) + "%");
    panel_title(dl, fo, m, r, "Accuracy", pal);
    draw_step_axes(dl, fo, f, r, yt, axis, pal);
    const int classes = t.experiment.widths.empty() ? 0 : t.experiment.widths.back();
    if (classes > 1) draw_reference_line(dl, fo, f, r, 1.0 / classes, "chance", pal);
    dl->PushClipRect(ImVec2(r.x0, r.y0), ImVec2(r.x1 + 1, r.y1), true);
    bool any = false;
    for (size_t c = 0; c < t.columns.size(); ++c) {
      const ColumnHistory& h = t.columns[c];
      any = any || !h.accuracy.empty();
      draw_column(
          dl, f, r, total, h, h.accuracy, false, column_color(static_cast<int>(c), opt.theme), pal,
          [](double v) { return std::isfinite(v) ? v : std::numeric_limits<double>::quiet_NaN(); });
    }
    dl->PopClipRect();
    if (!any)
      draw_centred_note(dl, fo, f, r, "accuracy of the mini-batches appears with the first steps",
                        pal.text_dim);
  }
}

}  // namespace initscope::render
