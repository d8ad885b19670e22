#include "flags.h"

namespace initscope::render {

const FlagInfo (&flag_infos())[kFlagCount] {
  static const FlagInfo infos[kFlagCount] = {
      {kFlagNonfinite, "NaN/Inf", "NaN", "non-finite values"},
      {kFlagDead, "DEAD", "DEAD", "> 90% exact zeros"},
      {kFlagSaturated, "SATURATED", "SAT", "> 50% at the bounds"},
      {kFlagCollapsed, "COLLAPSED", "COLL", "std < 1% of layer 1"},
      {kFlagExploding, "EXPLODING", "EXPL", "std > 100\xC3\x97 layer 1"},
  };
  return infos;
}

ImU32 flag_color(Flag flag, Theme theme) {
  const bool dark = theme == Theme::Dark;
  switch (flag) {
    case kFlagNonfinite:
      return dark ? IM_COL32(235, 64, 52, 255) : IM_COL32(200, 30, 30, 255);
    case kFlagDead:
      return dark ? IM_COL32(120, 124, 132, 255) : IM_COL32(70, 74, 82, 255);
    case kFlagSaturated:
      return dark ? IM_COL32(230, 140, 20, 255) : IM_COL32(205, 110, 0, 255);
    case kFlagCollapsed:
      return dark ? IM_COL32(136, 104, 232, 255) : IM_COL32(106, 72, 210, 255);
    case kFlagExploding:
      return dark ? IM_COL32(222, 60, 150, 255) : IM_COL32(190, 30, 120, 255);
  }
  return IM_COL32(128, 128, 128, 255);
}

unsigned layer_flags(const ColumnStats& col, size_t index, const Activation& act) {
  if (index >= col.layers.size()) return 0;
  const LayerStats& l = col.layers[index];
  unsigned flags = 0;
  if (l.act.nonfinite > 0 || l.preact.nonfinite > 0) flags |= kFlagNonfinite;
  if (act.relu_like() && l.act.dead > kDeadFraction) flags |= kFlagDead;
  if (act.has_saturation() && l.act.saturated > kSaturatedFraction) flags |= kFlagSaturated;
  const double first = col.layers.front().act.std;
  const double s = l.act.std;
  const bool measured = l.act.count > l.act.nonfinite;
  // All-dead ReLU layers have std 0 too; DEAD already names the cause.
  if (measured && !(flags & kFlagDead) && (s == 0 || (index > 0 && s < kCollapseRatio * first)))
    flags |= kFlagCollapsed;
  if (measured && index > 0 && first > 0 && s > kExplodeRatio * first) flags |= kFlagExploding;
  return flags;
}

}  // namespace initscope::render
