#pragma once
// Small text utilities for figures drawn with ImDrawList.
#include <imgui.h>

#include <string>

namespace initscope::render {

// Compact numbers for cells and ticks: 3 significant digits, no trailing zeros, exponent only
// below 1e-3 or from 1e5 ("0.213", "-1.5e-05", "2.5", "1.2e+06"). The minus sign is U+2212.
std::string format_number(double v);
// Like format_number with 2 significant digits (means, which hover around 0).
std::string format_short(double v);
// Percent with at most one decimal: "37.5%", "0%", "100%".
std::string format_percent(double fraction);
// Byte counts: "812 KB", "24.5 MB", "1.2 GB".
std::string format_bytes(double bytes);

// `text` cut (with "…") so that it fits into max_width pixels in `font` at `size`.
std::string fit_text(const ImFont* font, float size, const std::string& text, float max_width);
ImVec2 text_size(const ImFont* font, float size, const std::string& text);

}  // namespace initscope::render
