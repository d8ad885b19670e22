#pragma once
// Running the real `initscope` binary (INITSCOPE_BIN) from a CLI test: its exit code, stdout and
// stderr, captured through files in a folder of the test process's own.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace cli_test {

struct Result {
  int code = -1;
  std::string out, err;
};

// $TMPDIR/initscope_NAME_PID, created on first use: each test file names its own.
// This process's own token: its pid and its start time, so that a folder left in /tmp by an
// earlier process with the same pid (its files would make `--out` refuse) is never reused.
inline const std::string& test_process_token() {
  static const std::string token =
      std::to_string(getpid()) + "_" +
      std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  return token;
}

inline std::filesystem::path test_folder(const std::string& name) {
  const std::filesystem::path d =
      std::filesystem::temp_directory_path() / ("initscope_" + name + "_" + test_process_token());
  std::filesystem::create_directories(d);
  return d;
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Runs `initscope ARGS` (ARGS as a shell would split them).
inline Result run(const std::string& args) {
  static int n = 0;  // one count for every file of the test program (an inline function's static)
  const std::filesystem::path out = test_folder("cli_run") / ("out" + std::to_string(n));
  const std::filesystem::path err = test_folder("cli_run") / ("err" + std::to_string(n++));
  const std::string cmd =
      std::string(INITSCOPE_BIN) + " " + args + " >" + out.string() + " 2>" + err.string();
  const int status = std::system(cmd.c_str());
  Result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

inline bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace cli_test
