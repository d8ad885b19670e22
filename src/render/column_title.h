#pragma once
// A compared column's title line, the same in every figure that has one (grid, heatmaps):
// its colour swatch, its init spec in bold, and its mean-field phase as a small rounded label —
// "ordered χ₁=0.42", "critical", "chaotic χ₁=1.3" — on the colour of its χ₁ in the phase
// diagram's map (color_maps.h), with black or white text for contrast.
#include <imgui.h>

#include "core/theory/mean_field.h"
#include "figure.h"
#include "fonts.h"

namespace initscope::render {

// Width of the badge at font size `f` (0 when the phase is "none"); draws it with its top-left
// at p when dl is not null. without_chi: the phase word only (narrow places).
float phase_badge(ImDrawList* dl, const ImFont* font, float f, ImVec2 p, const FixedPoint& fp,
                  Theme theme, bool without_chi = false);

// Column c's title within [p.x, p.x + width) at font size f: its swatch and its name in bold,
// which is never cut for the badge. With a `subtitle` (the grid: the init's formula), a second
// line holds the full phase badge followed by the subtitle, cut to fit. Without one (heatmaps),
// the badge goes at the right of the name: the full one if the whole name still fits, else the
// short one (the phase word), else none. No badge when the theory does not apply to the
// column's init (its caveat).
void draw_column_title(ImDrawList* dl, const Fonts& fo, float f, ImVec2 p, float width,
                       const Snapshot& snap, size_t c, Theme theme,
                       const std::string* subtitle = nullptr);

}  // namespace initscope::render
