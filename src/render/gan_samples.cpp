// The GAN figure's lower part: per column its name, the grid of images its generator draws from
// the fixed noise (grayscale rectangles, see gan_figure.h) and the epoch's quality numbers.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "color_maps.h"
#include "fonts.h"
#include "gan_figure.h"
#include "text.h"
#include "theme.h"

namespace initscope::render {
namespace {

// One image of rows × cols values into the screen rectangle r: at full resolution one
// rectangle per source pixel when r has at least that many pixels, else one per screen pixel
// with the mean of the source pixels it covers; equal greys next to each other in a row are
// one rectangle (the garments' black background is most of an image).
void draw_gan_image(ImDrawList* dl, const CellRect& r, const float* v, int rows, int cols) {
  const float w = r.x1 - r.x0, h = r.y1 - r.y0;
  if (w < 1 || h < 1) return;
  const int out_c = std::min(cols, static_cast<int>(w)),
            out_r = std::min(rows, static_cast<int>(h));
  auto edge = [](float a, float len, int k, int n) {
    return std::round(a + len * float(k) / float(n));
  };
  for (int i = 0; i < out_r; ++i) {
    const int r0 = i * rows / out_r, r1 = std::max(r0 + 1, ((i + 1) * rows) / out_r);
    const float y0 = edge(r.y0, h, i, out_r), y1 = edge(r.y0, h, i + 1, out_r);
    int run_start = 0;
    ImU32 run_color = 0;
    for (int j = 0; j <= out_c; ++j) {
      ImU32 col = 0;
      if (j < out_c) {
        const int c0 = j * cols / out_c, c1 = std::max(c0 + 1, ((j + 1) * cols) / out_c);
        float sum = 0;
        for (int a = r0; a < r1; ++a)
          for (int b = c0; b < c1; ++b) sum += v[size_t(a) * size_t(cols) + size_t(b)];
        col = gan_sample_color(sum / float((r1 - r0) * (c1 - c0)));
      }
      if (j > 0 && (j == out_c || col != run_color)) {
        dl->AddRectFilled(ImVec2(edge(r.x0, w, run_start, out_c), y0),
                          ImVec2(edge(r.x0, w, j, out_c), y1), run_color);
        run_start = j;
      }
      if (j == 0) run_start = 0;
      run_color = col;
    }
  }
}

std::string gan_quality_number(const char* fmt, double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

}  // namespace

void draw_gan_samples(ImDrawList* dl, const GanFigureLayout& lay, const GanSnapshot& g,
                      const FigureOptions& opt, const GanSampleImages* images) {
  const Fonts fo = fonts();
  const float f = font_pixels_now(), s = 0.9f * f;
  const Palette& pal = palette(opt.theme);
  const int per_image = g.image_rows * g.image_cols;
  for (size_t c = 0; c < g.columns.size() && c < lay.sample_grids.size(); ++c) {
    const GanColumnHistory& h = g.columns[c];
    const CellRect& grid = lay.sample_grids[c];
    const float side = grid.x1 - grid.x0;
    // Name: a swatch of the column's colour and the init, centred over the grid when it fits.
    const float sw = std::round(0.75f * f), room = lay.sample_block_w;
    // A grid that shows fewer than all its samples (legible images at large text) says so.
    const int per_image_n =
        per_image > 0 ? static_cast<int>(h.samples.size() / size_t(per_image)) : 0;
    const int shown_n = std::min(per_image_n, lay.images_per_side * lay.images_per_side);
    const std::string counted =
        h.init + "  (" + std::to_string(shown_n) + " of " + std::to_string(per_image_n) + ")";
    const std::string label =  // the count only where the whole name still fits with it
        shown_n < per_image_n && text_size(fo.regular, f, counted).x <= room - sw - 0.4f * f
            ? counted
            : h.init;
    const std::string name = fit_text(fo.regular, f, label, room - sw - 0.4f * f);
    const float nw = sw + 0.4f * f + text_size(fo.regular, f, name).x;
    // Names and numbers at the first grid's offsets from every grid (the side layout has rows).
    const CellRect& first = lay.sample_grids.front();
    const float nx = std::round(0.5f * (grid.x0 + grid.x1 - nw)),
                ny = grid.y0 + (lay.samples_header_y - first.y0);
    dl->AddRectFilled(ImVec2(nx, ny + 0.3f * f), ImVec2(nx + sw, ny + 0.3f * f + sw),
                      column_color(static_cast<int>(c), opt.theme), 0.15f * f);
    draw_text(dl, fo.regular, f, ImVec2(nx + sw + 0.4f * f, ny + 0.15f * f), pal.text, name);
    if (side < 4) continue;
    dl->AddRectFilled(ImVec2(grid.x0, grid.y0), ImVec2(grid.x1, grid.y1), pal.cell);
    const int images_n = per_image_n;
    const ImTextureID tex = images && images->of == &g && c < images->textures.size()
                                ? images->textures[c]
                                : ImTextureID{};
    const int mosaic = images ? std::max(1, images->images_per_side) : 1;
    for (int k = 0; k < images_n && k < lay.images_per_side * lay.images_per_side; ++k) {
      const CellRect r = gan_image_rect(lay, static_cast<int>(c), k);
      if (tex && k < mosaic * mosaic) {  // one quad: the image's square of the mosaic
        const float u = float(k % mosaic) / float(mosaic), v = float(k / mosaic) / float(mosaic);
        dl->AddImage(tex, ImVec2(r.x0, r.y0), ImVec2(r.x1, r.y1), ImVec2(u, v),
                     ImVec2(u + 1.0f / float(mosaic), v + 1.0f / float(mosaic)));
        continue;
      }
      draw_gan_image(dl, r, h.samples.data() + size_t(k) * size_t(per_image), g.image_rows,
                     g.image_cols);
    }
    if (images_n == 0) {
      const std::string t = fit_text(fo.regular, s, "samples at the first epoch's end", side - f);
      const ImVec2 ts = text_size(fo.regular, s, t);
      draw_text(dl, fo.regular, s,
                ImVec2(0.5f * (grid.x0 + grid.x1 - ts.x), 0.5f * (grid.y0 + grid.y1 - ts.y)),
                pal.text_dim, t);
    }
    // Quality of the last epoch's samples: two lines under the grid.
    // Entropy out of ln 10 (every class equally often); FID on initscope's own classifier.
    // Each line: the first of its wordings that fits the block.
    std::vector<std::vector<std::string>> lines{
        {"quality at the first epoch's end", "no epoch yet"}};
    if (!h.epochs.empty()) {
      const GanEpochQuality& q = h.epochs.back();
      const std::string conf = gan_quality_number("%.2f", q.confidence),
                        ent = gan_quality_number("%.2f", q.class_entropy),
                        fid = gan_quality_number(q.fid < 100 ? "%.1f" : "%.0f", q.fid);
      lines = {{"epoch " + std::to_string(q.epoch) + ": confidence " + conf,
                "epoch " + std::to_string(q.epoch) + ": conf. " + conf},
               {"class entropy " + ent + " of 2.30 \xC2\xB7 FID " + fid,
                "entropy " + ent + " \xC2\xB7 FID " + fid, "H " + ent + " \xC2\xB7 FID " + fid}};
    } else if (h.diverged_at) {
      lines = {{"diverged at step " + std::to_string(*h.diverged_at)},
               {"before its first epoch's end", "before epoch 1 ended"}};
    } else if (g.epoch > 0) {  // a run without the quality measure (no classifier)
      lines = {{"samples after epoch " + std::to_string(g.epoch)},
               {"no quality measure in this run", "no quality numbers"}};
    }
    const float lx0 = std::round(0.5f * (grid.x0 + grid.x1 - room));
    float y = grid.y1 + (lay.quality_y - first.y1);
    for (const std::vector<std::string>& wordings : lines) {
      std::string t = wordings.back();
      for (const std::string& w : wordings)
        if (text_size(fo.regular, s, w).x <= room) {
          t = w;
          break;
        }
      t = fit_text(fo.regular, s, t, room);
      const float tw = text_size(fo.regular, s, t).x;
      draw_text(dl, fo.regular, s,
                ImVec2(std::max(lx0, std::round(0.5f * (grid.x0 + grid.x1 - tw))), y), pal.text_dim,
                t);
      y += std::round(1.25f * f);
    }
  }
}

}  // namespace initscope::render
