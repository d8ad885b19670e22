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
// Throws UsageError naming --preset and the allowed names.
Experiment load_preset(const std::string& name);
// The preset's experiment as given, loaded once; nullptr when `name` is no preset.
const Experiment* find_preset_experiment(const std::string& name);

}  // namespace initscope
