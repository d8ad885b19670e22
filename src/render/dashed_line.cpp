#include "dashed_line.h"

#include <cmath>

namespace initscope::render {

void add_dashed_polyline(ImDrawList* dl, const std::vector<ImVec2>& points, ImU32 color,
                         float thickness, float dash, float gap) {
  if (points.size() < 2 || dash <= 0) return;
  const float period = dash + gap;
  float phase = 0;  // distance into the current period where the next segment starts
  for (size_t i = 1; i < points.size(); ++i) {
    const ImVec2 a = points[i - 1], b = points[i];
    const float dx = b.x - a.x, dy = b.y - a.y, len = std::sqrt(dx * dx + dy * dy);
    if (len <= 0) continue;
    float s = 0;  // distance along this segment
    while (s < len) {
      const float left_in_period = period - phase;
      const float step = std::fmin(left_in_period, len - s);
      if (phase < dash) {
        const float on = std::fmin(dash - phase, step);
        const ImVec2 p0(a.x + dx * s / len, a.y + dy * s / len);
        const ImVec2 p1(a.x + dx * (s + on) / len, a.y + dy * (s + on) / len);
        dl->AddLine(p0, p1, color, thickness);
      }
      s += step;
      phase = std::fmod(phase + step, period);
    }
  }
}

}  // namespace initscope::render
