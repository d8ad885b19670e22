// The signal propagation plot: title, the depth-profile panels of signal_layout, and a caption.
#include "signal_propagation.h"

#include <cmath>

#include "core/experiment_heading.h"
#include "fonts.h"
#include "profiles.h"
#include "text.h"
#include "theme.h"

namespace initscope::render {
namespace {

// Below this height (in font sizes) the figure drops the subtitle and shortens the caption:
// title, legend, caption and one row of panels need about 15.
constexpr float kSignalRoomySize = 16;

bool signal_any_measured(const Snapshot& snap) {
  for (const ColumnStats& c : snap.columns)
    for (const LayerStats& l : c.layers)
      if (std::isfinite(l.channel_var)) return true;
  return false;
}

// What the figure shows, without the experiment.
std::string signal_what(const Snapshot& snap) {
  return has_branches(snap) ? "Signal propagation of the stream and the branch"
                            : "Signal propagation of the layer outputs";
}

}  // namespace

std::string signal_title(const Snapshot& snap) {
  return signal_what(snap) + " \xE2\x80\x94 " + experiment_heading(snap.experiment).title;
}

FigureHeading signal_heading(const Snapshot& snap, ImVec2 size, float font_px) {
  FigureHeading h =
      figure_heading(signal_what(snap), experiment_heading(snap.experiment).title, size.x, font_px);
  // A short area (the window at text ×3) keeps its height for the plots: no subtitle.
  if (size.y < kSignalRoomySize * font_px) h.subtitle.clear();
  return h;
}

ProfileLayout signal_layout(ImVec2 pos, ImVec2 size, const Snapshot& snap, const FigureOptions& opt,
                            float font_px) {
  std::vector<ProfileMetric> metrics{ProfileMetric::ChannelSqMean, ProfileMetric::ChannelVar};
  if (has_branches(snap)) metrics.push_back(ProfileMetric::BranchVar);
  // The subtitle's lines between the title and the legend, and a caption of two lines under
  // the plots — one line, or none, where the area is short (the plots keep 3 font sizes).
  const float sub_h = opt.title ? signal_heading(snap, size, font_px).subtitle_height(font_px) : 0;
  const int caption_lines = size.y >= kSignalRoomySize * font_px ? 2
                            : size.y >= 12 * font_px             ? 1
                                                                 : 0;
  ProfileLayout lay =
      panels_layout(ImVec2(pos.x, pos.y + sub_h), ImVec2(size.x, size.y - sub_h), snap, opt,
                    font_px, metrics, caption_height(font_px, caption_lines));
  lay.caption_lines = caption_lines;
  lay.title_y = pos.y;
  return lay;
}

std::string signal_caption(const Snapshot& snap) {
  if (!signal_any_measured(snap))
    return "This snapshot has no channel statistics (it was made before they were measured).";
  std::string text = "Per channel over the batch of " + std::to_string(snap.experiment.batch) +
                     ", averaged over the channels; x: layer";
  text += has_branches(snap) ? " (1 is the input projection, the blocks follow)." : ".";
  std::string without;
  bool any_predicted = false;
  for (size_t c = 0; c < snap.columns.size(); ++c) {
    const bool predicted = c < snap.theory.size() && snap.theory[c].caveat.empty() &&
                           !snap.theory[c].layers.empty() &&
                           std::isfinite(snap.theory[c].layers.back().channel_var);
    any_predicted = any_predicted || predicted;
    if (predicted) continue;
    without += " " + snap.columns[c].init + ": no prediction";
    if (c < snap.theory.size() && !snap.theory[c].caveat.empty())
      without += " \xE2\x80\x94 " + snap.theory[c].caveat;
    without += ".";
  }
  if (any_predicted) text += " Dashed: mean-field prediction (wide-network kernel recursion).";
  return text + without;
}

void draw_signal_propagation(ImDrawList* dl, ImVec2 pos, ImVec2 size, const Snapshot& snap,
                             const FigureOptions& opt) {
  const float f = font_pixels_now();
  const Palette& pal = palette(opt.theme);
  const ProfileLayout lay = signal_layout(pos, size, snap, opt, f);
  if (opt.background)
    dl->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y), pal.background);
  if (opt.title)
    draw_figure_heading(dl, signal_heading(snap, size, f), ImVec2(pos.x, lay.title_y), lay.legend_y,
                        opt);
  draw_profile_panels(dl, pos, size, lay, snap, opt);
  draw_figure_caption(dl, ImVec2(pos.x, lay.caption_y), size.x, signal_caption(snap), opt,
                      lay.caption_lines);
}

}  // namespace initscope::render
