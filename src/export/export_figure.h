#pragma once
// Headless figure export (EGL surfaceless + FBO + ImGui OpenGL3 backend), no display needed.
#include <string>
#include <vector>

#include "core/experiment.h"

namespace initscope {

struct ExportOptions {
  std::string out;             // FILE.png
  int width = 1600, height = 1000;
  std::string view = "both";   // grid | profiles | both
  std::string theme = "light"; // light | dark
  float font_scale = 1.0f;
  std::vector<int> layers_shown;  // empty = all
  int every_k = 1;
  bool preact = false;
  bool log_counts = false;
  bool force = false;
};

// Runs the experiment (e.updates batches), draws, writes the PNG with the experiment embedded.
// Throws UsageError / RuntimeError with a clear message; never leaves a partial file.
void export_figure(const Experiment& e, const ExportOptions& opt);

}  // namespace initscope
