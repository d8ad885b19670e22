#include "color_maps.h"

#include <algorithm>
#include <cmath>
#include <iterator>

#include "theme.h"

namespace initscope::render {
namespace {

constexpr ImU32 rgb(unsigned hex) {
  return IM_COL32((hex >> 16) & 0xFF, (hex >> 8) & 0xFF, hex & 0xFF, 0xFF);
}

// Linear interpolation between evenly spaced stops, t ∈ [0, 1].
template <size_t N>
ImU32 along(const unsigned (&stops)[N], double t) {
  t = std::clamp(t, 0.0, 1.0) * (N - 1);
  const size_t i = std::min(static_cast<size_t>(t), N - 2);
  return blend(rgb(stops[i]), rgb(stops[i + 1]), static_cast<float>(t - double(i)));
}

constexpr unsigned kViridis[] = {0x440154, 0x482878, 0x3E4A89, 0x31688E, 0x26828E,
                                 0x1F9E89, 0x35B779, 0x6DCD59, 0xFDE725};
// RdBu (ColorBrewer, 7 classes) from blue to red, centre #F7F7F7.
constexpr unsigned kDivergingLight[] = {0x2166AC, 0x67A9CF, 0xD1E5F0, 0xF7F7F7,
                                        0xFDDBC7, 0xEF8A62, 0xB2182B};
// Dark centre, bright ends (after Crameri's "berlin").
constexpr unsigned kDivergingDark[] = {0x9EB0FF, 0x4E8FD0, 0x24506E, 0x1E2126,
                                       0x6A2A18, 0xC4584A, 0xFFADAD};

}  // namespace

ImU32 blend(ImU32 a, ImU32 b, float t) {
  const ImVec4 x = ImGui::ColorConvertU32ToFloat4(a), y = ImGui::ColorConvertU32ToFloat4(b);
  return ImGui::ColorConvertFloat4ToU32(
      ImVec4(x.x + (y.x - x.x) * t, x.y + (y.y - x.y) * t, x.z + (y.z - x.z) * t, 1.0f));
}

ImU32 contrast_text(ImU32 background) {
  // Relative luminance of sRGB (Rec. 709 weights, on gamma-encoded values: good enough here).
  const ImVec4 c = ImGui::ColorConvertU32ToFloat4(background);
  const float y = 0.2126f * c.x + 0.7152f * c.y + 0.0722f * c.z;
  return y > 0.45f ? IM_COL32(0, 0, 0, 255) : IM_COL32(255, 255, 255, 255);
}

ImU32 count_color(float t) {
  return along(kViridis, t);
}

double chi1_position(double chi1) {
  if (std::isnan(chi1)) return chi1;
  if (chi1 <= 0) return -1;
  const double v = std::log10(chi1);
  return v < 0 ? -std::min(1.0, v / std::log10(kChi1Min)) : std::min(1.0, v / std::log10(kChi1Max));
}

ImU32 chi1_color(double t, Theme theme) {
  if (std::isnan(t)) return palette(theme).text_dim;
  return theme == Theme::Dark ? along(kDivergingDark, (t + 1) / 2)
                              : along(kDivergingLight, (t + 1) / 2);
}

void draw_color_strip(ImDrawList* dl, const CellRect& r, const std::function<ImU32(float)>& color,
                      ImU32 frame) {
  const int steps = std::max(2, static_cast<int>((r.y1 - r.y0) / 2));
  for (int k = 0; k < steps; ++k) {
    const float y0 = std::round(r.y1 - (k + 1) * (r.y1 - r.y0) / steps);
    const float y1 = std::round(r.y1 - k * (r.y1 - r.y0) / steps);
    dl->AddRectFilled(ImVec2(r.x0, y0), ImVec2(r.x1, y1), color((k + 0.5f) / steps));
  }
  dl->AddRect(ImVec2(r.x0 - 0.5f, r.y0 - 0.5f), ImVec2(r.x1 + 0.5f, r.y1 + 0.5f), frame);
}

}  // namespace initscope::render
