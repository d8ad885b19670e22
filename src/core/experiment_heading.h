#pragma once
// What the experiment shown is called (issue 12: titles never lie). A preset's title and
// narrative belong to the preset as given: while the experiment is its preset's experiment (by
// value), they are shown; once it differs — an override on the command line, an edit in the
// window — the title becomes a description of what is actually shown ("tanh, 10 × 500,
// normal:std=1") and the narrative is the preset's, shown marked and greyed. The one rule for the
// window, the panel PNGs, `export`, `stats` and `train`.
#include <nlohmann/json.hpp>
#include <string>

#include "experiment.h"

namespace initscope {

struct ExperimentHeading {
  std::string title;      // the title to show above the figure
  std::string narrative;  // the classroom text ("" none): the preset's, or the config's own
  std::string preset;     // the preset the experiment started from ("" none, or not a preset)
  bool as_given = true;   // false: the experiment differs from its preset; narrative is the
                          // preset's, not about what is shown
  // "From preset 'sigmoid' (modified)" when !as_given, else "".
  std::string narrative_label() const;
};

// Whether a and b are the same experiment as far as a title or a narrative can tell: network
// (depth, every layer's width, input dim), activation, bias, input distribution and the compared
// inits (compared by value: defaults filled in, numbers as numbers, aliases resolved) and the
// training config. Not compared (a preset's story holds whatever they are): seed, batch, bins,
// updates, the backward pass and its loss, the memory limit.
bool same_shown_experiment(const Experiment& a, const Experiment& b);

// "tanh, 10 × 500, normal:std=1"; several inits "… normal:std=0.01 vs xavier_normal", shortened
// to their scheme names or to "4 inits" when long; a bias and a non-default input (outside
// training, which feeds images) are named.
std::string describe_experiment(const Experiment& e);

ExperimentHeading experiment_heading(const Experiment& e);

// For an experiment not from a preset (a config's own title and narrative): `after` with its
// title and narrative cleared when it carries them over from `before` but differs from it —
// they described `before`. The command line's overrides (before: the --config file) and the
// window's edits (before: the running experiment) go through it; anything else is unchanged.
Experiment without_stale_heading(const Experiment& before, Experiment after);

// e.to_json() with "title" and "narrative" by the rule above (the narrative prefixed with
// narrative_label() when it is not about what is shown): the `config` of `stats` and `train`
// JSON and the settings a PNG carries. Unchanged for a preset as given.
nlohmann::ordered_json shown_config_json(const Experiment& e);

}  // namespace initscope
