#include "file_names.h"

#include <cstdlib>
#include <ctime>
#include <filesystem>

namespace initscope::app {

std::string expand_home(const std::string& path) {
  const char* home = std::getenv("HOME");
  if (home && (path == "~" || path.rfind("~/", 0) == 0)) return std::string(home) + path.substr(1);
  return path;
}

std::string default_export_dir() {
  std::error_code ec;
  if (const char* home = std::getenv("HOME"); home && *home) {
    const std::string pictures = std::string(home) + "/Pictures";
    if (std::filesystem::is_directory(pictures, ec)) return pictures;
    return home;
  }
  return ".";
}

std::string default_file_name(const std::string& dir, const std::string& preset,
                              const std::string& what, const std::string& extension) {
  char stamp[32];
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
  std::string base = dir + "/initscope-" + (preset.empty() ? "custom" : preset);
  if (!what.empty()) base += "-" + what;
  base += std::string("-") + stamp;
  std::error_code ec;
  std::string name = base + extension;
  for (int i = 2; std::filesystem::exists(name, ec) && i < 1000; ++i)
    name = base + "-" + std::to_string(i) + extension;
  return name;
}

}  // namespace initscope::app
