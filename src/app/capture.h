#pragma once
// Panels rendered off screen at a chosen scale (right-click "Save … as PNG") in the window's GL
// context; the pixels are read back with read_gl_pixels (export/gl_pixels.h).
#include <imgui.h>

#include <functional>

#include "export/png_io.h"
#include "render/figure.h"

namespace initscope::app {

// Renders `draw` into a w × h framebuffer object with a temporary ImGui context whose fonts are
// rasterised at `font_px` (so text is crisp at any scale), and reads it back. Call between
// frames (outside NewFrame/Render of the window's context). Throws RuntimeError on GL failure.
Image render_offscreen(int w, int h, float font_px, render::Theme theme,
                       const std::function<void(ImDrawList*, ImVec2 size)>& draw);

}  // namespace initscope::app
