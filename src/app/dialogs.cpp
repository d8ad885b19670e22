// Small modal dialogs: choose the export folder (once, remembered), save / open an experiment
// (the preset JSON format; a PNG written by initscope works too), export the snapshot's data.
// Files are written whole or not at all (core/file_io.h); an existing file is overwritten only
// after the user ticks "overwrite".
#include <imgui.h>
#include <imgui_stdlib.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/config_file.h"
#include "core/experiment_heading.h"
#include "core/file_io.h"
#include "core/json_text.h"
#include "core/stats_io.h"
#include "export/png_io.h"
#include "file_names.h"
#include "views.h"

namespace initscope::app {
namespace {

constexpr const char* kFolderPopup = "Export folder";
constexpr const char* kSavePopup = "Save experiment";
constexpr const char* kOpenPopup = "Open experiment";

bool buttons_ok_cancel(bool ok_enabled, bool* cancel) {
  if (!ok_enabled) ImGui::BeginDisabled();
  const bool ok = ImGui::Button("OK", ImVec2(ImGui::GetFontSize() * 6, 0));
  if (!ok_enabled) ImGui::EndDisabled();
  ImGui::SameLine();
  *cancel = ImGui::Button("Cancel", ImVec2(ImGui::GetFontSize() * 6, 0)) ||
            ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape));
  return ok;
}

void center_next_popup() {
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.4f),
                          ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 34, 0));
}

void export_folder_dialog(AppState& app) {
  AppState::DialogFields& d = app.export_dir_dialog;
  if (app.open_export_dir_dialog) {
    app.open_export_dir_dialog = false;
    d.path = app.settings.export_dir.empty() ? default_export_dir() : app.settings.export_dir;
    d.error.clear();
    ImGui::OpenPopup(kFolderPopup);
  }
  center_next_popup();
  if (!ImGui::BeginPopupModal(kFolderPopup, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  ImGui::TextWrapped("Where PNGs and data files go (remembered). Missing folders are created.");
  ImGui::SetNextItemWidth(-1);
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  const bool enter = ImGui::InputText("##dir", &d.path, ImGuiInputTextFlags_EnterReturnsTrue);
  if (!d.error.empty()) error_text(d.error);
  bool cancel = false;
  if (buttons_ok_cancel(!d.path.empty(), &cancel) || enter) {
    const std::string dir = expand_home(d.path);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (!std::filesystem::is_directory(dir, ec)) {
      d.error = "cannot use '" + dir + "' as a folder" + (ec ? ": " + ec.message() : "");
    } else {
      app.settings.export_dir = dir;
      save_settings(app.settings);
      using After = AppState::AfterExportDir;
      if (app.after_export_dir == After::SaveWindow) app.save_window_png = true;
      if (app.after_export_dir == After::ExportData) app.open_export_data = true;
      app.after_export_dir = After::Nothing;  // a waiting panel PNG is saved between frames
      app.notify("Export folder: " + dir);
      ImGui::CloseCurrentPopup();
    }
  }
  if (cancel) {
    app.after_export_dir = AppState::AfterExportDir::Nothing;
    app.panel_png.reset();
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

void save_experiment_dialog(AppState& app) {
  AppState::DialogFields& d = app.save_dialog;
  if (app.open_save_experiment) {
    app.open_save_experiment = false;
    const std::string dir = app.settings.export_dir.empty() ? "." : app.settings.export_dir;
    d.path = dir + "/" + (app.current.preset.empty() ? "experiment" : app.current.preset) + ".json";
    d.error.clear();
    d.overwrite = false;
    ImGui::OpenPopup(kSavePopup);
  }
  center_next_popup();
  if (!ImGui::BeginPopupModal(kSavePopup, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  ImGui::TextWrapped("The experiment as JSON, in the preset format (load it with --config).");
  ImGui::SetNextItemWidth(-1);
  ImGui::InputText("##path", &d.path);
  std::error_code ec;
  const bool exists = std::filesystem::exists(expand_home(d.path), ec);
  if (exists) ImGui::Checkbox("The file exists: overwrite it", &d.overwrite);
  if (!d.error.empty()) error_text(d.error);
  bool cancel = false;
  if (buttons_ok_cancel(!d.path.empty() && (!exists || d.overwrite), &cancel)) {
    try {
      const std::string p = expand_home(d.path);
      write_file_atomic(p, json_text(shown_config_json(app.current), 2) + "\n", d.overwrite);
      app.notify("Saved " + p);
      ImGui::CloseCurrentPopup();
    } catch (const std::exception& ex) {
      d.error = ex.what();
    }
  }
  if (cancel) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

void open_experiment_dialog(AppState& app) {
  AppState::DialogFields& d = app.open_dialog;
  if (app.open_open_experiment) {
    app.open_open_experiment = false;
    if (d.path.empty())
      d.path = app.settings.export_dir.empty() ? "" : app.settings.export_dir + "/";
    d.error.clear();
    ImGui::OpenPopup(kOpenPopup);
  }
  center_next_popup();
  if (!ImGui::BeginPopupModal(kOpenPopup, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  ImGui::TextWrapped("A config JSON, a stats JSON, or a PNG written by initscope.");
  ImGui::SetNextItemWidth(-1);
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  const bool enter = ImGui::InputText("##path", &d.path, ImGuiInputTextFlags_EnterReturnsTrue);
  if (!d.error.empty()) error_text(d.error);
  bool cancel = false;
  if (buttons_ok_cancel(!d.path.empty(), &cancel) || enter) {
    try {
      const std::string p = expand_home(d.path);
      const Experiment e = load_experiment_file(p, "Open");
      const std::string err = app.apply(e);
      if (!err.empty()) throw std::runtime_error(err);
      app.controls.sync(app.current);
      app.controls.clear_error();
      app.notify("Opened " + p);
      ImGui::CloseCurrentPopup();
    } catch (const std::exception& ex) {
      d.error = ex.what();
    }
  }
  if (cancel) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

void export_data(AppState& app) {
  if (!app.open_export_data) return;
  app.open_export_data = false;
  if (!app.snap) return;
  if (app.settings.export_dir.empty()) {
    app.after_export_dir = AppState::AfterExportDir::ExportData;
    app.open_export_dir_dialog = true;
    return;
  }
  try {
    const std::string base =
        default_file_name(app.settings.export_dir, app.current.preset, "data", "");
    write_file_atomic(base + ".csv", snapshot_csv(*app.snap), false);
    write_file_atomic(base + ".json", json_text(snapshot_json(*app.snap), 2) + "\n", false);
    app.notify("Saved " + base + ".csv and .json");
  } catch (const std::exception& ex) {
    app.notify(ex.what(), true);
  }
}

}  // namespace

void draw_dialogs(AppState& app) {
  export_data(app);
  export_folder_dialog(app);
  save_experiment_dialog(app);
  open_experiment_dialog(app);
}

}  // namespace initscope::app
