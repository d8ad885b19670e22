#pragma once
// The GAN experiment's figure (issue 14, `export --view gan` and the window's GAN mode): per
// column (one init for both networks) the two losses and the discriminator's outputs over the G
// steps, and the images its generator draws from the fixed noise with their quality numbers.
//
//  [GAN on Fashion-MNIST — generator and discriminator losses per init, epoch 3 of 5          ]
//  [G 100→256→512→1024→784 · D 784→512→256→1 · leaky_relu:slope=0.2 · adam lr 0.0002 β₁ 0.5 …]
//  [■ torch_linear_default   ■ auto   ■ normal:std=1 [diverged at step 40]                    ]
//  [ Losses (log scale) ── G - - D           | Discriminator's output ── D(x) - - D(G(z))     ]
//  [ ┼── per column: G solid, D dashed       | ┼── 0.5 dashed: D cannot tell                   ]
//  [ 0   500   1000   step                   | 0   500   1000   step                          ]
//  [ ■ torch_linear_default  | ■ auto         | ■ normal:std=0.02 | ■ normal:std=1            ]
//  [ ▓▓▓▓ 8×8 samples        | ▓▓▓▓           | ▓▓▓▓              | ▓▓▓▓                      ]
//  [ epoch 3: confidence 0.81| …              |                   |                           ]
//  [ entropy 2.10 · FID 12.3 |                |                   |                           ]
//
// x = G steps over the whole run (0 … total_steps, fixed so the axes do not jump as training
// goes on), epoch ends as faint vertical lines, a cross at the top where a column diverged. The
// samples are grayscale, −1 black … +1 white (the images are scaled to [−1, 1]), one filled
// rectangle per shown pixel — ImDrawList only, so the window and the headless exporter draw
// them alike; runs of equal grey in a row are one rectangle, and a grid smaller than its
// images' pixels is box-averaged down to one rectangle per screen pixel.
#include <imgui.h>

#include <string>
#include <vector>

#include "core/gan/gan_snapshot.h"
#include "figure.h"

namespace initscope::render {

struct GanFigureLayout {
  float title_y = 0, info_y = 0, legend_y = 0;
  CellRect losses, probabilities;   // the two plot areas
  double loss_lo = 0, loss_hi = 1;  // the loss axis: log10 of the loss when opt.log_loss
  // Per column: the square that holds its grid of samples (images side by side, 1-px gaps).
  std::vector<CellRect> sample_grids;
  float sample_block_w = 0;    // the width each column's block has (name and numbers fit in it)
  float samples_header_y = 0;  // the columns' names above the grids
  float quality_y = 0;         // the first of the two lines of quality numbers under them
  int images_per_side = 0;     // ceil(√samples)
  float image_side = 0;        // pixels of one image in the grid (without the gap)
};
// The window's sample grids as textures (app/gan_textures.h), made once per snapshot: per column
// one texture of images_per_side² images side by side at the images' resolution (image k at
// column k % n, row k / n of the mosaic). One textured quad per image replaces the rectangles —
// ~10⁵ per frame at the start, when the samples are noise, which software GL (llvmpipe) spent
// ~120 ms of CPU per frame on, measured under Xvfb (frames 190 → see gan_textures.h). Used only
// when `of` is the snapshot being drawn and the column has a texture (id ≠ 0); else rectangles.
struct GanSampleImages {
  const GanSnapshot* of = nullptr;
  std::vector<ImTextureID> textures;  // per column
  int images_per_side = 0;            // of the mosaic
};

GanFigureLayout gan_figure_layout(ImVec2 pos, ImVec2 size, const GanSnapshot& g,
                                  const FigureOptions& opt, float font_px);

// "GAN on Fashion-MNIST" (or the data folder's name) and what the figure shows at this point:
// "generator and discriminator losses per init, epoch 3 of 5".
std::string gan_figure_what(const GanSnapshot& g);
std::string gan_figure_subject(const GanSnapshot& g);
// The settings line: both networks' widths, the activation, the optimizer, batch, images, step.
std::string gan_settings_line(const GanSnapshot& g);

// Where image `image` (0-based, row-major in the grid) of column `column` lies on screen; the
// pixel (r, c) of a 28×28 image drawn at full resolution covers
// [x0 + c·w/cols, x0 + (c+1)·w/cols) × [y0 + r·h/rows, …) of it.
CellRect gan_image_rect(const GanFigureLayout& lay, int column, int image);
// The grey of a sample's value: −1 black … +1 white (clamped); not finite: red.
ImU32 gan_sample_color(float v);

void draw_gan_figure(ImDrawList* dl, ImVec2 pos, ImVec2 size, const GanSnapshot& g,
                     const FigureOptions& opt, const GanSampleImages* images = nullptr);

// The parts (gan_samples.cpp): every column's name, sample grid and quality numbers.
void draw_gan_samples(ImDrawList* dl, const GanFigureLayout& lay, const GanSnapshot& g,
                      const FigureOptions& opt, const GanSampleImages* images = nullptr);

}  // namespace initscope::render
