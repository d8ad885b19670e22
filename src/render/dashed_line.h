#pragma once
// Dashed polylines (ImDrawList draws solid lines only): the mean-field prediction over the
// measured profile, the phase diagram's off-chart guides.
#include <imgui.h>

#include <vector>

namespace initscope::render {

// Draws `points` as dashes of length `dash` separated by `gap` (pixels), the pattern running on
// across vertices so corners do not restart it.
void add_dashed_polyline(ImDrawList* dl, const std::vector<ImVec2>& points, ImU32 color,
                         float thickness, float dash, float gap);

}  // namespace initscope::render
