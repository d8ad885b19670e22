#pragma once
// The signal propagation plot (Brock, De & Smith 2021, "Characterizing signal propagation to
// close the performance gap in unnormalized ResNets"): per layer, the stream's average channel
// squared mean and average channel variance over the batch, and the residual branch's average
// channel variance — one line per column, log scale, the mean-field prediction
// (core/architecture_theory.h) dashed over the measurement. Panels as in the depth profiles
// (profiles.h: signal_layout).
//
//  [Signal propagation of the stream and the branch — <experiment heading>               ]
//  [■ spec 1  ■ spec 2  - - mean-field prediction                                         ]
//  [ stream: channel mean² (log) | stream: channel variance (log) | branch: ch. var. (log)]
//  [ caption: what is dashed, which columns have no prediction and why                    ]
#include <imgui.h>

#include <string>
#include <vector>

#include "figure.h"
#include "figure_heading.h"

namespace initscope::render {

// The figure's title: what it shows, then the experiment's heading (experiment_heading.h).
std::string signal_title(const Snapshot& snap);
// The title as drawn in an area of `size` (figure_heading.h): signal_title on one line when it
// fits, else what the figure shows with the experiment's heading as a subtitle — none in a short
// area, whose plots need the height.
FigureHeading signal_heading(const Snapshot& snap, ImVec2 size, float font_px);
// The caption under the plots: where the dashed lines come from, and one sentence per column
// without a prediction (its caveat), or that the snapshot has no channel statistics.
std::string signal_caption(const Snapshot& snap);

void draw_signal_propagation(ImDrawList* dl, ImVec2 pos, ImVec2 size, const Snapshot& snap,
                             const FigureOptions& opt);

}  // namespace initscope::render
