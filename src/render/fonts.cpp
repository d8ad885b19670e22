#include "fonts.h"

#include <cmath>
#include <cstdio>

namespace initscope::render {
namespace {

bool file_exists(const char* path) {
  if (FILE* f = std::fopen(path, "rb")) {
    std::fclose(f);
    return true;
  }
  return false;
}

// Zero-terminated pairs of code point ranges (static: the atlas keeps the pointer).
const ImWchar* glyph_ranges() {
  static const ImWchar ranges[] = {
      0x0020, 0x00FF,  // Basic Latin + Latin-1 (× ² ± ·)
      0x0370, 0x03FF,  // Greek (μ σ φ)
      0x2010, 0x205E,  // General punctuation (– — … •)
      0x2070, 0x209F,  // Superscripts and subscripts
      0x2190, 0x21FF,  // Arrows
      0x2200, 0x22FF,  // Mathematical operators (√ ≈ ≤ ≥ − ∞)
      0x25A0, 0x25FF,  // Geometric shapes (■ ▲ ▶ ●)
      0,
  };
  return ranges;
}

}  // namespace

float font_pixels(float scale) {
  return std::fmax(8.0f, std::round(kBaseFontPx * scale));
}

Fonts fonts() {
  Fonts f;
  const ImVector<ImFont*>& all = ImGui::GetIO().Fonts->Fonts;
  if (all.Size == 0) return f;
  f.regular = all[0];
  f.bold = all.Size > 1 ? all[1] : all[0];
  f.title = all.Size > 2 ? all[2] : f.bold;
  return f;
}

float font_pixels_now() {
  const Fonts fo = fonts();
  return fo.regular ? fo.regular->FontSize : ImGui::GetFontSize();
}

bool load_fonts(float pixel_size) {
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  atlas->Clear();
  const bool have_regular = file_exists(kFontPath);
  const bool have_bold = file_exists(kBoldFontPath);
  if (!have_regular) {
    ImFontConfig cfg;
    cfg.SizePixels = pixel_size;
    for (int i = 0; i < 3; ++i) atlas->AddFontDefault(&cfg);
    atlas->Build();
    return false;
  }
  ImFontConfig cfg;
  cfg.OversampleH = 2;  // sub-pixel horizontal positioning; vertical is pixel-aligned
  cfg.OversampleV = 1;
  cfg.PixelSnapH = false;
  atlas->AddFontFromFileTTF(kFontPath, pixel_size, &cfg, glyph_ranges());
  const char* bold = have_bold ? kBoldFontPath : kFontPath;
  atlas->AddFontFromFileTTF(bold, pixel_size, &cfg, glyph_ranges());
  atlas->AddFontFromFileTTF(bold, std::round(pixel_size * 1.25f), &cfg, glyph_ranges());
  return atlas->Build();
}

}  // namespace initscope::render
