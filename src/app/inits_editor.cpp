// The compared inits: one column each. Edit as spec text (the init-spec grammar,
// core/init/init_spec.h) or with a widget per scheme parameter; add, remove, move up/down. Each
// shows its formula with the numbers for layer 1's sizes.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "core/error.h"
#include "core/init/init_spec.h"
#include "core/limits.h"
#include "render/figure.h"
#include "views.h"

namespace initscope::app {
namespace {

constexpr size_t kMaxColumns = size_t(limits::kColumns.hi);

std::string format_param(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// "name:key=value,…" with only the parameters that differ from their defaults.
std::string spec_text(const InitScheme& scheme, const std::map<std::string, std::string>& values) {
  std::string out = scheme.name;
  char sep = ':';
  for (const ParamDef& p : scheme.params) {
    auto it = values.find(p.name);
    if (it == values.end() || it->second == p.default_value) continue;
    out += sep;
    out += p.name;
    out += '=';
    out += it->second;
    sep = ',';
  }
  return out;
}

bool apply_inits(AppState& app, const std::vector<InitSpec>& inits) {
  Experiment e = app.current;
  e.inits = inits;
  const std::string err = app.apply(e);
  if (!err.empty()) {
    app.controls.set_error("inits", err);
    return false;
  }
  if (app.controls.error_field == "inits") app.controls.clear_error();
  return true;
}

// Widgets for the scheme's parameters; returns the new spec text when one was changed.
std::optional<std::string> param_widgets(const InitSpec& spec, const Activation& act) {
  std::optional<std::string> out;
  const InitScheme& scheme = *spec.scheme;
  std::map<std::string, std::string> values = spec.values;
  const float lw = ImGui::GetFontSize() * 5.0f;

  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("scheme");
  ImGui::SameLine(lw);
  ImGui::SetNextItemWidth(-1);
  if (ImGui::BeginCombo("##scheme", scheme.name.c_str(), ImGuiComboFlags_HeightLarge)) {
    for (const InitScheme& s : init_schemes())
      if (ImGui::Selectable(s.name.c_str(), &s == &scheme)) out = s.name;
    ImGui::EndCombo();
  }
  for (const ParamDef& p : scheme.params) {
    ImGui::PushID(p.name.c_str());
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(p.name.c_str());
    if (!p.help.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", p.help.c_str());
    ImGui::SameLine(lw);
    std::string& v = values[p.name];
    if (p.kind == ParamDef::Kind::Choice) {
      ImGui::SetNextItemWidth(-1);
      if (ImGui::BeginCombo("##choice", v.c_str())) {
        for (const std::string& ch : p.choices)
          if (ImGui::Selectable(ch.c_str(), ch == v)) {
            v = ch;
            out = spec_text(scheme, values);
          }
        ImGui::EndCombo();
      }
    } else {
      bool is_auto = v == "auto";
      if (p.allow_auto) {
        if (ImGui::Checkbox("auto", &is_auto)) {
          v = is_auto ? "auto" : format_param(spec.number(p.name, act));
          out = spec_text(scheme, values);
        }
        if (ImGui::IsItemHovered())
          ImGui::SetTooltip("auto = the gain of the network's activation (torch calculate_gain)");
        ImGui::SameLine();
      }
      ImGui::SetNextItemWidth(-1);
      if (is_auto) {
        ImGui::TextDisabled("gain of the activation");
      } else {
        double x = std::strtod(v.c_str(), nullptr);
        if (edit_committed(ImGui::InputDouble("##num", &x, 0, 0, "%.6g"))) {
          v = format_param(x);
          out = spec_text(scheme, values);
        }
      }
    }
    ImGui::PopID();
  }
  return out;
}

// Column i of n: up, down, remove (what was pressed is written to move_* / remove).
void column_buttons(int i, int n, int& move_from, int& move_to, int& remove) {
  const float h = ImGui::GetFrameHeight();
  if (i == 0) ImGui::BeginDisabled();
  if (ImGui::ArrowButton("##up", ImGuiDir_Up)) move_from = i, move_to = i - 1;
  if (i == 0) ImGui::EndDisabled();
  ImGui::SameLine();
  if (i + 1 == n) ImGui::BeginDisabled();
  if (ImGui::ArrowButton("##down", ImGuiDir_Down)) move_from = i, move_to = i + 1;
  if (i + 1 == n) ImGui::EndDisabled();
  ImGui::SameLine();
  if (n == 1) ImGui::BeginDisabled();
  if (ImGui::Button("\xC3\x97", ImVec2(h, h))) remove = i;
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip(n == 1 ? "The last column cannot be removed" : "Remove this column");
  if (n == 1) ImGui::EndDisabled();
}

}  // namespace

void draw_inits_editor(AppState& app) {
  ControlsState& c = app.controls;
  std::vector<InitSpec> inits = app.current.inits;
  if (c.inits.size() != inits.size()) c.sync(app.current);
  const Experiment& e = app.current;
  const float f = ImGui::GetFontSize();

  int move_from = -1, move_to = -1, remove = -1;
  for (size_t i = 0; i < inits.size(); ++i) {
    ImGui::PushID(static_cast<int>(i));
    InitColumnEdit& edit = c.inits[i];

    // Colour swatch = the column's colour in the grid and the profiles.
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float h = ImGui::GetFrameHeight();
    ImGui::GetWindowDrawList()->AddRectFilled(
        ImVec2(p.x, p.y + 0.2f * h), ImVec2(p.x + 0.6f * h, p.y + 0.8f * h),
        render::column_color(static_cast<int>(i), app.theme), 0.15f * f);
    ImGui::Dummy(ImVec2(0.6f * h, h));
    ImGui::SameLine();

    // The spec on a line of its own, whole (wrapped when long); its formula; then the buttons
    // and the parameters.
    ImGui::SetNextItemWidth(-1);
    const bool bad = !edit.error.empty();
    const bool changed = whole_text_input("##spec", &edit.text, bad);
    if (ImGui::IsItemHovered() && inits[i].scheme)
      ImGui::SetTooltip("%s\n%s\ncanonical: %s", inits[i].scheme->title.c_str(),
                        inits[i].scheme->formula.c_str(), inits[i].canonical().c_str());
    if (edit_committed(changed)) {
      try {
        std::vector<InitSpec> next = inits;
        next[i] = InitSpec::parse(edit.text, "init #" + std::to_string(i + 1));
        edit.error.clear();
        if (apply_inits(app, next)) inits = next;
      } catch (const UsageError& ex) {
        edit.error = ex.what();  // the old spec keeps running
      }
    }
    if (bad) error_text(edit.error);
    // The formula with the numbers for layer 1's sizes.
    try {
      const std::string d = describe(inits[i], e.fan_in(1), e.width(1), e.activation);
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
      wrapped_text(d);  // numbers stay whole ("gain 1.41")
      ImGui::PopStyleColor();
    } catch (const std::exception& ex) {
      error_text(ex.what());
    }
    column_buttons(static_cast<int>(i), static_cast<int>(inits.size()), move_from, move_to, remove);
    ImGui::SameLine();
    if (inits[i].scheme && ImGui::TreeNode("##params", "parameters")) {
      if (auto text = param_widgets(inits[i], e.activation)) {
        try {
          std::vector<InitSpec> next = inits;
          next[i] = InitSpec::parse(*text, "init #" + std::to_string(i + 1));
          if (apply_inits(app, next)) {
            inits = next;
            edit.text = *text;
            edit.error.clear();
          }
        } catch (const UsageError& ex) {
          edit.error = ex.what();
        }
      }
      ImGui::TreePop();
    }
    ImGui::PopID();
    ImGui::Spacing();
  }

  if (move_from >= 0) {
    std::vector<InitSpec> next = inits;
    std::swap(next[move_from], next[move_to]);
    if (apply_inits(app, next)) std::swap(c.inits[move_from], c.inits[move_to]);
  }
  if (remove >= 0) {
    std::vector<InitSpec> next = inits;
    next.erase(next.begin() + remove);
    if (apply_inits(app, next)) c.inits.erase(c.inits.begin() + remove);
  }

  if (inits.size() >= kMaxColumns) ImGui::BeginDisabled();
  if (ImGui::Button("+ Add init")) ImGui::OpenPopup("add_init");
  if (inits.size() >= kMaxColumns) ImGui::EndDisabled();
  if (ImGui::BeginPopup("add_init")) {
    for (const InitScheme& s : init_schemes()) {
      const std::string item = s.name + "  \xE2\x80\x94  " + s.title;
      if (ImGui::Selectable(item.c_str())) {
        std::vector<InitSpec> next = app.current.inits;
        try {
          next.push_back(InitSpec::parse(s.name));
          if (apply_inits(app, next)) c.inits.push_back({s.name, ""});
        } catch (const UsageError& ex) {
          app.controls.set_error("inits", ex.what());
        }
      }
    }
    ImGui::EndPopup();
  }
  if (c.error_field == "inits") error_text(c.error);
}

}  // namespace initscope::app
