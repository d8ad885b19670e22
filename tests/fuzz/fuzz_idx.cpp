// libFuzzer target: IDX files (plain or gzip), the training data reader. Refusal is a
// UsageError; anything else that escapes is a finding, and so is an array whose data does not
// hold exactly Π dims bytes (the readers of IdxArray index by dims).
#include <cstdint>
#include <cstdlib>

#include "core/error.h"
#include "core/training/idx_file.h"
#include "fuzz_input_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = initscope::fuzz::write_input_file(data, size, ".idx");
  try {
    const initscope::IdxArray a = initscope::read_idx(path);
    unsigned __int128 total = 1;  // Π dims of up to 255 uint32 sizes, saturated at 2^64
    for (const uint32_t d : a.dims) {
      total *= d;
      if (total > UINT64_MAX) total = UINT64_MAX;
    }
    if (total != a.data.size()) std::abort();
  } catch (const initscope::UsageError&) {
  }
  return 0;
}
