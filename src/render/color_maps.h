#pragma once
// Colour maps of the heatmaps and the phase diagram, and colour arithmetic shared by the
// figures.
//  * counts (heatmaps): viridis — perceptually uniform, readable in grey and by the common
//    colour-vision deficiencies, the same in both themes; an empty bin is the plot's background.
//  * χ₁ (phase diagram): diverging around χ₁ = 1 on log χ₁ — blue ordered (χ₁ < 1), red chaotic
//    (χ₁ > 1) — with a neutral centre that is the theme's background tone (white on light, near
//    black on dark: ColorBrewer RdBu, and a Crameri "berlin"-like map), so the critical line
//    drawn over it stands out in the text colour.
#include <imgui.h>

#include <functional>

#include "figure.h"

namespace initscope::render {

// a + (b − a)·t per channel, opaque.
ImU32 blend(ImU32 a, ImU32 b, float t);
// Black or white, whichever reads better on `background` (relative luminance > 0.45: black).
ImU32 contrast_text(ImU32 background);

// Viridis at t ∈ [0, 1] (clamped).
ImU32 count_color(float t);

// The χ₁ colour scale: log χ₁ from log kChi1Min (−1) through 0 (χ₁ = 1) to log kChi1Max (+1),
// each side on its own slope (matplotlib's TwoSlopeNorm), clamped beyond. One fixed scale for
// every activation and every figure, so a colour means the same χ₁ in the phase diagram and in
// the columns' phase labels. The chaotic side is short: most activations' χ₁ stays below 2 over
// the diagram (tanh ≤ 1.4), while the ordered side falls to 0 (σ_w² → 0).
inline constexpr double kChi1Min = 0.1, kChi1Max = 2;
// −1 … 0 … 1 (NaN stays NaN; χ₁ ≤ 0 is −1).
double chi1_position(double chi1);
// Colour at position t ∈ [−1, 1] of the diverging map (t NaN: the theme's dim grey).
ImU32 chi1_color(double t, Theme theme);

// A colour bar: `r` filled bottom to top with color(t), t from 0 to 1 in 2-px strips, framed in
// `frame` (the heatmaps' counts, the phase diagram's χ₁).
void draw_color_strip(ImDrawList* dl, const CellRect& r, const std::function<ImU32(float)>& color,
                      ImU32 frame);

}  // namespace initscope::render
