#include "control_fields.h"

#include <imgui.h>

#include "views.h"

namespace initscope::app {

void try_apply(AppState& app, const char* field, const Experiment& e, std::string* keep_text) {
  const std::string err = app.apply(e);
  if (err.empty()) {
    if (app.controls.error_field == field) app.controls.clear_error();
    return;
  }
  const std::string kept = keep_text ? *keep_text : "";
  app.controls.sync(app.current);
  if (keep_text) *keep_text = kept;
  app.controls.set_error(field, err);
}

void field_error(const AppState& app, const char* field) {
  if (app.controls.error_field == field) error_text(app.controls.error);
}

void field_label(const char* text, float label_w) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(text);
  if (ImGui::GetWindowContentRegionMax().x - label_w >= 8.0f * ImGui::GetFontSize())
    ImGui::SameLine(label_w);
  ImGui::SetNextItemWidth(-1);
}

}  // namespace initscope::app
