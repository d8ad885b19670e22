// The classroom panel: the preset's title and narrative (what to look at, why it happens) next
// to the figure, and the keys a presenter needs.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/experiment_heading.h"
#include "core/presets.h"
#include "render/fonts.h"
#include "views.h"

namespace initscope::app {
namespace {

constexpr const char* kLeavePresentation = "F5 or Esc: leave presentation";
constexpr float kWidestNarrative = 0.4f;  // of the window's width, while presenting

// The narrative, wrapped between words (never inside a number): the preset's own while it shows the
// preset's experiment, else marked as the preset's ("From preset 'sigmoid' (modified):") and
// greyed.
void draw_story(const ExperimentHeading& heading) {
  if (heading.as_given) {
    wrapped_text(heading.narrative);
  } else {
    wrapped_text(heading.narrative_label() + ":");
    wrapped_text_disabled(heading.narrative);
  }
}

// What draw_story draws, as one text to measure.
std::string story_text(const ExperimentHeading& heading) {
  return heading.as_given ? heading.narrative
                          : heading.narrative_label() + ":\n" + heading.narrative;
}

}  // namespace

void draw_narrative_panel(AppState& app, const Rect& r) {
  if (!begin_panel("##narrative", r)) {
    end_panel();
    return;
  }
  const Experiment& e = app.current;
  // The preset's title and narrative only while the experiment is the preset's; once it is
  // changed, a description of what is shown, and the narrative marked and greyed.
  const ExperimentHeading heading = experiment_heading(e);
  const render::Fonts fonts = render::fonts();
  ImGui::PushTextWrapPos(0.0f);
  if (app.presenting) {
    // The figure carries the title; here the story, at the text size, and the way out.
    draw_story(heading);
    ImGui::Spacing();
    ImGui::TextDisabled("%s", kLeavePresentation);
    ImGui::PopTextWrapPos();
    end_panel();
    return;
  }
  ImGui::PushFont(fonts.title);
  wrapped_text(heading.title);  // between words: a title may hold numbers ("std=0.2236")
  ImGui::PopFont();
  wrapped_text_disabled(app.gan_mode() ? app.gan.summary() : e.summary());
  ImGui::Spacing();
  draw_story(heading);
  ImGui::Spacing();
  ImGui::Separator();
  if (app.gan_mode())
    ImGui::TextDisabled(
        "Space train/pause \xC2\xB7 \xE2\x86\x92 %d G steps \xC2\xB7 R train again from the "
        "init \xC2\xB7 V view \xC2\xB7 Q quantity \xC2\xB7 Tab controls \xC2\xB7 P profiles "
        "\xC2\xB7 Ctrl +/\xE2\x88\x92 text size \xC2\xB7 F11 full screen",
        app.train_burst);
  else if (app.training())
    ImGui::TextDisabled(
        "Space train/pause \xC2\xB7 \xE2\x86\x92 %d steps \xC2\xB7 R train again from the init "
        "\xC2\xB7 V view \xC2\xB7 Q quantity \xC2\xB7 Tab controls \xC2\xB7 P profiles "
        "\xC2\xB7 Ctrl +/\xE2\x88\x92 text size \xC2\xB7 F11 full screen",
        app.train_burst);
  else
    ImGui::TextDisabled(
        "Space play/pause \xC2\xB7 \xE2\x86\x92 step \xC2\xB7 N new batch \xC2\xB7 R new weights "
        "\xC2\xB7 1\xE2\x80\x93"
        "9 presets \xC2\xB7 V view \xC2\xB7 Q quantity \xC2\xB7 Tab controls \xC2\xB7 P profiles "
        "\xC2\xB7 Ctrl +/\xE2\x88\x92 text size "
        "\xC2\xB7 F5 presentation \xC2\xB7 F11 full screen");
  ImGui::PopTextWrapPos();
  end_panel();
}

float presentation_narrative_width(const AppState& app, float width, float height) {
  const ImGuiStyle& st = ImGui::GetStyle();
  const ImFont* font = render::fonts().regular;
  const float f = app.font_px;
  // A lesson's panel holds the step's heading, question, answer and buttons: the widest column.
  if (app.lesson) return std::round(kWidestNarrative * width);
  const ExperimentHeading heading = experiment_heading(app.current);
  const std::string text = heading.narrative.empty() ? std::string() : story_text(heading);
  if (text.empty() || !font) return 0;
  // What draw_narrative_panel draws in presentation mode, wrapped at the panel's inner width.
  const auto needed = [&](float w) {
    const float inner = w - 2 * st.WindowPadding.x;
    const char* t = text.c_str();
    return 2 * st.WindowPadding.y + font->CalcTextSizeA(f, 1e30f, inner, t, t + text.size()).y +
           font->CalcTextSizeA(f, 1e30f, inner, kLeavePresentation).y + 2 * st.ItemSpacing.y +
           f;  // Spacing() and a line to spare
  };
  // Room to breathe (a fifth of the height) when that is to be had, else just fitting.
  const float lo = std::max(0.2f * width, 12.0f * f), hi = std::max(lo, kWidestNarrative * width);
  for (float fill : {0.8f, 1.0f})
    for (float w = lo; w < hi; w += 0.01f * width)
      if (needed(std::round(w)) <= fill * height) return std::round(w);
  return std::round(hi);
}

}  // namespace initscope::app
