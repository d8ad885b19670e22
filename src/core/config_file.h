#pragma once
// Reading an experiment file (--config FILE, the window's Open): a preset/config JSON, a
// `stats --format json` document, or a PNG written by initscope (its embedded experiment).
// Every read is bounded (docs/ARCHITECTURE.md "Input safety"): the file (limits::kConfigBytes),
// a PNG's text chunks only (png_text.h), the JSON's depth and size (json_text.h).
#include <string>

#include "experiment.h"

namespace initscope {

// `option` names the source in messages: "--config" → "--config 'FILE': …". Throws UsageError.
Experiment load_experiment_file(const std::string& path, const std::string& option);

}  // namespace initscope
