#include "gl_pixels.h"

#include <GL/gl.h>

#include <cstring>
#include <string>
#include <vector>

#include "core/error.h"

namespace initscope {

Image read_gl_pixels(int w, int h) {
  Image img;
  img.width = w;
  img.height = h;
  img.rgba.resize(size_t(w) * size_t(h) * 4);
  while (glGetError() != GL_NO_ERROR) {
  }  // report only errors of the read itself
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, img.rgba.data());
  if (GLenum e = glGetError(); e != GL_NO_ERROR)
    throw RuntimeError("cannot read the picture back: glReadPixels failed (GL error " +
                       std::to_string(e) + ")");
  const size_t row = size_t(w) * 4;
  std::vector<uint8_t> tmp(row);
  for (int y = 0; y < h / 2; ++y) {
    uint8_t* a = img.rgba.data() + size_t(y) * row;
    uint8_t* b = img.rgba.data() + size_t(h - 1 - y) * row;
    std::memcpy(tmp.data(), a, row);
    std::memcpy(a, b, row);
    std::memcpy(b, tmp.data(), row);
  }
  for (size_t i = 3; i < img.rgba.size(); i += 4) img.rgba[i] = 255;
  return img;
}

}  // namespace initscope
