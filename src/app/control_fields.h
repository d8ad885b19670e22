#pragma once
// The pieces every section of the controls panel builds its fields from: applying an edit (or
// showing why it was refused), the refusal's red message, and the label + field line.
#include "app_state.h"

namespace initscope::app {

// Applies `e` for `field`; on refusal remembers the message and resets the widgets to what runs.
// `keep_text` (a text field's buffer) survives the reset so the user can fix the typo.
void try_apply(AppState& app, const char* field, const Experiment& e,
               std::string* keep_text = nullptr);
// The refusal message of `field`, in red, when the last refused edit was that field's.
void field_error(const AppState& app, const char* field);
// A label on the left, the widget filling the rest of the line — or, when that would leave the
// widget less than 8 font sizes (large text in a narrow panel), the whole next line.
void field_label(const char* text, float label_w);

}  // namespace initscope::app
