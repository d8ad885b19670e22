// The controls panel's GAN part (Training section, GAN mode): which network the figures show,
// then the GAN's config — inits (one per line), epochs, learning rate, mini-batch, both
// networks' hidden widths, train limit. Every finished edit restarts the GAN from the init; a
// refused one is shown in red under its field and the fields go back to what runs.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <exception>
#include <sstream>

#include "views.h"

namespace initscope::app {
namespace {

constexpr double kGanMinLr = 1e-6, kGanMaxLr = 1.0;
constexpr const char* kGanRestarts = "Changing this starts the GAN over from the init.";

void gan_label(const char* text, float label_w) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(text);
  ImGui::SameLine(label_w);
  ImGui::SetNextItemWidth(-1);
}

void gan_tooltip(const char* text) {
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s\n%s", text, kGanRestarts);
}

// Applies gan.edited after `parse` has filled in the text fields; a refusal is kept with its
// field and the fields go back to the running config.
template <typename Parse>
void gan_apply(AppState& app, const char* field, Parse&& parse) {
  GanMode& g = app.gan;
  std::string err;
  try {
    parse(g.edited);
    err = app.apply_gan(g.edited);
  } catch (const std::exception& ex) {
    err = ex.what();
  }
  if (err.empty()) {
    if (g.error_field == field) g.error_field.clear(), g.error.clear();
    g.sync_fields();
    return;
  }
  g.edited = g.config;
  g.sync_fields();
  g.error_field = field;
  g.error = err;
}

void gan_field_error(const AppState& app, const char* field) {
  if (app.gan.error_field == field) error_text(app.gan.error);
}

void gan_network_switch(AppState& app, float lw) {
  gan_label("Network", lw);
  int n = app.gan.network == GanNetwork::Generator ? 0 : 1;
  if (ImGui::RadioButton("Generator", &n, 0)) app.gan.network = GanNetwork::Generator;
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("The grid, heatmap, over-time view and profiles show G on the fixed noise");
  same_line_if_radio_fits("Discriminator");
  if (ImGui::RadioButton("Discriminator", &n, 1)) app.gan.network = GanNetwork::Discriminator;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("… or D on real test images and G's fakes");
}

}  // namespace

void same_line_if_radio_fits(const char* next_label) {
  const ImGuiStyle& st = ImGui::GetStyle();
  const float need = st.ItemSpacing.x + ImGui::GetFrameHeight() + st.ItemInnerSpacing.x +
                     ImGui::CalcTextSize(next_label).x;
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (ImGui::GetItemRectMax().x + need <= right) ImGui::SameLine();
}

void draw_gan_controls(AppState& app) {
  const float lw = ImGui::GetFontSize() * 6.2f;
  GanMode& g = app.gan;
  gan_network_switch(app, lw);

  // The specs on lines of their own in the panel's full width, wrapped while not edited: a
  // long spec stays readable at text ×2 (a fixed box beside the label cut them).
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Inits");
  ImGui::SameLine();
  ImGui::TextDisabled("(one column each)");
  if (edit_committed(whole_text_multiline("##gan_inits", &g.inits_text)))
    gan_apply(app, "gan_inits", [&](GanConfig& c) {
      std::vector<InitSpec> specs;
      std::istringstream lines(g.inits_text);
      for (std::string line; std::getline(lines, line);)
        if (line.find_first_not_of(" \t") != std::string::npos)
          specs.push_back(InitSpec::parse(line, "Inits"));
      c.inits = specs.empty() ? GanConfig::default_inits() : specs;
    });
  gan_tooltip(
      "One init spec per line, one column each (both networks); `auto` = He for\n"
      "LeakyReLU layers, Xavier for tanh/sigmoid. Empty = the four default columns.");
  gan_field_error(app, "gan_inits");

  gan_label("Epochs", lw);
  if (edit_committed(ImGui::InputInt("##gan_epochs", &g.edited.epochs, 1, 5)))
    gan_apply(app, "gan_epochs", [](GanConfig&) {});
  gan_tooltip("Passes over the training images");
  gan_field_error(app, "gan_epochs");

  gan_label("Learn. rate", lw);
  double lr = std::clamp(g.edited.optimizer.lr, kGanMinLr, kGanMaxLr);
  const bool lr_changed =
      ImGui::SliderScalar("##gan_lr", ImGuiDataType_Double, &lr, &kGanMinLr, &kGanMaxLr, "%.3g",
                          ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  if (lr_changed) g.edited.optimizer.lr = lr;
  if (edit_committed(lr_changed)) gan_apply(app, "gan_lr", [](GanConfig&) {});
  gan_tooltip("Adam's learning rate for both networks (β₁ 0.5); Ctrl+click to type");
  gan_field_error(app, "gan_lr");

  gan_label("Mini-batch", lw);
  if (edit_committed(ImGui::InputInt("##gan_batch", &g.edited.batch, 16, 64)))
    gan_apply(app, "gan_batch", [](GanConfig&) {});
  gan_tooltip("Real images (and as many fakes) per D step, the same for every column");
  gan_field_error(app, "gan_batch");

  gan_label("G layers", lw);
  if (edit_committed(ImGui::InputText("##gan_g_layers", &g.g_layers_text)))
    gan_apply(app, "gan_g_layers",
              [&](GanConfig& c) { c.g_hidden = parse_gan_widths("G layers", g.g_layers_text); });
  gan_tooltip("The generator's hidden widths, e.g. 256,512,1024 (noise → … → the image)");
  gan_field_error(app, "gan_g_layers");

  gan_label("D layers", lw);
  if (edit_committed(ImGui::InputText("##gan_d_layers", &g.d_layers_text)))
    gan_apply(app, "gan_d_layers",
              [&](GanConfig& c) { c.d_hidden = parse_gan_widths("D layers", g.d_layers_text); });
  gan_tooltip("The discriminator's hidden widths, e.g. 512,256 (the image → … → one logit)");
  gan_field_error(app, "gan_d_layers");

  gan_label("Train limit", lw);
  if (edit_committed(ImGui::InputInt("##gan_train_limit", &g.edited.train_limit, 1000, 10000)))
    gan_apply(app, "gan_train_limit", [](GanConfig&) {});
  gan_tooltip("Train on the first N images only; 0 = all 60,000");
  gan_field_error(app, "gan_train_limit");

  gan_label("Snapshot", lw);
  int burst = app.train_burst;
  if (edit_committed(ImGui::InputInt("##gan_burst", &burst, 10, 100))) app.set_train_burst(burst);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Every N G steps the figures get new curves and probe statistics,\n"
        "and \xE2\x86\x92 (Step) runs N steps. Does not restart the GAN.");
}

}  // namespace initscope::app
