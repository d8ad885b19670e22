// The controls panel's "Architecture" section (issue 13): the normalization layer and its γ,
// the residual form and its α, for every column (a column's spec may override them:
// `kaiming_normal:norm=batch`). A refused edit (BatchNorm with batch 1, residual blocks of
// unequal widths, α not a number) shows its message in red and the running experiment stays.
#include <imgui.h>
#include <imgui_stdlib.h>

#include "control_fields.h"
#include "core/engine/architecture.h"
#include "core/error.h"
#include "views.h"

namespace initscope::app {
namespace {

// The norm combo's tooltips: what each one normalizes over.
constexpr const char* kNormHelp[] = {
    "No normalization",
    "BatchNorm: each feature over the batch (training-mode statistics)\n"
    "h = \xCE\xB3\xC2\xB7(z \xE2\x88\x92 \xCE\xBC)/\xE2\x88\x9A(v + \xCE\xB5) + \xCE\xB2",
    "LayerNorm: each example over its features\n"
    "h = \xCE\xB3\xC2\xB7(z \xE2\x88\x92 \xCE\xBC)/\xE2\x88\x9A(v + \xCE\xB5) + \xCE\xB2",
    "RMSNorm: each example over its features, no centring\n"
    "h = \xCE\xB3\xC2\xB7z/\xE2\x88\x9A(mean(z\xC2\xB2) + \xCE\xB5) + \xCE\xB2"};

constexpr const char* kResidualHelp[] = {
    "A plain stack: z = x\xC2\xB7W + b, then the norm, then \xCF\x86",
    "Pre-activation / pre-norm (He 2016, GPT-2):\n"
    "x' = x + \xCE\xB1\xC2\xB7(\xCF\x86(norm(x))\xC2\xB7W + b)\n"
    "Layer 1 is a linear projection; the other layers are blocks.",
    "Post-norm (the original Transformer):\n"
    "x' = norm(x + \xCE\xB1\xC2\xB7(\xCF\x86(x)\xC2\xB7W + b))\n"
    "Layer 1 is a linear projection; the other layers are blocks."};

void norm_controls(AppState& app, float lw) {
  ControlsState& c = app.controls;
  field_label("Norm", lw);
  if (ImGui::BeginCombo("##norm", norm_name(c.norm))) {
    for (size_t i = 0; i < norm_names().size(); ++i) {
      const auto kind = static_cast<NormKind>(i);
      if (ImGui::Selectable(norm_name(kind), kind == c.norm)) {
        Experiment e = app.current;
        e.arch.norm = kind;
        try_apply(app, "norm", e);
      }
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", kNormHelp[i]);
    }
    ImGui::EndCombo();
  }
  field_error(app, "norm");
  field_label("\xCE\xB3 init", lw);  // γ init
  const bool off = c.norm == NormKind::None;
  if (off) ImGui::BeginDisabled();
  if (edit_committed(ImGui::InputDouble("##norm_gain", &c.norm_gain, 0.1, 1.0, "%.4g"))) {
    Experiment e = app.current;
    e.arch.norm_gain = c.norm_gain;
    try_apply(app, "norm_gain", e);
  }
  if (off) ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip(
        "The norm's scale \xCE\xB3 at init (--norm-gain; \xCE\xB2 = 0). 0 = zero-\xCE\xB3.");
  field_error(app, "norm_gain");
}

void residual_controls(AppState& app, float lw) {
  ControlsState& c = app.controls;
  field_label("Residual", lw);
  if (ImGui::BeginCombo("##residual", residual_name(c.residual))) {
    for (size_t i = 0; i < residual_names().size(); ++i) {
      const auto kind = static_cast<ResidualKind>(i);
      if (ImGui::Selectable(residual_name(kind), kind == c.residual)) {
        Experiment e = app.current;
        e.arch.residual = kind;
        try_apply(app, "residual", e);
      }
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", kResidualHelp[i]);
    }
    ImGui::EndCombo();
  }
  field_error(app, "residual");
  field_label("\xCE\xB1 (branch)", lw);  // α
  const bool off = c.residual == ResidualKind::None;
  if (off) ImGui::BeginDisabled();
  if (edit_committed(whole_text_input("##scale", &c.scale_text, c.error_field == "scale"))) {
    Experiment e = app.current;
    try {
      e.arch.scale = ResidualScale::parse(c.scale_text, "\xCE\xB1");
      try_apply(app, "scale", e, &c.scale_text);
    } catch (const UsageError& ex) {
      c.set_error("scale", ex.what());
    }
  }
  if (off) ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip(
        "The branch's scale \xCE\xB1 (--residual-scale): a number, 0 (SkipInit / ReZero: the\n"
        "stream starts as the identity) or 1/sqrt(L) with L the number of blocks.");
  field_error(app, "scale");
}

}  // namespace

void draw_architecture_controls(AppState& app, float label_w) {
  norm_controls(app, label_w);
  residual_controls(app, label_w);
}

}  // namespace initscope::app
