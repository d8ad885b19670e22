#pragma once
// Pixels out of OpenGL, written once for the window's screenshots, its off-screen panel PNGs and
// the headless exporter.
#include "png_io.h"

namespace initscope {

// The w × h RGBA pixels at the origin of the bound read framebuffer, top row first (GL's row 0
// is the bottom one) and opaque (a figure has no window behind it). Throws RuntimeError when
// GL reports an error for the read.
Image read_gl_pixels(int w, int h);

}  // namespace initscope
