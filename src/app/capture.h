#pragma once
// Pixels out of OpenGL: the window's back buffer (Ctrl+S, --screenshot) and panels rendered off
// screen at a chosen scale (right-click "Save … as PNG") in the window's GL context.
#include <imgui.h>

#include <functional>

#include "export/png_io.h"
#include "render/figure.h"

namespace initscope::app {

// Reads w × h RGBA pixels of the bound read framebuffer; returns them top row first, opaque.
Image read_pixels(int w, int h);

// Renders `draw` into a w × h framebuffer object with a temporary ImGui context whose fonts are
// rasterised at `font_px` (so text is crisp at any scale), and reads it back. Call between
// frames (outside NewFrame/Render of the window's context). Throws RuntimeError on GL failure.
Image render_offscreen(int w, int h, float font_px, render::Theme theme,
                       const std::function<void(ImDrawList*, ImVec2 size)>& draw);

}  // namespace initscope::app
