// The controls panel's "Training" section: explore or train, then the training config — data,
// optimizer, learning rate, mini-batch, epochs, limits — and how often the window gets a
// snapshot. Every finished edit restarts training from the init (TrainingRunner::
// set_experiment); the snapshot interval does not.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>

#include "views.h"

namespace initscope::app {
namespace {

// The learning-rate slider's range: inside what TrainingConfig::validate allows (0, 100].
constexpr double kMinLr = 1e-5, kMaxLr = 10.0;
constexpr const char* kRestarts = "Changing this starts training over from the init.";

void label(const char* text, float label_w) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(text);
  ImGui::SameLine(label_w);
  ImGui::SetNextItemWidth(-1);
}

void tooltip(const char* text) {
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s\n%s", text, kRestarts);
}

// Applies the edited training config; a refusal is shown under the field and the widgets go
// back to what runs.
void apply_training(AppState& app, const char* field) {
  Experiment e = app.current;
  e.training = app.controls.train;
  const std::string err = app.apply(e);
  if (err.empty()) {
    if (app.controls.error_field == field) app.controls.clear_error();
    return;
  }
  app.controls.sync(app.current);
  app.controls.set_error(field, err);
}

void field_error(const AppState& app, const char* field) {
  if (app.controls.error_field == field) error_text(app.controls.error);
}

}  // namespace

void draw_training_controls(AppState& app) {
  const float lw = ImGui::GetFontSize() * 6.2f;
  int mode = app.gan_mode() ? 2 : app.training() ? 1 : 0;
  if (ImGui::RadioButton("Explore", &mode, 0)) {
    app.set_gan(false);
    app.set_training(false);
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Random inputs through the untrained network: the init alone");
  same_line_if_radio_fits("Classifier");
  if (ImGui::RadioButton("Classifier", &mode, 1)) app.set_training(true);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Every column trains its own network on Fashion-MNIST (784 inputs, 10 classes),\n"
        "on the same mini-batches; the figures follow the networks as they learn.");
  same_line_if_radio_fits("GAN");
  if (ImGui::RadioButton("GAN", &mode, 2)) app.set_gan(true);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Every column trains a generator and a discriminator (both drawn with its init)\n"
        "against each other on Fashion-MNIST; the Network switch picks whose statistics\n"
        "the histogram grid, heatmap, over-time view and profiles show.");
  field_error(app, "mode");
  if (app.gan_mode()) {
    draw_gan_controls(app);
    return;
  }
  if (!app.training()) return;

  TrainingConfig& t = app.controls.train;
  label("Data", lw);
  if (edit_committed(ImGui::InputTextWithHint("##train_data", "Fashion-MNIST (default)", &t.data)))
    apply_training(app, "train_data");
  tooltip(
      "A folder with the four MNIST-format IDX files (train-images-idx3-ubyte[.gz], …);\n"
      "empty = Fashion-MNIST from the dataset-fashion-mnist package.");
  field_error(app, "train_data");

  label("Optimizer", lw);
  const std::string current = t.optimizer.name();
  if (ImGui::BeginCombo("##optimizer", current.c_str())) {
    for (OptimizerKind k : {OptimizerKind::Sgd, OptimizerKind::Momentum, OptimizerKind::Adam}) {
      const std::string name = OptimizerConfig::kind_name(k);
      if (ImGui::Selectable(name.c_str(), k == t.optimizer.kind) && k != t.optimizer.kind) {
        t.optimizer.kind = k;
        t.optimizer.lr = OptimizerConfig::default_lr(k);  // a rate that suits it
        apply_training(app, "optimizer");
      }
    }
    ImGui::EndCombo();
  }
  tooltip("sgd, momentum (0.9) or adam; the learning rate becomes the optimizer's default");

  label("Learn. rate", lw);
  double lr = std::clamp(t.optimizer.lr, kMinLr, kMaxLr);
  const bool lr_changed =
      ImGui::SliderScalar("##lr", ImGuiDataType_Double, &lr, &kMinLr, &kMaxLr, "%.3g",
                          ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  if (lr_changed) t.optimizer.lr = lr;
  if (edit_committed(lr_changed)) apply_training(app, "lr");
  tooltip("Logarithmic, from 1e-05 to 10 (Ctrl+click to type a value)");
  field_error(app, "lr");

  label("Mini-batch", lw);
  if (edit_committed(ImGui::InputInt("##train_batch", &t.batch, 16, 64)))
    apply_training(app, "train_batch");
  tooltip("Images per optimizer step, the same mini-batches for every column");
  field_error(app, "train_batch");

  label("Epochs", lw);
  if (edit_committed(ImGui::InputInt("##epochs", &t.epochs, 1, 5))) apply_training(app, "epochs");
  tooltip("Passes over the training images");
  field_error(app, "epochs");

  label("Train limit", lw);
  if (edit_committed(ImGui::InputInt("##train_limit", &t.train_limit, 1000, 10000)))
    apply_training(app, "train_limit");
  tooltip("Train on the first N images only; 0 = all");
  field_error(app, "train_limit");

  label("Test limit", lw);
  if (edit_committed(ImGui::InputInt("##test_limit", &t.test_limit, 1000, 10000)))
    apply_training(app, "test_limit");
  tooltip("Evaluate on the first N test images only; 0 = all");
  field_error(app, "test_limit");

  label("Snapshot", lw);
  int burst = app.train_burst;
  if (edit_committed(ImGui::InputInt("##burst", &burst, 10, 100))) app.set_train_burst(burst);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Every N steps the figures get new statistics of the networks (on a probe batch of\n"
        "test images), and \xE2\x86\x92 (Step) runs N steps. Does not restart training.");
}

}  // namespace initscope::app
