#pragma once
// Training mode's learning curves (issue 6), drawn like the other figures so that the window and
// a PNG look alike:
//
//  [Training — title                                                                     ]
//  [adam lr 0.001 · mini-batch 64 · 60000 / 10000 images · step 300 of 1876 · epoch 0 of 2]
//  [■ xavier_uniform 86.1%   ■ normal:std=1 [diverged at step 40]   —— train  - -●- - test ]
//  [ Training loss (log scale)            | Accuracy                                     ]
//  [ ┼── solid: mini-batches, ● test      | ┼── solid: mini-batches, ● test, - - chance   ]
//  [ 0   500   1000   1500  step          | 0   500   1000   1500  step                  ]
//
// x = mini-batch steps over the whole run (0 … total_steps, fixed so the axes do not jump as
// training goes on), epoch ends as faint vertical lines. Solid lines: the mean of every
// log_every mini-batches (ColumnHistory::loss / accuracy), measured while the weights move;
// markers joined by dashes: the test set at each epoch's end. Wide areas put the plots side by
// side, narrow ones one above the other.
#include <imgui.h>

#include "core/training/training_snapshot.h"
#include "figure.h"
#include "step_plot.h"  // step_x, step_at: the plots' x axis

namespace initscope::render {

struct TrainingCurvesLayout {
  float title_y = 0, info_y = 0, legend_y = 0;
  CellRect loss, accuracy;          // the plot areas
  double loss_lo = 0, loss_hi = 1;  // the loss axis: log10 of the loss when opt.log_loss
};
TrainingCurvesLayout training_curves_layout(ImVec2 pos, ImVec2 size, const TrainingSnapshot& t,
                                            const FigureOptions& opt, float font_px);

void draw_training_curves(ImDrawList* dl, ImVec2 pos, ImVec2 size, const TrainingSnapshot& t,
                          const FigureOptions& opt);

}  // namespace initscope::render
