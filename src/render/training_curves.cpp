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
#include "text.h"
#include "theme.h"
#include "ticks.h"

namespace initscope::render {
namespace {

struct Metrics {
  float f, title_h, info_h, legend_h, panel_title_h, tick_h, ylabel_w, gap;
  Metrics(float font_px, const FigureOptions& opt) : f(font_px) {
    title_h = opt.title ? std::round(1.9f * f) : 0;
    info_h = std::round(1.5f * f);
    legend_h = opt.legend ? std::round(1.8f * f) : 0;
    panel_title_h = std::round(1.6f * f);
    tick_h = std::round(2.8f * f);  // step numbers, then the epochs' names
    ylabel_w = std::round(4.2f * f);
    gap = std::round(1.6f * f);
  }
};

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
  if (!std::isfinite(mn)) {
    lo = log ? -1 : 0, hi = log ? 1 : 3;
    return;
  }
  if (!log) {
    lo = 0;
    hi = nice_ceil(std::max(mx * 1.05, 1e-6));
    return;
  }
  lo = std::log10(mn), hi = std::log10(mx);
  const double span = hi - lo;
  if (span < 0.4) {
    const double mid = 0.5 * (lo + hi);
    lo = mid - 0.2, hi = mid + 0.2;
  } else {
    lo -= 0.04 * span, hi += 0.04 * span;
  }
}

float y_of(const CellRect& r, double t) {
  t = std::clamp(t, 0.0, 1.0);
  const float h = r.y1 - r.y0, pad = std::min(4.0f, 0.05f * h);
  return r.y1 - pad - static_cast<float>(t) * (h - 2 * pad);
}

// Position of a loss on the loss axis as 0 … 1 (NaN when it has no place there).
double loss_t(const TrainingCurvesLayout& lay, double v, bool log) {
  if (!std::isfinite(v)) return std::numeric_limits<double>::quiet_NaN();
  if (log) {
    if (v <= 0) return std::numeric_limits<double>::quiet_NaN();
    v = std::log10(v);
  }
  return (v - lay.loss_lo) / (lay.loss_hi - lay.loss_lo);
}

std::string percent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * fraction);
  return buf;
}

