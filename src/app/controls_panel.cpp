// The experiment's knobs: preset, network shape, batch, activation, bias, input, seed, bins.
// Every finished edit is validated and applied at once (the worker picks it up between layers);
// a refused edit shows its message in red under the field and the old value keeps running.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <utility>

#include "control_fields.h"
#include "core/engine/activation.h"
#include "core/error.h"
#include "core/experiment_heading.h"
#include "core/limits.h"  // parse_widths: the CLI's --width rule
#include "core/presets.h"
#include "render/text.h"
#include "views.h"

namespace initscope::app {
namespace {

// A text field whose text turns red while it holds a rejected value.
bool spec_input(const char* id, std::string* text, bool bad) {
  return whole_text_input(id, text, bad);  // a long spec is shown whole, wrapped
}

constexpr int kInputDimStep = 1, kInputDimStepFast = 100;

// The input dimension the shown network has: in training mode the images' size when none is
// set (the trainer resolves it), else the first width when none is set.
int input_dim_in_use(const AppState& app) {
  if (app.training() && app.train_snap) return app.train_snap->experiment.resolved_input_dim();
  return app.current.resolved_input_dim();
}

void preset_picker(AppState& app) {
  const auto& presets = preset_list();
  const std::string& cur = app.current.preset;
  std::string shown = "(custom)";
  for (const PresetInfo& p : presets)
    if (p.name == cur) shown = p.title.empty() ? p.name : p.title;
  // First, so that a narrow combo cuts the title, not the word.
  if (!experiment_heading(app.current).as_given) shown = "(modified) " + shown;
  // The title cut with "…" to the field (ImGui would cut it mid-letter), whole in a tooltip.
  const ImGuiStyle& st = ImGui::GetStyle();
  const float text_w = ImGui::GetContentRegionAvail().x - ImGui::GetFrameHeight() -
                       2 * st.FramePadding.x - st.ItemInnerSpacing.x;
  const std::string preview =
      render::fit_text(ImGui::GetFont(), ImGui::GetFontSize(), shown, text_w);
  ImGui::SetNextItemWidth(-1);
  const bool open = ImGui::BeginCombo("##preset", preview.c_str(), ImGuiComboFlags_HeightLarge);
  if (preview != shown && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", shown.c_str());
  if (open) {
    for (size_t i = 0; i < presets.size(); ++i) {
      const PresetInfo& p = presets[i];
      std::string item =
          (i < 9 ? std::to_string(i + 1) + "  " : "   ") + (p.title.empty() ? p.name : p.title);
      if (ImGui::Selectable(item.c_str(), p.name == cur)) app.load_preset(p.name);
      if (ImGui::IsItemHovered() && !p.narrative.empty()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
        ImGui::TextUnformatted(p.narrative.c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
      }
    }
    ImGui::EndCombo();
  }
}

void section(const char* title) {
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  wrapped_text(title);  // at large text on two lines rather than cut
  ImGui::PopStyleColor();
  ImGui::Separator();
}

// The backward pass's losses and their formulas (the Loss combo's tooltips).
constexpr std::pair<const char*, const char*> kLosses[] = {
    {"sum", "L = (1/B)\xC2\xB7\xCE\xA3 A: every output gets dL/dA = 1/B"},
    {"mse", "L = (1/2B)\xC2\xB7\xCE\xA3 (A \xE2\x88\x92 Y)\xC2\xB2, Y ~ N(0, 1) targets"},
    {"xent", "softmax cross-entropy with random labels"}};

// Layers, widths, input dimension, batch.
void shape_controls(AppState& app, float lw) {
  ControlsState& c = app.controls;
  section("Network");
  field_label("Layers", lw);
  if (edit_committed(ImGui::InputInt("##layers", &c.layers, 1, 10))) {
    Experiment e = app.current;
    e.layers = c.layers;
    try_apply(app, "layers", e);
  }
  field_error(app, "layers");

  field_label("Width", lw);
  if (edit_committed(spec_input("##width", &c.width_text, c.error_field == "width"))) {
    Experiment e = app.current;
    try {
      e.widths = parse_widths(c.width_text);
      try_apply(app, "width", e, &c.width_text);
    } catch (const UsageError& ex) {
      c.set_error("width", ex.what());
    }
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("One width for every layer (500), or one per layer (500,400,300)");
  field_error(app, "width");

  field_label("Input dim", lw);
  // The value in use: "500 = width" while it follows the first width (input_dim 0), in
  // training mode "784 = images" while it follows the images' size — or the number alone when
  // the field is too narrow for the words (large text); the tooltip says it then.
  const bool follows = app.current.input_dim == 0;
  if (!c.input_dim_editing) c.input_dim = input_dim_in_use(app);
  const std::string words = app.training() ? " = images" : " = width";
  const ImGuiStyle& style = ImGui::GetStyle();
  const float field_w = ImGui::CalcItemWidth() -
                        2 * (ImGui::GetFrameHeight() + style.ItemInnerSpacing.x) -
                        2 * style.FramePadding.x;
  const bool worded =
      follows && ImGui::CalcTextSize((std::to_string(c.input_dim) + words).c_str()).x <= field_w;
  const bool input_changed =
      ImGui::InputScalar("##input_dim", ImGuiDataType_S32, &c.input_dim, &kInputDimStep,
                         &kInputDimStepFast, worded ? ("%d" + words).c_str() : "%d");
  c.input_dim_editing = ImGui::IsItemActive();
  if (edit_committed(input_changed)) {
    Experiment e = app.current;
    // The first width typed in (or 0) keeps following the width, as in a config file.
    e.input_dim = c.input_dim == e.widths.front() && !app.training() ? 0 : c.input_dim;
    try_apply(app, "input_dim", e);
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "%s\nSize of the input vectors; 0 or the first width: follows the first width",
        follows ? (app.training() ? "Now: the images' size" : "Now: the first width")
                : "Now: as set");
  field_error(app, "input_dim");

  field_label(app.training() ? "Probe" : "Batch", lw);
  if (edit_committed(ImGui::InputInt("##batch", &c.batch, 100, 1000))) {
    Experiment e = app.current;
    e.batch = c.batch;
    try_apply(app, "batch", e);
  }
  if (app.training() && ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "The probe batch: the first N test images, whose per-layer statistics the figures show");
  field_error(app, "batch");
}

// The activation (and leaky ReLU's slope) and the bias.
void activation_controls(AppState& app, float lw) {
  ControlsState& c = app.controls;
  field_label("Activation", lw);
  if (ImGui::BeginCombo("##activation", c.activation.c_str())) {
    for (const std::string& name : activation_names()) {
      if (ImGui::Selectable(name.c_str(), name == c.activation)) {
        c.activation = name;
        Experiment e = app.current;
        try {
          e.activation = Activation::parse(name);
          try_apply(app, "activation", e);
        } catch (const UsageError& ex) {
          c.set_error("activation", ex.what());
        }
      }
    }
    ImGui::EndCombo();
  }
  if (c.activation == "leaky_relu") {
    field_label("  slope", lw);
    if (edit_committed(ImGui::InputDouble("##slope", &c.slope, 0.01, 0.1, "%.4g"))) {
      Experiment e = app.current;
      try {
        char buf[64];
        std::snprintf(buf, sizeof buf, "leaky_relu:slope=%.17g", c.slope);
        e.activation = Activation::parse(buf);
        try_apply(app, "activation", e);
      } catch (const UsageError& ex) {
        c.set_error("activation", ex.what());
        c.slope = app.current.activation.slope;
      }
    }
  }
  field_error(app, "activation");

  field_label("Bias", lw);
  if (ImGui::Checkbox("##bias_on", &c.bias_on)) {
    Experiment e = app.current;
    if (!c.bias_on) {
      e.bias.reset();
      try_apply(app, "bias", e);
    } else {
      try {
        e.bias = InitSpec::parse(c.bias_text, "--bias");
        try_apply(app, "bias", e, &c.bias_text);
      } catch (const UsageError& ex) {
        c.set_error("bias", ex.what());
      }
    }
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  if (!c.bias_on) ImGui::BeginDisabled();
  if (edit_committed(spec_input("##bias", &c.bias_text, c.error_field == "bias"))) {
    Experiment e = app.current;
    try {
      e.bias = InitSpec::parse(c.bias_text, "--bias");
      try_apply(app, "bias", e, &c.bias_text);
    } catch (const UsageError& ex) {
      c.set_error("bias", ex.what());
    }
  }
  if (!c.bias_on) ImGui::EndDisabled();
  field_error(app, "bias");
}

// The input batch's distribution, the seed, the bins and the memory estimate.
void input_controls(AppState& app, float lw) {
  ControlsState& c = app.controls;
  field_label("Input", lw);
  if (edit_committed(spec_input("##input", &c.input_text, c.error_field == "input"))) {
    Experiment e = app.current;
    try {
      e.input = InitSpec::parse(c.input_text, "--input");
      try_apply(app, "input", e, &c.input_text);
    } catch (const UsageError& ex) {
      c.set_error("input", ex.what());
    }
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Distribution of the input batch X, e.g. normal:std=1 or uniform:a=-1,b=1");
  field_error(app, "input");

  field_label("Seed", lw);
  const uint64_t one = 1;
  if (edit_committed(ImGui::InputScalar("##seed", ImGuiDataType_U64, &c.seed, &one))) {
    Experiment e = app.current;
    e.seed = c.seed;
    try_apply(app, "seed", e);
  }
  field_error(app, "seed");

  field_label("Bins", lw);
  if (edit_committed(ImGui::InputInt("##bins", &c.bins, 10, 50))) {
    Experiment e = app.current;
    e.bins = c.bins;
    try_apply(app, "bins", e);
  }
  field_error(app, "bins");

  // The estimate is the simulation's (Experiment::memory_bytes); training (weights, optimizer
  // state, mini-batches, the data set) is not estimated, so the line is for exploring only.
  if (!app.training()) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("Memory");
    ImGui::SameLine(lw);
    // "48.0 MB of 12.6 GB", or just the need where the panel is too narrow (large text).
    const std::string need = render::format_bytes(app.current.memory_bytes());
    const std::string full = need + " of " + render::format_bytes(app.current.memory_limit_bytes());
    const bool fits = ImGui::CalcTextSize(full.c_str()).x <= ImGui::GetContentRegionAvail().x;
    ImGui::TextUnformatted(fits ? full.c_str() : need.c_str());
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(
          "Memory this experiment needs, of the limit (--memory-limit; default half "
          "of the RAM)");
  }
}

// The backward pass and its loss (outside training mode).
void backward_controls(AppState& app, float lw) {
  ControlsState& c = app.controls;
  // In training mode the probe's backward pass (cross-entropy with the true labels) is always
  // on: nothing to choose.
  if (!app.training()) {
    section("Backward pass");
    field_label("Gradients", lw);
    if (ImGui::Checkbox("##gradients", &c.gradients)) app.set_gradients(c.gradients, c.loss);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(
          "Back-propagate a loss through every layer: dL/dA and dL/dW histograms\n"
          "(Show: in the tabs above the figure) and the gradient norm profile.\n"
          "About twice the work per update.");
    field_label("Loss", lw);
    if (!c.gradients) ImGui::BeginDisabled();
    if (ImGui::BeginCombo("##loss", c.loss.c_str())) {
      for (const auto& [name, formula] : kLosses) {
        if (ImGui::Selectable(name, c.loss == name)) app.set_gradients(true, name);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", formula);
      }
      ImGui::EndCombo();
    }
    if (!c.gradients) ImGui::EndDisabled();
  }
}

// How the figures are drawn.
void view_controls(AppState& app, float lw) {
  section("View");
  ImGui::Checkbox("Log counts", &app.settings.log_counts);
  ImGui::SameLine();
  ImGui::Checkbox("Log std axis", &app.settings.log_std);
  ImGui::Checkbox("Shared x axis", &app.settings.shared_x);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "One x axis per column: see the signal shrink or grow with depth.\n"
        "Off: every cell zooms on its own values.");
  field_label("Every k-th", lw);
  if (ImGui::InputInt("##every_k", &app.settings.every_k, 1, 10))
    app.settings.every_k = std::clamp(app.settings.every_k, 1, 1000);
}

}  // namespace

void draw_controls_panel(AppState& app, const Rect& r) {
  if (!begin_panel("##controls", r)) {
    end_panel();
    return;
  }
  const float lw = ImGui::GetFontSize() * 6.2f;

  section(
      "Preset  (keys 1\xE2\x80\x93"
      "9)");
  preset_picker(app);

  section("Training");
  draw_training_controls(app);
  if (app.gan_mode()) {
    // Explore's network, input, backward pass and compared inits do not touch the GAN (it has
    // its own networks, data and inits above): hidden, and said so, rather than editable.
    ImGui::Spacing();
    wrapped_text_disabled(
        "Explore's network, input and compared inits are hidden: they do not change the GAN. "
        "Its settings are the ones above; the View settings below apply to its histogram grid "
        "and profiles.");
    view_controls(app, lw);
    end_panel();
    return;
  }

  shape_controls(app, lw);
  activation_controls(app, lw);
  section("Architecture");
  draw_architecture_controls(app, lw);
  section("Input");
  input_controls(app, lw);
  backward_controls(app, lw);
  section("Compared inits  (one column each)");
  draw_inits_editor(app);

  view_controls(app, lw);
  end_panel();
}

}  // namespace initscope::app
