#pragma once
// Which figure, which draw call — the one table the window's "Save … as PNG", the window's
// figure tabs (app::FigureView) and the headless exporter share. The window's panels add
// hit-testing around the same render calls; a new figure is one enum value, one key and one
// case in draw_figure (figures.cpp).
#include <imgui.h>

#include <string>

#include "core/gan/gan_snapshot.h"
#include "core/snapshot.h"
#include "core/theory/mean_field.h"
#include "core/training/training_snapshot.h"
#include "figure.h"
#include "gan_figure.h"
#include "histogram_history.h"

namespace initscope::render {

enum class FigureKind {
  Grid,      // histogram grid: rows = layers, columns = inits
  Profiles,  // depth profiles: mean, std, saturated %, zero % (and ‖dL/dW‖) against layer
  Heatmap,   // per column: x = layer, y = value, colour = log count
  History,   // one layer over time: x = update, y = value, colour = log count
  Phase,     // mean-field phase diagram
  Training,  // training mode's loss and accuracy curves
  Signal,    // signal propagation: channel mean² and variance of the stream and branch per layer
  Gan,       // the GAN experiment: both losses, D(x) and D(G(z)) per column, sample grids
};
inline constexpr FigureKind kFigureKinds[] = {
    FigureKind::Grid,  FigureKind::Profiles, FigureKind::Heatmap, FigureKind::History,
    FigureKind::Phase, FigureKind::Training, FigureKind::Signal,  FigureKind::Gan};

// "grid", "profiles", "heatmap", "history", "phase", "training", "signal", "gan":
// `export --view`, `gui --view`, the saved settings and the PNG file names.
const char* figure_key(FigureKind k);
bool parse_figure_kind(const std::string& key, FigureKind& out);

// What a figure is drawn from. Which members it reads depends on its kind: every kind but
// Training and Gan the snapshot; History the history; Phase the χ₁ field (null: "computing…") and
// the selected column; Training the training snapshot; Gan the GAN snapshot. In the GAN mode the
// snapshot is one network's probe (GanSnapshot::probe), so grid, profiles and heatmap show it.
struct FigureSources {
  const Snapshot* snap = nullptr;
  const HistogramHistory* history = nullptr;
  const PhaseGrid* phase = nullptr;
  int selected_column = -1;  // Phase: the marker with a ring (−1: none)
  const TrainingSnapshot* training = nullptr;
  const GanSnapshot* gan = nullptr;
  const GanSampleImages* gan_images = nullptr;  // Gan: the window's sample textures (optional)
};
// Whether `src` holds what `kind` reads (the phase field may be missing).
bool has_sources(FigureKind kind, const FigureSources& src);

// Draws that figure into [pos, pos + size); nothing when !has_sources(kind, src).
void draw_figure(ImDrawList* dl, ImVec2 pos, ImVec2 size, FigureKind kind, const FigureSources& src,
                 const FigureOptions& opt);

}  // namespace initscope::render
