#pragma once
// Health flags of a layer's activations, shown as coloured badges in the grid and explained in
// its legend. Thresholds (on the activations A, whatever quantity is drawn):
//   NaN/Inf    any non-finite value in Z or A
//   DEAD       ReLU-like activation and > 90% of A exactly 0
//   SATURATED  > 50% of A saturated (tanh |a| > 0.99, sigmoid a < 0.01 or a > 0.99)
//   COLLAPSED  std(A) < 1% of layer 1's std(A), or std(A) = 0 — the signal has died out
//   EXPLODING  std(A) > 100 × layer 1's std(A) — the signal blows up with depth
#include <imgui.h>

#include "core/engine/activation.h"
#include "core/engine/layer_stats.h"
#include "figure.h"

namespace initscope::render {

enum Flag : unsigned {
  kFlagNonfinite = 1u << 0,
  kFlagDead = 1u << 1,
  kFlagSaturated = 1u << 2,
  kFlagCollapsed = 1u << 3,
  kFlagExploding = 1u << 4,
};
inline constexpr int kFlagCount = 5;

struct FlagInfo {
  Flag flag;
  const char* label;        // "COLLAPSED"
  const char* short_label;  // "COLL", for narrow cells
  const char* meaning;      // "std < 1% of layer 1"
};
// In priority order (most severe first).
const FlagInfo (&flag_infos())[kFlagCount];
ImU32 flag_color(Flag flag, Theme theme);

inline constexpr double kCollapseRatio = 1e-2;
inline constexpr double kExplodeRatio = 1e2;
inline constexpr double kSaturatedFraction = 0.5;
inline constexpr double kDeadFraction = 0.9;

// Flags of layer `index` (0-based into col.layers).
unsigned layer_flags(const ColumnStats& col, size_t index, const Activation& act);

}  // namespace initscope::render
