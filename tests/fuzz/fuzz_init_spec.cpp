// libFuzzer target: the init-spec parser (`--init`, config files, the GUI's editor).
// Refusal is a UsageError; anything else that escapes is a finding. A spec that parses must
// parse again from its canonical text to the same canonical text (the random streams are keyed
// by it).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/error.h"
#include "core/init/init_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const std::string canonical = initscope::InitSpec::parse(text).canonical();
    if (initscope::InitSpec::parse(canonical).canonical() != canonical) std::abort();
  } catch (const initscope::UsageError&) {
  }
  return 0;
}
