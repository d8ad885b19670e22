// libFuzzer target: `--config FILE` (preset-style JSON, a stats JSON document, or a PNG written
// by initscope, told apart by content). Refusal is a UsageError; anything else that escapes is a
// finding.
#include <cstdint>

#include "core/config_file.h"
#include "core/error.h"
#include "fuzz_input_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = initscope::fuzz::write_input_file(data, size, ".json");
  try {
    initscope::load_experiment_file(path, "--config");
  } catch (const initscope::UsageError&) {
  }
  return 0;
}
