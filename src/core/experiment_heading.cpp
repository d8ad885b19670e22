#include "experiment_heading.h"

#include <cstdlib>

#include "presets.h"

namespace initscope {
namespace {

// A parameter's value as a number, when it is one ("1", "1.0", "1e0"); "auto", "fan_in": no.
bool as_number(const std::string& text, double* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

bool same_value(const std::string& a, const std::string& b) {
  double x = 0, y = 0;
  if (as_number(a, &x) && as_number(b, &y)) return x == y;
  return a == b;
}

// By value: the same scheme (aliases resolve to it) and every parameter, defaults filled in.
bool same_spec(const InitSpec& a, const InitSpec& b) {
  if (a.scheme == nullptr || b.scheme == nullptr) return a.text == b.text;
  if (a.scheme != b.scheme || a.values.size() != b.values.size() || !(a.arch == b.arch))
    return false;
  for (const auto& [key, value] : a.values) {
    const auto it = b.values.find(key);
    if (it == b.values.end() || !same_value(value, it->second)) return false;
  }
  return true;
}

bool same_widths(const Experiment& a, const Experiment& b) {
  if (a.layers != b.layers) return false;
  for (int l = 1; l <= a.layers; ++l)
    if (a.width(l) != b.width(l)) return false;
  return true;
}

bool uniform_width(const Experiment& e) {
  for (int l = 2; l <= e.layers; ++l)
    if (e.width(l) != e.width(1)) return false;
  return true;
}

// "10 × 500" (with the input dim when it is not the width), or "784-256-256-10".
std::string network_text(const Experiment& e) {
  if (uniform_width(e)) {
    std::string s = std::to_string(e.layers) + " \xC3\x97 " + std::to_string(e.width(1));
    if (e.resolved_input_dim() != e.width(1))
      s += ", input dim " + std::to_string(e.resolved_input_dim());
    return s;
  }
  std::string s = std::to_string(e.resolved_input_dim());
  for (int l = 1; l <= e.layers; ++l) {
    s += '-';
    s += std::to_string(e.width(l));
  }
  return s;
}

// Every spec as given, "a vs b vs c"; when that is long, the schemes' names as written
// ("3 inits: normal, normal, xavier_normal"); when that is long too, "7 inits".
std::string inits_text(const std::vector<InitSpec>& inits) {
  constexpr size_t kLong = 64;
  std::string full, names;
  for (const InitSpec& s : inits) {
    full += (full.empty() ? "" : " vs ") + s.text;
    names += (names.empty() ? "" : ", ") + s.text.substr(0, s.text.find(':'));
  }
  if (full.size() <= kLong) return full;
  const std::string count = std::to_string(inits.size()) + " inits";
  if (inits.size() > 1 && count.size() + 2 + names.size() <= kLong) return count + ": " + names;
  return inits.size() > 1 ? count : full;
}

}  // namespace

std::string ExperimentHeading::narrative_label() const {
  return as_given || preset.empty() ? std::string() : "From preset '" + preset + "' (modified)";
}

bool same_shown_experiment(const Experiment& a, const Experiment& b) {
  if (!same_widths(a, b) || a.resolved_input_dim() != b.resolved_input_dim()) return false;
  if (a.activation.name() != b.activation.name()) return false;
  if (!(a.arch == b.arch)) return false;
  if (a.bias.has_value() != b.bias.has_value()) return false;
  if (a.bias && !same_spec(*a.bias, *b.bias)) return false;
  if (!same_spec(a.input, b.input) || a.inits.size() != b.inits.size()) return false;
  for (size_t i = 0; i < a.inits.size(); ++i)
    if (!same_spec(a.inits[i], b.inits[i])) return false;
  if (a.training.has_value() != b.training.has_value()) return false;
  if (a.training && a.training->to_json() != b.training->to_json()) return false;
  if (a.gan.has_value() != b.gan.has_value()) return false;
  return !a.gan || a.gan->to_json() == b.gan->to_json();
}

std::string describe_experiment(const Experiment& e) {
  std::string s = e.activation.name() + ", " + network_text(e);
  if (const std::string a = e.architecture_text(); !a.empty()) s += ", " + a;
  if (!e.inits.empty()) s += ", " + inits_text(e.inits);
  if (e.bias) s += ", bias " + e.bias->text;
  // Training feeds images: the input distribution is not what is shown.
  if (!e.training && !same_spec(e.input, InitSpec::parse("normal:std=1", "--input")))
    s += ", input " + e.input.text;
  return s;
}

ExperimentHeading experiment_heading(const Experiment& e) {
  ExperimentHeading h;
  if (const Experiment* given = find_preset_experiment(e.preset)) {
    h.preset = e.preset;
    h.narrative = given->narrative;
    h.as_given = same_shown_experiment(e, *given);
    h.title = h.as_given ? given->title : describe_experiment(e);
    if (h.title.empty()) h.title = describe_experiment(e);
    return h;
  }
  // Not from a preset: a config's own title and narrative (the command line and the window
  // clear them when they change such an experiment: without_stale_heading).
  h.narrative = e.narrative;
  h.title = e.title.empty() ? describe_experiment(e) : e.title;
  return h;
}

Experiment without_stale_heading(const Experiment& before, Experiment after) {
  if (find_preset_experiment(after.preset) == nullptr && after.title == before.title &&
      after.narrative == before.narrative && !same_shown_experiment(before, after)) {
    after.title.clear();
    after.narrative.clear();
  }
  return after;
}

nlohmann::ordered_json shown_config_json(const Experiment& e) {
  nlohmann::ordered_json j = e.to_json();
  const ExperimentHeading h = experiment_heading(e);
  j["title"] = h.title;
  j["narrative"] =
      h.as_given || h.narrative.empty() ? h.narrative : h.narrative_label() + ": " + h.narrative;
  return j;
}

}  // namespace initscope
