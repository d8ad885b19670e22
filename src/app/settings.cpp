#include "settings.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/file_io.h"
#include "core/json_text.h"

namespace initscope::app {
namespace {

std::string settings_path() {
  const std::string dir = config_dir();
  return dir.empty() ? "" : dir + "/settings.json";
}

template <typename T>
void read(const nlohmann::json& j, const char* key, T& out) {
  if (j.contains(key)) out = j.at(key).get<T>();
}

}  // namespace

std::string config_dir() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
    return std::string(xdg) + "/initscope";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.config/initscope";
  return "";
}

Settings load_settings() {
  Settings s;
  const std::string path = settings_path();
  std::error_code ec;
  if (path.empty() || !std::filesystem::exists(path, ec)) return s;
  try {
    const nlohmann::json j = parse_json_bounded(read_file(path), path);
    read(j, "theme", s.theme);
    read(j, "font_scale", s.font_scale);
    read(j, "window_width", s.window_width);
    read(j, "window_height", s.window_height);
    read(j, "show_controls", s.show_controls);
    read(j, "show_profiles", s.show_profiles);
    read(j, "show_narrative", s.show_narrative);
    // "quantity" (act, preact, grad, wgrad); files of earlier versions have "preact": true.
    std::string key;
    read(j, "quantity", key);
    if (!render::parse_quantity(key, s.quantity) && j.value("preact", false))
      s.quantity = render::Quantity::PreActivation;
    key.clear();
    read(j, "view", key);
    parse_view(key, s.view);
    read(j, "log_counts", s.log_counts);
    read(j, "log_std", s.log_std);
    read(j, "log_loss", s.log_loss);
    read(j, "shared_x", s.shared_x);
    read(j, "every_k", s.every_k);
    read(j, "export_dir", s.export_dir);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "initscope: ignoring %s: %s\n", path.c_str(), e.what());
    s = Settings{};
  }
  if (s.theme != "dark" && s.theme != "light") s.theme = "dark";
  s.font_scale = std::clamp(s.font_scale, kMinFontScale, kMaxFontScale);
  s.window_width = int(limits::kFigureSide.clamp(s.window_width));
  s.window_height = int(limits::kFigureSide.clamp(s.window_height));
  s.every_k = std::max(1, s.every_k);
  return s;
}

bool save_settings(const Settings& s, std::string* error) {
  const std::string path = settings_path();
  if (path.empty()) {
    if (error) *error = "no HOME or XDG_CONFIG_HOME: settings not saved";
    return false;
  }
  nlohmann::ordered_json j;
  j["theme"] = s.theme;
  j["font_scale"] = s.font_scale;
  j["window_width"] = s.window_width;
  j["window_height"] = s.window_height;
  j["show_controls"] = s.show_controls;
  j["show_profiles"] = s.show_profiles;
  j["show_narrative"] = s.show_narrative;
  j["quantity"] = render::quantity_key(s.quantity);
  j["view"] = view_key(s.view);
  j["log_counts"] = s.log_counts;
  j["log_std"] = s.log_std;
  j["log_loss"] = s.log_loss;
  j["shared_x"] = s.shared_x;
  j["every_k"] = s.every_k;
  j["export_dir"] = s.export_dir;
  try {
    std::filesystem::create_directories(config_dir());
    write_file_atomic(path, json_text(j, 2) + "\n", /*force=*/true);
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return false;
  }
  return true;
}

}  // namespace initscope::app
