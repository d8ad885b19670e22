#include "gan_textures.h"

#define GL_GLEXT_PROTOTYPES
#include <GL/glcorearb.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace initscope::app {
namespace {

// Column `samples` (n images of rows × cols values, one after the other) as a mosaic of
// side × side images, RGBA bytes (gan_sample_color: −1 black … +1 white, not finite red).
std::vector<ImU32> gan_mosaic_pixels(const std::vector<float>& samples, int rows, int cols,
                                     int side) {
  const int w = side * cols, h = side * rows, per_image = rows * cols;
  std::vector<ImU32> px(size_t(w) * size_t(h), IM_COL32(0, 0, 0, 255));
  const int n = per_image > 0 ? static_cast<int>(samples.size() / size_t(per_image)) : 0;
  for (int k = 0; k < n && k < side * side; ++k) {
    const float* img = samples.data() + size_t(k) * size_t(per_image);
    const int x0 = (k % side) * cols, y0 = (k / side) * rows;
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < cols; ++c)
        px[size_t(y0 + r) * size_t(w) + size_t(x0 + c)] =
            render::gan_sample_color(img[size_t(r) * size_t(cols) + size_t(c)]);
  }
  return px;
}

}  // namespace

GanSampleTextures::~GanSampleTextures() = default;

void GanSampleTextures::release() {
  if (!ids_.empty()) glDeleteTextures(static_cast<GLsizei>(ids_.size()), ids_.data());
  ids_.clear();
  uploaded_.clear();
  images_ = {};
}

const render::GanSampleImages* GanSampleTextures::update(const GanSnapshot* g) {
  if (!g) return nullptr;
  const int side =
      std::max(1, static_cast<int>(std::ceil(std::sqrt(double(std::max(1, g->config.samples))))));
  if (side != uploaded_side_ || g->columns.size() != ids_.size()) release();
  uploaded_side_ = side;
  if (ids_.empty() && !g->columns.empty()) {
    ids_.resize(g->columns.size());
    glGenTextures(static_cast<GLsizei>(ids_.size()), ids_.data());
    uploaded_.assign(g->columns.size(), {});
  }
  GLint bound = 0;
  glGetIntegerv(GL_TEXTURE_BINDING_2D, &bound);
  for (size_t c = 0; c < ids_.size(); ++c) {
    const std::vector<float>& s = g->columns[c].samples;
    if (s.empty() || s == uploaded_[c]) continue;
    const std::vector<ImU32> px = gan_mosaic_pixels(s, g->image_rows, g->image_cols, side);
    glBindTexture(GL_TEXTURE_2D, ids_[c]);
    // Magnified: sharp pixels as the rectangles draw them; minified (a small window): the mean
    // of the pixels a screen pixel covers, as the rectangles' box average.
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR_MIPMAP_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, side * g->image_cols, side * g->image_rows, 0, GL_RGBA,
                 GL_UNSIGNED_BYTE, px.data());
    glGenerateMipmap(GL_TEXTURE_2D);
    uploaded_[c] = s;
  }
  glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(bound));
  images_.of = g;
  images_.images_per_side = side;
  images_.textures.assign(ids_.size(), ImTextureID{});
  for (size_t c = 0; c < ids_.size(); ++c)
    if (!g->columns[c].samples.empty())
      images_.textures[c] = reinterpret_cast<ImTextureID>(static_cast<intptr_t>(ids_[c]));
  return &images_;
}

}  // namespace initscope::app
