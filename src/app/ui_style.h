#pragma once
// ImGui style for the window: colours from the theme, every length from the font size so that
// presentation mode (×1–×3) scales the whole UI, not just the text.
#include "render/figure.h"

namespace initscope::app {

void apply_style(render::Theme theme, float font_px);

}  // namespace initscope::app
