#pragma once
// Small text utilities for figures drawn with ImDrawList.
#include <imgui.h>

#include <string>
#include <vector>

#include "core/theory/mean_field.h"

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

// "ordered χ₁=0.42", "critical", "chaotic χ₁=1.3", "exploding χ₁=2" ("" when the theory has
// no answer: phase "none"); without_chi: the phase word alone.
std::string phase_text(const FixedPoint& fp, bool without_chi = false);

// Draws `text` at p rounded to whole pixels (crisp glyphs at any font size).
void draw_text(ImDrawList* dl, const ImFont* font, float size, ImVec2 p, ImU32 col,
               const std::string& text);

// Text with subscripts marked "_{…}": "σ_{w}²" draws σ, a smaller lowered w, then ² (the phase
// diagram's σ_w², σ_b²); a lone '_' is text ("fan_in"). subscripted_size measures it.
void draw_subscripted(ImDrawList* dl, const ImFont* font, float size, ImVec2 p, ImU32 col,
                      const std::string& text);
ImVec2 subscripted_size(const ImFont* font, float size, const std::string& text);

// A rounded label — `label` at 0.85 f on `background`, 0.3 f padding — with its top-left at p;
// returns its width. Draws only when dl is not null (measure first, then place). outline: a
// 1-px border colour, 0 for none. The grid's flag badges and the columns' phase badges.
float draw_badge(ImDrawList* dl, const ImFont* font, float f, ImVec2 p, const std::string& label,
                 ImU32 background, ImU32 text, ImU32 outline = 0);

// `text` cut (with "…") so that it fits into max_width pixels in `font` at `size`; "" when not
// even "…" fits.
std::string fit_text(const ImFont* font, float size, const std::string& text, float max_width);
// The words of `text` on lines of at most `width` pixels; the last line cut with "…" when they
// do not fit in `max_lines` (a figure's caption).
std::vector<std::string> wrap_text(const ImFont* font, float size, const std::string& text,
                                   float width, int max_lines);
ImVec2 text_size(const ImFont* font, float size, const std::string& text);

}  // namespace initscope::render
