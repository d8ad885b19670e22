// libFuzzer target: the experiment text embedded in a PNG (what `--config figure.png` reads).
// Refusal is a RuntimeError or UsageError; anything else that escapes is a finding.
#include <cstdint>

#include "core/error.h"
#include "core/png_text.h"
#include "fuzz_input_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = initscope::fuzz::write_input_file(data, size, ".png");
  try {
    initscope::read_png_experiment(path);
  } catch (const initscope::RuntimeError&) {
  } catch (const initscope::UsageError&) {
  }
  return 0;
}
