#pragma once
// The readers under fuzz take a path (gzopen, libpng, the --config loader), so each input is
// written to one file per fuzzing process, rewritten whole for every input.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace initscope::fuzz {

// Writes data[0, size) to $TMPDIR/initscope-fuzz-<pid><suffix> and returns its path.
inline std::string write_input_file(const uint8_t* data, size_t size, const char* suffix) {
  const char* tmp = std::getenv("TMPDIR");
  const std::string path = std::string(tmp && *tmp ? tmp : "/tmp") + "/initscope-fuzz-" +
                           std::to_string(getpid()) + suffix;
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f || (size && std::fwrite(data, 1, size, f) != size) || std::fclose(f) != 0) {
    std::perror(path.c_str());
    std::abort();
  }
  return path;
}

}  // namespace initscope::fuzz
