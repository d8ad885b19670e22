#pragma once
// Fonts for the window and the exporter: DejaVu Sans (fonts-dejavu-core) rasterised at the exact
// pixel size of the current scale, so text stays crisp at ×1–×3 (no FontGlobalScale blur).
// Needs an ImGui context, no GLFW/GL: the caller re-uploads the atlas texture afterwards
// (ImGui_ImplOpenGL3_DestroyFontsTexture() + ImGui_ImplOpenGL3_CreateFontsTexture() when the
// renderer backend is already initialised).
#include <imgui.h>

#include <string>

namespace initscope::render {

// Font size in pixels at scale 1 on a 96-dpi monitor.
inline constexpr float kBaseFontPx = 17.0f;
// round(kBaseFontPx × scale), at least 8.
float font_pixels(float scale);

inline constexpr const char* kFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
inline constexpr const char* kBoldFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

// The fonts of the current ImGui context's atlas, in load order.
struct Fonts {
  ImFont* regular = nullptr;  // body text, pixel_size
  ImFont* bold = nullptr;     // headers, pixel_size
  ImFont* title = nullptr;    // figure titles, 1.25 × pixel_size
};
// Works with any atlas: missing entries fall back to the first font.
Fonts fonts();
// The pixel size of the regular font now loaded (what figures scale their lengths by).
float font_pixels_now();

// Clears io.Fonts and loads regular, bold and title fonts at `pixel_size`; must be called
// outside NewFrame()/Render(). Glyphs: Latin-1, Greek (μ σ φ), punctuation, arrows and math
// operators (√ ≈ ≤ −), superscripts, geometric shapes. Returns false (and loads ImGui's built-in
// font at that size) when the DejaVu files are missing — text stays readable, just plainer.
bool load_fonts(float pixel_size);

}  // namespace initscope::render