// 60000 → "60,000".
std::string thousands(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// The plot frame: background, y grid lines with labels, step ticks, epoch boundaries and names.
void draw_axes(ImDrawList* dl, const Fonts& fo, const Metrics& m, const CellRect& r,
               const std::vector<std::pair<double, std::string>>& yticks,  // (t 0…1, label)
               const TrainingSnapshot& t, const Palette& pal) {
  const float f = m.f, s = 0.85f * f;
  dl->AddRectFilled(ImVec2(r.x0, r.y0), ImVec2(r.x1, r.y1), pal.cell);
  for (const auto& [tv, label] : yticks) {
    const float y = std::round(y_of(r, tv)) + 0.5f;
    dl->AddLine(ImVec2(r.x0, y), ImVec2(r.x1, y), pal.grid_line);
    const ImVec2 ts = text_size(fo.regular, s, label);
    draw_text(dl, fo.regular, s, ImVec2(r.x0 - 0.3f * f - ts.x, y - ts.y / 2), pal.text_dim, label);
  }
  const uint64_t total = std::max<uint64_t>(1, t.total_steps);
  // Epoch boundaries: faint lines; each epoch's name centred under its stretch when it fits.
  const int epochs = t.experiment.training ? t.experiment.training->epochs : 1;
  for (int e = 1; e <= epochs && t.steps_per_epoch > 0; ++e) {
    const double a = double(e - 1) * double(t.steps_per_epoch),
                 b = double(e) * double(t.steps_per_epoch);
    const float xa = step_x(r, a, total), xb = step_x(r, std::min<double>(b, double(total)), total);
    if (e < epochs) {
      const float x = std::round(xb) + 0.5f;
      dl->AddLine(ImVec2(x, r.y0), ImVec2(x, r.y1), pal.axis);
    }
    const std::string label = "epoch " + std::to_string(e);
    const float tw = text_size(fo.regular, s, label).x;
    if (tw + 0.6f * f <= xb - xa)
      draw_text(dl, fo.regular, s, ImVec2(0.5f * (xa + xb) - tw / 2, r.y1 + 1.45f * f),
                pal.text_dim, label);
  }
  // Step ticks at nice whole numbers, about one per 6 font sizes.
  const int intervals = std::max(2, static_cast<int>((r.x1 - r.x0) / (6.5f * f)));
  const long long step = nice_integer_step(double(total), intervals);
  float last_right = -1e30f;
  for (long long v = 0; v <= static_cast<long long>(total); v += step) {
    const float x = std::round(step_x(r, double(v), total)) + 0.5f;
    dl->AddLine(ImVec2(x, r.y1), ImVec2(x, r.y1 + 0.25f * f), pal.axis);
    const std::string label = std::to_string(v);
    const float tw = text_size(fo.regular, s, label).x;
    const float tx = std::clamp(x - tw / 2, r.x0 - tw / 2, r.x1 - tw);
    if (tx < last_right + 0.5f * f) continue;
    draw_text(dl, fo.regular, s, ImVec2(tx, r.y1 + 0.3f * f), pal.text_dim, label);
    last_right = tx + tw;
  }
  dl->AddLine(ImVec2(r.x0, r.y1 - 0.5f), ImVec2(r.x1, r.y1 - 0.5f), pal.axis);
  dl->AddLine(ImVec2(r.x0 + 0.5f, r.y0), ImVec2(r.x0 + 0.5f, r.y1), pal.axis);
}

void panel_title(ImDrawList* dl, const Fonts& fo, const Metrics& m, const CellRect& r,
                 const std::string& title, const Palette& pal) {
  const float x = r.x0 - m.ylabel_w + 0.2f * m.f;
  draw_text(dl, fo.bold, m.f, ImVec2(x, r.y0 - m.panel_title_h + 0.2f * m.f), pal.text,
            fit_text(fo.bold, m.f, title, r.x1 - x));
}

void centred_note(ImDrawList* dl, const Fonts& fo, float f, const CellRect& r, const char* text,
                  ImU32 col) {
  const std::string t = fit_text(fo.regular, f, text, r.x1 - r.x0 - f);
  const ImVec2 ts = text_size(fo.regular, f, t);
  draw_text(dl, fo.regular, f, ImVec2(0.5f * (r.x0 + r.x1 - ts.x), 0.5f * (r.y0 + r.y1 - ts.y)),
            col, t);
}

// One column's curves in a plot: the solid mini-batch line (`values` at `steps`), the test
// values at the epochs' ends as markers joined by dashes, and a cross where it diverged.
// `t_of` maps a value to 0 … 1 (NaN: not drawn).
template <typename T>
void draw_column(ImDrawList* dl, const Metrics& m, const CellRect& r, uint64_t total,
                 const ColumnHistory& h, const std::vector<double>& values, bool test_loss,
                 ImU32 col, const Palette& pal, T&& t_of) {
  const float f = m.f, thick = std::max(1.5f, 0.12f * f), radius = std::max(2.5f, 0.28f * f);
  std::vector<ImVec2> pts;
  auto flush = [&] {
    if (pts.size() >= 2) dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), col, 0, thick);
    pts.clear();
  };
  const size_t n = std::min(values.size(), h.loss_step.size());
  for (size_t i = 0; i < n; ++i) {
    const double tv = t_of(values[i]);
    if (!std::isfinite(tv)) {
      flush();
      continue;
    }
    pts.emplace_back(step_x(r, double(h.loss_step[i]), total), y_of(r, tv));
  }
  if (pts.size() == 1) dl->AddCircleFilled(pts[0], 0.6f * radius, col, 10);
  flush();
  // Test set: dashed between the epochs' markers.
  std::vector<ImVec2> marks;
  for (const EpochResult& e : h.epochs) {
    const double tv = t_of(test_loss ? e.test_loss : e.test_accuracy);
    if (std::isfinite(tv)) marks.emplace_back(step_x(r, double(e.step), total), y_of(r, tv));
  }
  add_dashed_polyline(dl, marks, col, thick, 0.45f * f, 0.3f * f);
  for (const ImVec2& p : marks) {
    dl->AddCircleFilled(p, radius + 1.5f, pal.background, 16);
    dl->AddCircleFilled(p, radius, col, 16);
  }
  if (h.diverged) {
    // A cross at the step where the loss stopped being finite, at the plot's top.
    const float x = step_x(r, double(h.diverged_at), total), y = r.y0 + 0.6f * f, a = 0.35f * f;
    dl->AddLine(ImVec2(x - a, y - a), ImVec2(x + a, y + a), col, 2 * thick);
    dl->AddLine(ImVec2(x - a, y + a), ImVec2(x + a, y - a), col, 2 * thick);
  }
}

