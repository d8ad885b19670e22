#pragma once
// A headless OpenGL 3.3 core context (EGL on Mesa's surfaceless platform: no X, no Wayland, no
// DISPLAY) rendering into an offscreen framebuffer of a fixed size.
#include <cstdint>

#include "png_io.h"

namespace initscope {

class EglContext {
 public:
  // Creates the context, makes it current on this thread and binds a width × height RGBA8
  // framebuffer with the viewport set to it. Throws RuntimeError naming the EGL error and the
  // packages to install (libegl-mesa0 libgl1-mesa-dri) when headless GL is unavailable.
  EglContext(int width, int height);
  ~EglContext();
  EglContext(const EglContext&) = delete;
  EglContext& operator=(const EglContext&) = delete;

  int width() const { return width_; }
  int height() const { return height_; }
  // The framebuffer's pixels, top row first and opaque (read_gl_pixels).
  Image read_pixels() const;

 private:
  void release();
  int width_, height_;
  void* display_ = nullptr;  // EGLDisplay
  void* context_ = nullptr;  // EGLContext
  uint32_t framebuffer_ = 0, colour_buffer_ = 0;
};

}  // namespace initscope
