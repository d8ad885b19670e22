#include "gan_figure.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>

#include "color_maps.h"
#include "dashed_line.h"
#include "figure_heading.h"
#include "fonts.h"
#include "text.h"
#include "theme.h"
#include "ticks.h"
#include "training_curves.h"

namespace initscope::render {
namespace {

struct GanMetrics {
  float f, title_h, info_h, legend_h, panel_title_h, tick_h, ylabel_w, gap;
  float samples_header_h, quality_h;
  GanMetrics(float font_px, const FigureOptions& opt) : f(font_px) {
    title_h = opt.title ? std::round(1.9f * f) : 0;
    info_h = std::round(1.5f * f);
    legend_h = opt.legend ? std::round(1.8f * f) : 0;
    panel_title_h = std::round(1.6f * f);
    tick_h = std::round(2.8f * f);  // step numbers, then the epochs' names
    ylabel_w = std::round(4.2f * f);
    gap = std::round(1.6f * f);
    samples_header_h = std::round(1.6f * f);
    quality_h = std::round(2.8f * f);  // 0.2 f, then two lines at 0.9 f, 1.25 f apart
  }
};

// A plot's area in the rectangle (x, y, w, ph): its title above, the y labels on the left, the
// step numbers and epochs below.
CellRect gan_plot_rect(const GanMetrics& m, float x, float y, float w, float ph) {
  CellRect r{std::round(x + m.ylabel_w), std::round(y + m.panel_title_h),
             std::round(x + w - 0.8f * m.f), std::round(y + ph - m.tick_h)};
  r.y1 = std::max(r.y1, r.y0 + 4), r.x1 = std::max(r.x1, r.x0 + 4);
  return r;
}

// The side layout: both curves stacked in the left half, the n sample blocks (per_row a row,
// each block_w wide with a grid of `side`) in the right half from `top` down.
void gan_side_layout(GanFigureLayout& out, const GanMetrics& m, ImVec2 pos, ImVec2 size, float top,
                     float h, float side, float block_w, int per_row, int n) {
  const float right_w = std::floor(0.5f * size.x), left_w = size.x - right_w - m.gap;
  const float ph = (h - 0.5f * m.gap) / 2;
  out.losses = gan_plot_rect(m, pos.x, top, left_w, ph);
  out.probabilities = gan_plot_rect(m, pos.x, top + ph + 0.5f * m.gap, left_w, ph);
  out.sample_block_w = std::floor(block_w);
  // Every row of blocks: the names, the grids, the quality lines (draw_gan_samples places the
  // names and numbers at the same offsets from each grid as in the first row).
  const float row_h = m.samples_header_h + side + m.quality_h + 0.5f * m.gap;
  out.samples_header_y = top;
  out.quality_y = top + m.samples_header_h + side + std::round(0.2f * m.f);
  const float x_right = pos.x + size.x - right_w;
  for (int c = 0; c < n; ++c) {
    const float bx = x_right + float(c % per_row) * (block_w + m.gap);
    const float x0 = std::round(bx + 0.5f * (block_w - side));
    const float y0 = std::round(top + float(c / per_row) * row_h + m.samples_header_h);
    out.sample_grids.push_back({x0, y0, x0 + side, y0 + side});
  }
}

FigureHeading gan_heading(const GanSnapshot& g, float width, float font_px) {
  return figure_heading(gan_figure_what(g), gan_figure_subject(g), width, font_px);
}

// The loss axis: the range of every finite (positive, on a log axis) G and D loss.
void gan_loss_range(const GanSnapshot& g, bool log, double& lo, double& hi) {
  double mn = std::numeric_limits<double>::infinity(), mx = -mn;
  for (const GanColumnHistory& c : g.columns)
    for (const std::vector<double>* vs : {&c.g_loss, &c.d_loss})
      for (double v : *vs) {
        if (!std::isfinite(v) || (log && v <= 0)) continue;
        mn = std::min(mn, v), mx = std::max(mx, v);
      }
  if (!std::isfinite(mn)) {
    lo = log ? -1 : 0, hi = log ? 1 : 3;
  } else if (!log) {
    lo = 0, hi = nice_ceil(std::max(mx * 1.05, 1e-6));
  } else {
    // At most 5 decades below the largest loss: a discriminator that wins outright has a loss
    // of 1e-300 (softplus of a huge logit), which would squash every other curve; lower values
    // run along the bottom.
    hi = std::log10(mx), lo = std::max(std::log10(mn), hi - 5.0);
    const double span = hi - lo, mid = 0.5 * (lo + hi);
    if (span < 0.4)
      lo = mid - 0.2, hi = mid + 0.2;
    else
      lo -= 0.04 * span, hi += 0.04 * span;
  }
}

float gan_y_of(const CellRect& r, double t) {
  t = std::clamp(t, 0.0, 1.0);
  const float h = r.y1 - r.y0, pad = std::min(4.0f, 0.05f * h);
  return r.y1 - pad - static_cast<float>(t) * (h - 2 * pad);
}

std::string gan_thousands(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string gan_widths(int in, const std::vector<int>& hidden, int out) {
  std::string s = std::to_string(in);
  for (int w : hidden) s += "\xE2\x86\x92" + std::to_string(w);
  return s + "\xE2\x86\x92" + std::to_string(out);
}

// Background, y grid lines with labels, step ticks, epoch boundaries and their names.
void gan_axes(ImDrawList* dl, const Fonts& fo, const GanMetrics& m, const CellRect& r,
              const std::vector<std::pair<double, std::string>>& yticks, const GanSnapshot& g,
              const Palette& pal) {
  const float f = m.f, s = 0.85f * f;
  dl->AddRectFilled(ImVec2(r.x0, r.y0), ImVec2(r.x1, r.y1), pal.cell);
  for (const auto& [tv, label] : yticks) {
    const float y = std::round(gan_y_of(r, tv)) + 0.5f;
    dl->AddLine(ImVec2(r.x0, y), ImVec2(r.x1, y), pal.grid_line);
    const ImVec2 ts = text_size(fo.regular, s, label);
    draw_text(dl, fo.regular, s, ImVec2(r.x0 - 0.3f * f - ts.x, y - ts.y / 2), pal.text_dim, label);
  }
  const uint64_t total = std::max<uint64_t>(1, g.total_steps);
  const int epochs = g.config.epochs;
  // Every k-th epoch's line when they would be closer than 2 font sizes (30 epochs in a
  // narrow plot).
  const double epoch_px =
      g.steps_per_epoch > 0 ? double(r.x1 - r.x0) * double(g.steps_per_epoch) / double(total) : 0.0;
  const int every = epoch_px > 0 ? std::max(1, static_cast<int>(std::ceil(2.0 * f / epoch_px))) : 1;
  for (int e = every; e <= epochs && g.steps_per_epoch > 0; e += every) {
    const double a = double(e - 1) * double(g.steps_per_epoch),
                 b = std::min(double(e) * double(g.steps_per_epoch), double(total));
    const float xa = step_x(r, a, total), xb = step_x(r, b, total);
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

// A panel's bold title and, right of it when there is room, the key of its solid and dashed
// lines (in full, else short, else none).
struct GanKey {
  const char* solid[2];
  const char* dashed[2];
};
void gan_panel_title(ImDrawList* dl, const Fonts& fo, const GanMetrics& m, const CellRect& r,
                     const std::string& title, const GanKey& key, const Palette& pal) {
  const float f = m.f, s = 0.9f * f, x = r.x0 - m.ylabel_w + 0.2f * f,
              y = r.y0 - m.panel_title_h + 0.2f * f;
  const std::string shown = fit_text(fo.bold, f, title, r.x1 - x);
  draw_text(dl, fo.bold, f, ImVec2(x, y), pal.text, shown);
  const float title_end = x + text_size(fo.bold, f, shown).x + 1.2f * f;
  for (int v = 0; v < 2; ++v) {
    const float w = 2 * (2.0f * f) + text_size(fo.regular, s, key.solid[v]).x + 1.2f * f +
                    text_size(fo.regular, s, key.dashed[v]).x;
    if (r.x1 - w < title_end) continue;
    float kx = r.x1 - w;
    const float ym = std::round(y + 0.62f * f) + 0.5f, thick = std::max(1.5f, 0.12f * f);
    dl->AddLine(ImVec2(kx, ym), ImVec2(kx + 1.5f * f, ym), pal.text_dim, thick);
    draw_text(dl, fo.regular, s, ImVec2(kx + 2.0f * f, y + 0.08f * f), pal.text_dim, key.solid[v]);
    kx += 2.0f * f + text_size(fo.regular, s, key.solid[v]).x + 1.2f * f;
    add_dashed_polyline(dl, {ImVec2(kx, ym), ImVec2(kx + 1.5f * f, ym)}, pal.text_dim, thick,
                        0.35f * f, 0.25f * f);
    draw_text(dl, fo.regular, s, ImVec2(kx + 2.0f * f, y + 0.08f * f), pal.text_dim, key.dashed[v]);
    return;
  }
}

// One curve of a column: solid or dashed, broken where a value has no place (t_of → NaN).
template <typename T>
void gan_curve(ImDrawList* dl, float f, const CellRect& r, uint64_t total,
               const std::vector<uint64_t>& steps, const std::vector<double>& values, bool dashed,
               ImU32 col, T&& t_of) {
  const float thick = std::max(1.5f, 0.12f * f);
  std::vector<ImVec2> pts;
  auto flush = [&] {
    if (pts.size() == 1) dl->AddCircleFilled(pts[0], std::max(2.0f, 0.2f * f), col, 10);
    if (pts.size() >= 2) {
      if (dashed)
        add_dashed_polyline(dl, pts, col, thick, 0.5f * f, 0.3f * f);
      else
        dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), col, 0, thick);
    }
    pts.clear();
  };
  const size_t n = std::min(values.size(), steps.size());
  for (size_t i = 0; i < n; ++i) {
    const double tv = t_of(values[i]);
    if (!std::isfinite(tv)) {
      flush();
      continue;
    }
    pts.emplace_back(step_x(r, double(steps[i]), total), gan_y_of(r, tv));
  }
  flush();
}

void gan_diverged_cross(ImDrawList* dl, float f, const CellRect& r, uint64_t total, uint64_t at,
                        ImU32 col) {
  const float x = step_x(r, double(at), total), y = r.y0 + 0.6f * f, a = 0.35f * f,
              thick = 2 * std::max(1.5f, 0.12f * f);
  dl->AddLine(ImVec2(x - a, y - a), ImVec2(x + a, y + a), col, thick);
  dl->AddLine(ImVec2(x - a, y + a), ImVec2(x + a, y - a), col, thick);
}

ImU32 gan_diverged_color(Theme theme) {
  return theme == Theme::Dark ? IM_COL32(200, 60, 50, 255) : IM_COL32(190, 40, 30, 255);
}

// The legend's entries: column names with a "diverged at step N" badge, wrapped onto as many
// lines as they need (an entry wider than the figure gets a line of its own). With dl null it
// only measures; returns the number of lines.
int gan_legend(ImDrawList* dl, const Fonts& fo, float f, ImVec2 pos, float width,
               const GanSnapshot& g, Theme theme, const Palette& pal) {
  const float sw = std::round(0.75f * f), gap = 0.4f * f, spacing = 1.5f * f;
  const float line_h = std::round(1.8f * f);
  float x = pos.x, y = pos.y + 0.25f * f;
  int lines = 1;
  for (size_t c = 0; c < g.columns.size(); ++c) {
    const GanColumnHistory& h = g.columns[c];
    const float tw = text_size(fo.regular, f, h.init).x;
    const std::string d =
        h.diverged_at ? "diverged at step " + gan_thousands(*h.diverged_at) : std::string();
    const float dw = d.empty() ? 0 : gap + draw_badge(nullptr, fo.regular, f, ImVec2(), d, 0, 0);
    if (x > pos.x && x + sw + gap + tw + dw > pos.x + width) {
      x = pos.x;
      y += line_h;
      ++lines;
    }
    if (dl) {
      dl->AddRectFilled(ImVec2(x, y + 0.15f * f), ImVec2(x + sw, y + 0.15f * f + sw),
                        column_color(static_cast<int>(c), theme), 0.15f * f);
      draw_text(dl, fo.regular, f, ImVec2(x + sw + gap, y), pal.text, h.init);
    }
    x += sw + gap + tw;
    if (!d.empty()) {
      const ImU32 bg = gan_diverged_color(theme);
      if (dl)
        draw_badge(dl, fo.regular, f, ImVec2(x + gap, y + std::round(0.08f * f)), d, bg,
                   contrast_text(bg));
      x += dw;
    }
    x += spacing;
  }
  return lines;
}

void gan_note(ImDrawList* dl, const Fonts& fo, float f, const CellRect& r, const char* text,
              ImU32 col) {
  const std::string t = fit_text(fo.regular, f, text, r.x1 - r.x0 - f);
  const ImVec2 ts = text_size(fo.regular, f, t);
  draw_text(dl, fo.regular, f, ImVec2(0.5f * (r.x0 + r.x1 - ts.x), 0.5f * (r.y0 + r.y1 - ts.y)),
            col, t);
}

void draw_gan_losses(ImDrawList* dl, const Fonts& fo, const GanMetrics& m,
                     const GanFigureLayout& lay, const GanSnapshot& g, const FigureOptions& opt,
                     const Palette& pal) {
  const CellRect& r = lay.losses;
  const bool log = opt.log_loss;
  std::vector<std::pair<double, std::string>> yt;
  const double span = lay.loss_hi - lay.loss_lo;
  if (log) {
    for (double v : log_ticks(lay.loss_lo, lay.loss_hi))
      yt.emplace_back((std::log10(v) - lay.loss_lo) / span, format_number(v));
  } else {
    for (double v : nice_ticks(lay.loss_lo, lay.loss_hi, 4))
      yt.emplace_back((v - lay.loss_lo) / span, format_number(v));
  }
  gan_panel_title(dl, fo, m, r, log ? "Losses (log scale)" : "Losses",
                  {{"generator", "G"}, {"discriminator", "D"}}, pal);
  gan_axes(dl, fo, m, r, yt, g, pal);
  auto t_of = [&](double v) {
    if (!std::isfinite(v) || (log && v <= 0)) return std::numeric_limits<double>::quiet_NaN();
    return ((log ? std::log10(v) : v) - lay.loss_lo) / span;
  };
  const uint64_t total = std::max<uint64_t>(1, g.total_steps);
  dl->PushClipRect(ImVec2(r.x0, r.y0), ImVec2(r.x1 + 1, r.y1), true);
  bool any = false;
  for (size_t c = 0; c < g.columns.size(); ++c) {
    const GanColumnHistory& h = g.columns[c];
    const ImU32 col = column_color(static_cast<int>(c), opt.theme);
    any = any || !h.step.empty();
    gan_curve(dl, m.f, r, total, h.step, h.d_loss, true, col, t_of);
    gan_curve(dl, m.f, r, total, h.step, h.g_loss, false, col, t_of);
    if (h.diverged_at) gan_diverged_cross(dl, m.f, r, total, *h.diverged_at, col);
  }
  dl->PopClipRect();
  if (!any)
    gan_note(dl, fo, m.f, r, "no steps yet: press Space to train, \xE2\x86\x92 to step",
             pal.text_dim);
}

void draw_gan_probabilities(ImDrawList* dl, const Fonts& fo, const GanMetrics& m,
                            const GanFigureLayout& lay, const GanSnapshot& g,
                            const FigureOptions& opt, const Palette& pal) {
  const CellRect& r = lay.probabilities;
  const float f = m.f;
  std::vector<std::pair<double, std::string>> yt;
  for (int k = 0; k <= 4; ++k) yt.emplace_back(k / 4.0, format_number(k / 4.0));
  gan_panel_title(dl, fo, m, r, "Discriminator's output",
                  {{"D(x) on real", "D(x)"}, {"D(G(z)) on fake", "D(G(z))"}}, pal);
  gan_axes(dl, fo, m, r, yt, g, pal);
  // 0.5: the discriminator cannot tell real from fake.
  const float y = std::round(gan_y_of(r, 0.5)) + 0.5f;
  add_dashed_polyline(dl, {ImVec2(r.x0, y), ImVec2(r.x1, y)}, pal.text_dim, 1.0f, 0.3f * f,
                      0.3f * f);
  const char* note = "cannot tell";
  draw_text(dl, fo.regular, 0.8f * f,
            ImVec2(r.x1 - 0.3f * f - text_size(fo.regular, 0.8f * f, note).x, y - 1.05f * f),
            pal.text_dim, note);
  auto t_of = [](double v) {
    return std::isfinite(v) ? v : std::numeric_limits<double>::quiet_NaN();
  };
  const uint64_t total = std::max<uint64_t>(1, g.total_steps);
  dl->PushClipRect(ImVec2(r.x0, r.y0), ImVec2(r.x1 + 1, r.y1), true);
  for (size_t c = 0; c < g.columns.size(); ++c) {
    const GanColumnHistory& h = g.columns[c];
    const ImU32 col = column_color(static_cast<int>(c), opt.theme);
    gan_curve(dl, f, r, total, h.step, h.d_fake, true, col, t_of);
    gan_curve(dl, f, r, total, h.step, h.d_real, false, col, t_of);
    if (h.diverged_at) gan_diverged_cross(dl, f, r, total, *h.diverged_at, col);
  }
  dl->PopClipRect();
}

}  // namespace

std::string gan_figure_what(const GanSnapshot& g) {
  if (g.config.data.empty()) return "GAN on Fashion-MNIST";
  std::filesystem::path p(g.config.data);
  if (!p.has_filename()) p = p.parent_path();
  return "GAN on " + p.filename().string();
}

std::string gan_figure_subject(const GanSnapshot& g) {
  const int epochs = g.config.epochs;
  return "generator and discriminator losses per init, epoch " +
         std::to_string(std::min(g.epoch + (g.finished ? 0 : 1), epochs)) + " of " +
         std::to_string(epochs);
}

std::string gan_settings_line(const GanSnapshot& g) {
  const GanConfig& c = g.config;
  const int image = g.image_rows * g.image_cols;
  char opt[96];
  std::snprintf(opt, sizeof opt, "%s lr %g \xCE\xB2\xE2\x82\x81 %g", c.optimizer.name().c_str(),
                c.optimizer.lr, c.optimizer.beta1);
  std::string s = "G " + gan_widths(c.latent, c.g_hidden, image) + " \xC2\xB7 D " +
                  gan_widths(image, c.d_hidden, 1) + " \xC2\xB7 " + c.hidden_activation.name() +
                  " \xC2\xB7 " + opt + " \xC2\xB7 batch " + std::to_string(c.batch) + " \xC2\xB7 " +
                  gan_thousands(uint64_t(std::max(0, g.train_images))) + " images \xC2\xB7 step " +
                  gan_thousands(g.step) + " of " + gan_thousands(g.total_steps);
  if (g.finished) s += " \xC2\xB7 finished";
  return s;
}

ImU32 gan_sample_color(float v) {
  if (!std::isfinite(v)) return IM_COL32(220, 40, 40, 255);
  const int k = static_cast<int>(std::lround((std::clamp(v, -1.0f, 1.0f) + 1.0f) * 127.5f));
  return IM_COL32(k, k, k, 255);
}

GanFigureLayout gan_figure_layout(ImVec2 pos, ImVec2 size, const GanSnapshot& g,
                                  const FigureOptions& opt, float font_px) {
  const GanMetrics m(font_px, opt);
  const float f = m.f;
  GanFigureLayout out;
  out.title_y = pos.y;
  out.info_y = pos.y + m.title_h +
               (opt.title ? gan_heading(g, size.x, font_px).subtitle_height(font_px) : 0);
  out.legend_y = out.info_y + m.info_h;
  const int legend_lines =
      opt.legend ? gan_legend(nullptr, fonts(), f, pos, size.x, g, opt.theme, palette(opt.theme))
                 : 1;
  const float top = out.legend_y + m.legend_h * float(legend_lines) + 0.3f * f;
  const float h = std::max(1.0f, pos.y + size.y - top);
  // The samples: one block per column side by side, each a square grid under the column's
  // name with two lines of quality numbers below; at most 45% of the height.
  const int n = std::max<int>(1, static_cast<int>(g.columns.size()));
  const float block_w = (size.x - float(n - 1) * m.gap) / float(n);
  const float extra = m.samples_header_h + m.quality_h;
  const float side = std::floor(std::max(0.0f, std::min(block_w, 0.45f * h - extra)));
  out.images_per_side =
      std::max(1, static_cast<int>(std::ceil(std::sqrt(double(std::max(1, g.config.samples))))));
  // Short and wide (text ×2 on 1080p: side 142 px under the curves): the curves stacked on the
  // left, the samples two blocks a row on the right, when that makes them 1.3 × larger.
  const int per_row = std::min(n, 2), rows = (n + per_row - 1) / per_row;
  const float right_w = std::floor(0.5f * size.x);
  const float block_w2 = (right_w - float(per_row - 1) * m.gap) / float(per_row);
  const float side2 = std::floor(std::max(
      0.0f, std::min(block_w2, (h - float(rows - 1) * 0.5f * m.gap) / float(rows) - extra)));
  // Legible images: each at least ≈ 1.1 text lines high (19 px at text ×1, 37 px at ×2), so a
  // grid too small for all its samples at that size shows the first k × k of them (the names
  // say "k² of N").
  auto legible = [&](float grid_side) {
    const int fit =
        static_cast<int>(std::floor((grid_side + 1.0f) / (std::round(1.1f * f) + 1.0f)));
    out.images_per_side = std::clamp(fit, 1, out.images_per_side);
    out.image_side = grid_side / float(out.images_per_side) - 1.0f;  // a 1-px gap between images
  };
  if (n > 1 && side2 > 1.3f * side) {
    gan_side_layout(out, m, pos, size, top, h, side2, block_w2, per_row, n);
    legible(side2);
    gan_loss_range(g, opt.log_loss, out.loss_lo, out.loss_hi);
    return out;
  }
  out.sample_block_w = std::floor(block_w);
  legible(side);
  const float samples_h = side + extra;
  out.samples_header_y = pos.y + size.y - samples_h;
  out.quality_y = out.samples_header_y + m.samples_header_h + side + std::round(0.2f * f);
  for (int c = 0; c < n; ++c) {
    const float x0 = std::round(pos.x + float(c) * (block_w + m.gap) + 0.5f * (block_w - side));
    const float y0 = out.samples_header_y + m.samples_header_h;
    out.sample_grids.push_back({x0, y0, x0 + side, y0 + side});
  }
  // The curves: above the samples, side by side when each still gets 1.1 × its height.
  const float ch = std::max(1.0f, h - samples_h - 0.5f * m.gap);
  if (size.x >= 2.2f * ch) {
    const float w = (size.x - m.gap) / 2;
    out.losses = gan_plot_rect(m, pos.x, top, w, ch);
    out.probabilities = gan_plot_rect(m, pos.x + w + m.gap, top, w, ch);
  } else {
    const float ph = (ch - 0.5f * m.gap) / 2;
    out.losses = gan_plot_rect(m, pos.x, top, size.x, ph);
    out.probabilities = gan_plot_rect(m, pos.x, top + ph + 0.5f * m.gap, size.x, ph);
  }
  gan_loss_range(g, opt.log_loss, out.loss_lo, out.loss_hi);
  return out;
}

CellRect gan_image_rect(const GanFigureLayout& lay, int column, int image) {
  const CellRect& grid = lay.sample_grids.at(static_cast<size_t>(column));
  const int n = std::max(1, lay.images_per_side);
  const float cell = (grid.x1 - grid.x0) / float(n);
  const int cx = image % n, cy = image / n;
  // Whole-pixel edges; the last pixel row and column of every cell is the gap.
  return {std::round(grid.x0 + float(cx) * cell), std::round(grid.y0 + float(cy) * cell),
          std::round(grid.x0 + float(cx + 1) * cell) - 1.0f,
          std::round(grid.y0 + float(cy + 1) * cell) - 1.0f};
}

void draw_gan_figure(ImDrawList* dl, ImVec2 pos, ImVec2 size, const GanSnapshot& g,
                     const FigureOptions& opt, const GanSampleImages* images) {
  const Fonts fo = fonts();
  const float f = font_pixels_now();
  const GanMetrics m(f, opt);
  const Palette& pal = palette(opt.theme);
  const GanFigureLayout lay = gan_figure_layout(pos, size, g, opt, f);
  if (opt.background)
    dl->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y), pal.background);
  if (opt.title)
    draw_figure_heading(dl, gan_heading(g, size.x, f), ImVec2(pos.x, lay.title_y), lay.info_y, opt);
  draw_text(dl, fo.regular, 0.9f * f, ImVec2(pos.x, lay.info_y + 0.2f * f), pal.text_dim,
            fit_text(fo.regular, 0.9f * f, gan_settings_line(g), size.x));
  if (opt.legend) gan_legend(dl, fo, f, ImVec2(pos.x, lay.legend_y), size.x, g, opt.theme, pal);
  draw_gan_losses(dl, fo, m, lay, g, opt, pal);
  draw_gan_probabilities(dl, fo, m, lay, g, opt, pal);
  draw_gan_samples(dl, lay, g, opt, images);
}

}  // namespace initscope::render
