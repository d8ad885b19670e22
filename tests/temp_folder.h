#pragma once
// A fresh folder per test (or per named fixture), removed with the object.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace initscope::test {

class TempFolder {
 public:
  // Named after `name`, or after the running test when none is given; the process id keeps
  // parallel test processes apart.
  explicit TempFolder(const std::string& name = "") {
    const std::string base =
        name.empty() ? ::testing::UnitTest::GetInstance()->current_test_info()->name() : name;
    path = std::filesystem::temp_directory_path() /
           ("initscope_" + base + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  std::string file(const std::string& name) const { return (path / name).string(); }
  // Names of everything in the folder (to check that no temporary file was left behind).
  std::vector<std::string> entries() const {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(path))
      out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }

  std::filesystem::path path;
};

}  // namespace initscope::test
