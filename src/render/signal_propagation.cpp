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

bool signal_any_measured(const Snapshot& snap) {
  for (const ColumnStats& c : snap.columns)
    for (const LayerStats& l : c.layers)
      if (std::isfinite(l.channel_var)) return true;
  return false;
}

float signal_subtitle_height(size_t lines, float font_px) {
  return std::round(1.25f * font_px * static_cast<float>(lines));
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

SignalHeading signal_heading(const Snapshot& snap, float width, float font_px) {
  const Fonts fo = fonts();
  const float tf = fo.title->FontSize;
  const std::string whole = signal_title(snap);
  if (text_size(fo.title, tf, whole).x <= width) return {whole, {}};
  // Too long for one line (a preset's title at a projector's text size): what the figure shows
  // on the title line, the experiment's heading under it on at most two lines.
  return {fit_text(fo.title, tf, signal_what(snap), width),
          wrap_text(fo.regular, font_px, experiment_heading(snap.experiment).title, width, 2)};
}

ProfileLayout signal_layout(ImVec2 pos, ImVec2 size, const Snapshot& snap, const FigureOptions& opt,
                            float font_px) {
  std::vector<ProfileMetric> metrics{ProfileMetric::ChannelSqMean, ProfileMetric::ChannelVar};
  if (has_branches(snap)) metrics.push_back(ProfileMetric::BranchVar);
  // The subtitle's lines between the title and the legend, two lines of caption under the plots.
  const float sub_h =
      opt.title
          ? signal_subtitle_height(signal_heading(snap, size.x, font_px).subtitle.size(), font_px)
          : 0;
  ProfileLayout lay = panels_layout(ImVec2(pos.x, pos.y + sub_h), ImVec2(size.x, size.y - sub_h),
                                    snap, opt, font_px, metrics, caption_height(font_px));
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
  const Fonts fo = fonts();
  const float f = font_pixels_now();
  const Palette& pal = palette(opt.theme);
  const ProfileLayout lay = signal_layout(pos, size, snap, opt, f);
  if (opt.background)
    dl->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y), pal.background);
  if (opt.title) {
    const SignalHeading h = signal_heading(snap, size.x, f);
    draw_text(dl, fo.title, fo.title->FontSize, ImVec2(pos.x, lay.title_y + 0.25f * f), pal.text,
              h.title);
    float y = lay.legend_y - signal_subtitle_height(h.subtitle.size(), f);
    for (const std::string& line : h.subtitle) {
      draw_text(dl, fo.regular, f, ImVec2(pos.x, y), pal.text, line);
      y += std::round(1.25f * f);
    }
  }
  draw_profile_panels(dl, pos, size, lay, snap, opt);
  draw_figure_caption(dl, ImVec2(pos.x, lay.caption_y), size.x, signal_caption(snap), opt);
}

}  // namespace initscope::render