ImU32 diverged_color(Theme theme) {
  return theme == Theme::Dark ? IM_COL32(200, 60, 50, 255) : IM_COL32(190, 40, 30, 255);
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
    dl->AddRectFilled(ImVec2(x, y + 0.15f * f), ImVec2(x + sw, y + 0.15f * f + sw),
                      column_color(static_cast<int>(c), theme), 0.15f * f);
    draw_text(dl, fo.regular, f, ImVec2(x + sw + gap, y), pal.text, h.init);
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
constexpr const char* kTrainKey[] = {"train (mini-batches)", "train"};
constexpr const char* kTestKey[] = {"test (end of epoch)", "test"};

float key_width(const Fonts& fo, float f, int variant) {
  const float s = 0.9f * f;
  return 2.0f * f + text_size(fo.regular, s, kTrainKey[variant]).x + 1.5f * f + 2.0f * f +
         text_size(fo.regular, s, kTestKey[variant]).x;
}

// What the solid and the dashed lines are, with its top-left at (x, y) on a panel's title row.
void draw_key(ImDrawList* dl, const Fonts& fo, float f, float x, float y, const Palette& pal,
              int variant) {
  const float s = 0.9f * f, spacing = 1.5f * f;
  const char* train_key = kTrainKey[variant];
  const char* test_key = kTestKey[variant];
  const float ym = std::round(y + 0.62f * f) + 0.5f, thick = std::max(1.5f, 0.12f * f);
  dl->AddLine(ImVec2(x, ym), ImVec2(x + 1.5f * f, ym), pal.text_dim, thick);
  draw_text(dl, fo.regular, s, ImVec2(x + 2.0f * f, y + 0.08f * f), pal.text_dim, train_key);
  x += 2.0f * f + text_size(fo.regular, s, train_key).x + spacing;
  add_dashed_polyline(dl, {ImVec2(x, ym), ImVec2(x + 1.5f * f, ym)}, pal.text_dim, thick, 0.35f * f,
                      0.25f * f);
  dl->AddCircleFilled(ImVec2(x + 0.75f * f, ym), std::max(2.5f, 0.28f * f), pal.text_dim, 16);
  draw_text(dl, fo.regular, s, ImVec2(x + 2.0f * f, y + 0.08f * f), pal.text_dim, test_key);
}

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

float step_x(const CellRect& plot, double step, uint64_t total) {
  const float w = plot.x1 - plot.x0, margin = std::min(6.0f, 0.02f * w);
  const double t = total > 0 ? std::clamp(step / double(total), 0.0, 1.0) : 0.0;
  return plot.x0 + margin + static_cast<float>(t) * (w - 2 * margin);
}

uint64_t step_at(const CellRect& plot, float x, uint64_t total) {
  const float w = plot.x1 - plot.x0, margin = std::min(6.0f, 0.02f * w);
  const double t = std::clamp(double(x - plot.x0 - margin) / double(w - 2 * margin), 0.0, 1.0);
  return static_cast<uint64_t>(std::llround(t * double(total)));
}

TrainingCurvesLayout training_curves_layout(ImVec2 pos, ImVec2 size, const TrainingSnapshot& t,
                                            const FigureOptions& opt, float font_px) {
  const Metrics m(font_px, opt);
  TrainingCurvesLayout out;
  out.title_y = pos.y;
  out.info_y = pos.y + m.title_h;
  out.legend_y = out.info_y + m.info_h;
  const float top = out.legend_y + m.legend_h + 0.3f * m.f;
  const float h = std::max(1.0f, pos.y + size.y - top);
  // Side by side when each plot still gets a width of at least 1.1 × its height.
  const bool row = size.x >= 2.2f * h;
  auto place = [&](float x, float y, float w, float ph) {
    CellRect r{std::round(x + m.ylabel_w), std::round(y + m.panel_title_h),
               std::round(x + w - 0.8f * m.f), std::round(y + ph - m.tick_h)};
    r.y1 = std::max(r.y1, r.y0 + 4), r.x1 = std::max(r.x1, r.x0 + 4);
    return r;
  };
  if (row) {
    const float w = (size.x - m.gap) / 2;
    out.loss = place(pos.x, top, w, h);
    out.accuracy = place(pos.x + w + m.gap, top, w, h);
  } else {
    const float ph = (h - 0.5f * m.gap) / 2;
    out.loss = place(pos.x, top, size.x, ph);
    out.accuracy = place(pos.x, top + ph + 0.5f * m.gap, size.x, ph);
  }
  loss_range(t, opt.log_loss, out.loss_lo, out.loss_hi);
  return out;
}

void draw_training_curves(ImDrawList* dl, ImVec2 pos, ImVec2 size, const TrainingSnapshot& t,
                          const FigureOptions& opt) {
  const Fonts fo = fonts();
  const float f = font_pixels_now();
  const Metrics m(f, opt);
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
  const uint64_t total = std::max<uint64_t>(1, t.total_steps);

  // Loss.
  {
    std::vector<std::pair<double, std::string>> yt;
    if (opt.log_loss) {
      for (double v : log_ticks(lay.loss_lo, lay.loss_hi))
        yt.emplace_back((std::log10(v) - lay.loss_lo) / (lay.loss_hi - lay.loss_lo),
                        format_number(v));
    } else {
      for (double v : nice_ticks(lay.loss_lo, lay.loss_hi, 4))
        yt.emplace_back((v - lay.loss_lo) / (lay.loss_hi - lay.loss_lo), format_number(v));
    }
    const CellRect& r = lay.loss;
    const char* title = opt.log_loss ? "Loss (cross-entropy, log scale)" : "Loss (cross-entropy)";
    panel_title(dl, fo, m, r, title, pal);
    // The key of the lines at the right of the first panel title with room for it, in full
    // if it fits somewhere, else short.
    bool drawn = false;
    for (int variant = 0; variant < 2 && !drawn; ++variant) {
      const float key_w = key_width(fo, f, variant);
      for (const CellRect* p : {&lay.loss, &lay.accuracy}) {
        const float title_end = p->x0 - m.ylabel_w + 0.2f * f +
                                text_size(fo.bold, f, p == &lay.loss ? title : "Accuracy").x;
        if (p->x1 - key_w < title_end + 1.5f * f) continue;
        draw_key(dl, fo, f, p->x1 - key_w, p->y0 - m.panel_title_h + 0.2f * f, pal, variant);
        drawn = true;
        break;
      }
    }
    draw_axes(dl, fo, m, r, yt, t, pal);
    dl->PushClipRect(ImVec2(r.x0, r.y0), ImVec2(r.x1 + 1, r.y1), true);
    bool any = false;
    for (size_t c = 0; c < t.columns.size(); ++c) {
      const ColumnHistory& h = t.columns[c];
      any = any || !h.loss.empty();
      draw_column(dl, m, r, total, h, h.loss, true, column_color(static_cast<int>(c), opt.theme),
                  pal, [&](double v) { return loss_t(lay, v, opt.log_loss); });
    }
    dl->PopClipRect();
    if (!any)
      centred_note(dl, fo, f, r, "no steps yet: press Space to train, \xE2\x86\x92 to step",
                   pal.text_dim);
  }
  // Accuracy: 0 … 100% (fixed), chance level dashed.
  {
    const CellRect& r = lay.accuracy;
    std::vector<std::pair<double, std::string>> yt;
    for (int k = 0; k <= 5; ++k) yt.emplace_back(k / 5.0, std::to_string(20 * k) + "%");
    panel_title(dl, fo, m, r, "Accuracy", pal);
    draw_axes(dl, fo, m, r, yt, t, pal);
    const int classes = t.experiment.widths.empty() ? 0 : t.experiment.widths.back();
    if (classes > 1) {
      const float y = std::round(y_of(r, 1.0 / classes)) + 0.5f;
      add_dashed_polyline(dl, {ImVec2(r.x0, y), ImVec2(r.x1, y)}, pal.text_dim, 1.0f, 0.3f * f,
                          0.3f * f);
      draw_text(
          dl, fo.regular, 0.8f * f,
          ImVec2(r.x1 - 0.3f * f - text_size(fo.regular, 0.8f * f, "chance").x, y - 1.05f * f),
          pal.text_dim, "chance");
    }
    dl->PushClipRect(ImVec2(r.x0, r.y0), ImVec2(r.x1 + 1, r.y1), true);
    bool any = false;
    for (size_t c = 0; c < t.columns.size(); ++c) {
      const ColumnHistory& h = t.columns[c];
      any = any || !h.accuracy.empty();
      draw_column(
          dl, m, r, total, h, h.accuracy, false, column_color(static_cast<int>(c), opt.theme), pal,
          [](double v) { return std::isfinite(v) ? v : std::numeric_limits<double>::quiet_NaN(); });
    }
    dl->PopClipRect();
    if (!any)
      centred_note(dl, fo, f, r, "accuracy of the mini-batches appears with the first steps",
                   pal.text_dim);
  }
}

}  // namespace initscope::render
