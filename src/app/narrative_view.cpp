// The classroom panel: the preset's title and narrative (what to look at, why it happens) next
// to the figure, and the keys a presenter needs.
#include <imgui.h>

#include "core/experiment_heading.h"
#include "core/presets.h"
#include "render/fonts.h"
#include "views.h"

namespace initscope::app {

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
  ImGui::PushFont(fonts.title);
  ImGui::TextUnformatted(heading.title.c_str());
  ImGui::PopFont();
  ImGui::TextDisabled("%s", e.summary().c_str());
  ImGui::Spacing();
  if (heading.as_given) {
    ImGui::TextUnformatted(heading.narrative.c_str());
  } else {
    ImGui::TextUnformatted((heading.narrative_label() + ":").c_str());
    ImGui::TextDisabled("%s", heading.narrative.c_str());
  }
  ImGui::Spacing();
  ImGui::Separator();
  if (app.training())
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
        "\xC2\xB7 F11 full screen");
  ImGui::PopTextWrapPos();
  end_panel();
}

}  // namespace initscope::app
