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
#include "step_plot.h"
#include "text.h"
#include "theme.h"

namespace initscope::render {
namespace {

// The step plots' sizes, and below them the samples' rows: the columns' names 1.6 f, the
// quality numbers 2.8 f (0.2 f, then two lines at 0.9 f, 1.25 f apart).
struct GanMetrics : StepPlotMetrics {
  float samples_header_h, quality_h;
  GanMetrics(float font_px, const FigureOptions& opt) : StepPlotMetrics(font_px, opt) {
    samples_header_h = std::round(1.6f * f);
    quality_h = std::round(2.8f * f);
  }
};

// The side layout: both curves stacked in the left half, the n sample blocks (per_row a row,
// each block_w wide with a grid of `side`) in the right half from `top` down.
void gan_side_layout(GanFigureLayout& out, const GanMetrics& m, ImVec2 pos, ImVec2 size, float top,
                     float h, float side, float block_w, int per_row, int n) {
  const float right_w = std::floor(0.5f * size.x), left_w = size.x - right_w - m.gap;
  const float ph = (h - 0.5f * m.gap) / 2;
  out.losses = step_plot_rect(m, pos.x, top, left_w, ph);
  out.probabilities = step_plot_rect(m, pos.x, top + ph + 0.5f * m.gap, left_w, ph);
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
  // At most 5 decades below the largest loss: a discriminator that wins outright has a loss
  // of 1e-300 (softplus of a huge logit), which would squash every other curve.
  loss_axis_range(mn, mx, log, 5.0, lo, hi);
}

std::string gan_widths(int in, const std::vector<int>& hidden, int out) {
  std::string s = std::to_string(in);
  for (int w : hidden) s += "\xE2\x86\x92" + std::to_string(w);
  return s + "\xE2\x86\x92" + std::to_string(out);
}

StepAxis gan_step_axis(const GanSnapshot& g) {
  return {std::max<uint64_t>(1, g.total_steps), g.steps_per_epoch, g.config.epochs};
}

// A panel's bold title and, right of it when there is room, the key of its solid and dashed
// lines (in full, else short, else none).
void gan_panel_title(ImDrawList* dl, const Fonts& fo, const GanMetrics& m, const CellRect& r,
                     const std::string& title, const LineKey (&keys)[2], const Palette& pal) {
  const float f = m.f;
  const ImVec2 at = panel_title_pos(r, m);
  const std::string shown = fit_text(fo.bold, f, title, r.x1 - at.x);
  draw_text(dl, fo.bold, f, at, pal.text, shown);
  const float title_end = at.x + text_size(fo.bold, f, shown).x + 1.2f * f;
  for (const LineKey& key : keys) {
    const float w = line_key_width(fo, f, key);
    if (r.x1 - w < title_end) continue;
    draw_line_key(dl, fo, f, r.x1 - w, at.y, key, pal);
    return;
  }
}

// One curve of a column: solid or dashed, broken where a value has no place (t_of → NaN).
template <typename T>
void gan_curve(ImDrawList* dl, float f, const CellRect& r, uint64_t total,
               const std::vector<uint64_t>& steps, const std::vector<double>& values, bool dashed,
               ImU32 col, T&& t_of) {
  const float thick = std::max(1.5f, 0.12f * f);
  for_each_curve_run(r, total, steps, values, t_of, [&](const std::vector<ImVec2>& pts, bool) {
    if (pts.size() == 1)
      dl->AddCircleFilled(pts[0], std::max(2.0f, 0.2f * f), col, 10);
    else if (dashed)
      add_dashed_polyline(dl, pts, col, thick, 0.5f * f, 0.3f * f);
    else
      dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), col, 0, thick);
  });
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
        h.diverged_at ? "diverged at step " + thousands(*h.diverged_at) : std::string();
    const float dw = d.empty() ? 0 : gap + draw_badge(nullptr, fo.regular, f, ImVec2(), d, 0, 0);
    if (x > pos.x && x + sw + gap + tw + dw > pos.x + width) {
      x = pos.x;
      y += line_h;
      ++lines;
    }
    if (dl) draw_legend_name(dl, fo, f, x, y, static_cast<int>(c), h.init, theme, pal);
    x += sw + gap + tw;
    if (!d.empty()) {
      const ImU32 bg = diverged_color(theme);
      if (dl)
        draw_badge(dl, fo.regular, f, ImVec2(x + gap, y + std::round(0.08f * f)), d, bg,
                   contrast_text(bg));
      x += dw;
    }
    x += spacing;
  }
  return lines;
}

void draw_gan_losses(ImDrawList* dl, const Fonts& fo, const GanMetrics& m,
                     const GanFigureLayout& lay, const GanSnapshot& g, const FigureOptions& opt,
                     const Palette& pal) {
  const CellRect& r = lay.losses;
  const bool log = opt.log_loss;
  gan_panel_title(dl, fo, m, r, log ? "Losses (log scale)" : "Losses",
                  {{"generator", "discriminator", 1.2f}, {"G", "D", 1.2f}}, pal);
  draw_step_axes(dl, fo, m.f, r, loss_axis_ticks(lay.loss_lo, lay.loss_hi, log), gan_step_axis(g),
                 pal);
  auto t_of = [&](double v) { return loss_axis_t(v, lay.loss_lo, lay.loss_hi, log); };
  const uint64_t total = std::max<uint64_t>(1, g.total_steps);
  dl->PushClipRect(ImVec2(r.x0, r.y0), ImVec2(r.x1 + 1, r.y1), true);
  bool any = false;
  for (size_t c = 0; c < g.columns.size(); ++c) {
    const GanColumnHistory& h = g.columns[c];
    const ImU32 col = column_color(static_cast<int>(c), opt.theme);
    any = any || !h.step.empty();
    gan_curve(dl, m.f, r, total, h.step, h.d_loss, true, col, t_of);
    gan_curve(dl, m.f, r, total, h.step, h.g_loss, false, col, t_of);
    if (h.diverged_at) draw_diverged_cross(dl, m.f, r, total, *h.diverged_at, col);
  }
  dl->PopClipRect();
  if (!any)
    draw_centred_note(dl, fo, m.f, r, "no steps yet: press Space to train, \xE2\x86\x92 to step",
                      pal.text_dim);
}

void draw_gan_probabilities(ImDrawList* dl, const Fonts& fo, const GanMetrics& m,
                            const GanFigureLayout& lay, const GanSnapshot& g,
                            const FigureOptions& opt, const Palette& pal) {
  const CellRect& r = lay.probabilities;
  const float f = m.f;
  AxisTicks yt;
  for (int k = 0; k <= 4; ++k) yt.emplace_back(k / 4.0, format_number(k / 4.0));
  gan_panel_title(dl, fo, m, r, "Discriminator's output",
                  {{"D(x) on real", "D(G(z)) on fake", 1.2f}, {"D(x)", "D(G(z))", 1.2f}}, pal);
  draw_step_axes(dl, fo, f, r, yt, gan_step_axis(g), pal);
  // 0.5: the discriminator cannot tell real from fake.
  draw_reference_line(dl, fo, f, r, 0.5, "cannot tell", pal);
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
    if (h.diverged_at) draw_diverged_cross(dl, f, r, total, *h.diverged_at, col);
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
                  thousands(uint64_t(std::max(0, g.train_images))) + " images \xC2\xB7 step " +
                  thousands(g.step) + " of " + thousands(g.total_steps);
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
  place_plot_pair(pos.x, top, size.x, ch, m, out.losses, out.probabilities);
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
