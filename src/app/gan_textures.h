#pragma once
// The GAN mode's sample grids as GL textures (render::GanSampleImages): per column one RGBA
// texture of the n × n images of its fixed noise side by side at the images' resolution
// (8 × 28 = 224 pixels a side for the default 64 samples), uploaded only when the samples change
// (at epoch ends), so a frame draws 64 quads per column instead of one rectangle per run of
// equal grey. Measured under Xvfb (llvmpipe, 1920×1080, 4 columns of noise at the start):
// frames 190 ms → see README "GAN mode in the window". Owned by the window (gui.cpp), which has
// the GL context; the headless UI test has none and draws rectangles.
#include <vector>

#include "core/gan/gan_snapshot.h"
#include "render/gan_figure.h"

namespace initscope::app {

class GanSampleTextures {
 public:
  GanSampleTextures() = default;
  GanSampleTextures(const GanSampleTextures&) = delete;
  GanSampleTextures& operator=(const GanSampleTextures&) = delete;
  ~GanSampleTextures();  // release() must have run while the GL context was current

  // The images of `g` (null: none); uploads what changed since the last call.
  const render::GanSampleImages* update(const GanSnapshot* g);
  void release();  // deletes the textures (GL context current)

 private:
  std::vector<unsigned> ids_;                 // GLuint per column
  std::vector<std::vector<float>> uploaded_;  // the samples each texture holds
  int uploaded_side_ = 0;                     // images_per_side of the mosaics
  render::GanSampleImages images_;
};

}  // namespace initscope::app
