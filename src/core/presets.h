#pragma once
// The presets in assets/presets/*.json, compiled into the binary.
#include <string>
#include <vector>

#include "experiment.h"

namespace initscope {

struct PresetInfo {
  std::string name, title, narrative;
};
const std::vector<PresetInfo>& preset_list();  // in menu order (keys 1–9)
// Throws UsageError naming `option` (--preset, or where a lesson names it) and the allowed
// names, with the closest ones ("did you mean …?").
Experiment load_preset(const std::string& name, const std::string& option = "--preset");
// The preset's experiment as given, loaded once; nullptr when `name` is no preset.
const Experiment* find_preset_experiment(const std::string& name);

}  // namespace initscope
