// Issue 12, "titles never lie": a preset's title and narrative only while the experiment is the
// preset's, compared by value; otherwise a description of what is shown.
#include <gtest/gtest.h>

#include "core/experiment_heading.h"
#include "core/json_text.h"
#include "core/presets.h"

namespace initscope {
namespace {

// An activation other than the preset's.
std::string other_activation(const Experiment& e) {
  return e.activation.name() == "tanh" ? "relu" : "tanh";
}

// The title's first part: "tanh, 10 × 500, …" → "tanh".
std::string first_part(const std::string& title) {
  return title.substr(0, title.find(','));
}

}  // namespace

TEST(ExperimentHeading, EveryPresetAsGivenKeepsItsTitleNarrativeAndConfig) {
  for (const PresetInfo& p : preset_list()) {
    SCOPED_TRACE(p.name);
    const Experiment e = load_preset(p.name);
    const ExperimentHeading h = experiment_heading(e);
    EXPECT_TRUE(h.as_given);
    EXPECT_EQ(h.title, p.title);
    EXPECT_EQ(h.narrative, p.narrative);
    EXPECT_EQ(h.narrative_label(), "");
    // The `stats` / `train` config and a PNG's settings: byte for byte what they were.
    EXPECT_EQ(json_text(shown_config_json(e), 1), json_text(e.to_json(), 1));
  }
}

TEST(ExperimentHeading, EveryPresetWithAnotherActivationIsTitledByIt) {
  for (const PresetInfo& p : preset_list()) {
    SCOPED_TRACE(p.name);
    Experiment e = load_preset(p.name);
    const std::string act = other_activation(e);
    e.activation = Activation::parse(act);
    const ExperimentHeading h = experiment_heading(e);
    EXPECT_FALSE(h.as_given);
    EXPECT_EQ(first_part(h.title), act) << h.title;
    EXPECT_NE(h.title, p.title);
    EXPECT_EQ(h.narrative, p.narrative);
    EXPECT_EQ(h.narrative_label(), "From preset '" + p.name + "' (modified)");
    const auto config = shown_config_json(e);
    EXPECT_EQ(config["title"], h.title);
    EXPECT_EQ(config["narrative"], h.narrative_label() + ": " + p.narrative);
    EXPECT_EQ(config["preset"], p.name);
  }
}

// Overrides that restate the preset's values, written differently, change nothing.
TEST(ExperimentHeading, OverridesEqualToThePresetKeepItsTitle) {
  for (const PresetInfo& p : preset_list()) {
    SCOPED_TRACE(p.name);
    const Experiment given = load_preset(p.name);
    Experiment e = given;
    e.activation = Activation::parse(given.activation.name());
    e.widths.clear();
    for (int l = 1; l <= given.layers; ++l) e.widths.push_back(given.width(l));
    e.input_dim = given.resolved_input_dim();
    e.inits.clear();
    // Every default spelled out: "xavier_normal" → "xavier_normal:gain=1".
    for (const InitSpec& s : given.inits) e.inits.push_back(InitSpec::parse(s.canonical()));
    e.input = InitSpec::parse(given.input.canonical(), "--input");
    // Not part of what a title or a narrative says.
    e.seed = given.seed + 7;
    e.batch = given.batch / 2 + 1;
    e.bins = 37;
    e.updates = 3;
    e.gradients = !given.gradients;
    const ExperimentHeading h = experiment_heading(e);
    EXPECT_TRUE(h.as_given);
    EXPECT_EQ(h.title, p.title);
  }
}

TEST(ExperimentHeading, NumbersCompareAsNumbersAndAliasesAsTheirScheme) {
  Experiment e = load_preset("collapse");  // normal:std=0.01
  e.inits = {InitSpec::parse("normal:std=1e-2,mean=0.0")};
  EXPECT_TRUE(experiment_heading(e).as_given);
  e.inits = {InitSpec::parse("normal:std=0.010001")};
  EXPECT_FALSE(experiment_heading(e).as_given);
  Experiment he = load_preset("he-relu");
  for (InitSpec& s : he.inits)
    if (s.scheme->name == "kaiming_normal") s = InitSpec::parse("he_normal" + s.text.substr(14));
  EXPECT_TRUE(experiment_heading(he).as_given);
}

TEST(ExperimentHeading, EachPartOfTheNetworkCounts) {
  const Experiment given = load_preset("saturation");
  const auto changed = [&](auto change) {
    Experiment e = given;
    change(e);
    return !experiment_heading(e).as_given;
  };
  EXPECT_TRUE(changed([](Experiment& e) { e.layers += 1; }));
  EXPECT_TRUE(changed([](Experiment& e) { e.widths = {400}; }));
  EXPECT_TRUE(changed([](Experiment& e) { e.input_dim = 123; }));
  EXPECT_TRUE(changed([](Experiment& e) { e.bias = InitSpec::parse("zeros", "--bias"); }));
  EXPECT_TRUE(changed([](Experiment& e) { e.input = InitSpec::parse("uniform", "--input"); }));
  EXPECT_TRUE(changed([](Experiment& e) { e.inits.push_back(InitSpec::parse("xavier_normal")); }));
  EXPECT_TRUE(changed([](Experiment& e) { e.activation = Activation::parse("leaky_relu"); }));
  EXPECT_TRUE(changed([](Experiment& e) { e.training = TrainingConfig{}; }));
  Experiment trained = load_preset("mnist-784-256-256-10");
  trained.training->epochs += 1;
  EXPECT_FALSE(experiment_heading(trained).as_given);
  // Training feeds images: no input distribution in its description.
  EXPECT_EQ(experiment_heading(trained).title,
            "relu, 784-256-256-10, normal:std=1 vs xavier_uniform vs kaiming_normal");
}

// The cases, as a reader would see them.
TEST(ExperimentHeading, DescriptionsSayWhatIsShown) {
  Experiment sig = load_preset("sigmoid");
  sig.activation = Activation::parse("tanh");
  EXPECT_EQ(experiment_heading(sig).title,
            "tanh, 10 \xC3\x97 500, normal:std=0.01 vs normal:std=1 vs xavier_normal");

  Experiment one = load_preset("compare");  // "Four inits, one tanh network"
  one.inits = {InitSpec::parse("normal:std=1")};
  EXPECT_EQ(experiment_heading(one).title, "tanh, 10 \xC3\x97 500, normal:std=1");

  Experiment four = load_preset("compare");  // long specs: their schemes' names
  four.activation = Activation::parse("relu");
  EXPECT_EQ(experiment_heading(four).title,
            "relu, 10 \xC3\x97 500, 4 inits: normal, normal, xavier_normal, kaiming_normal");

  Experiment many = load_preset("compare");
  many.inits.assign(9, InitSpec::parse("kaiming_uniform:mode=fan_out"));
  EXPECT_EQ(experiment_heading(many).title, "tanh, 10 \xC3\x97 500, 9 inits");

  Experiment mixed = load_preset("collapse");
  mixed.widths = {300, 200, 100};
  mixed.layers = 3;
  mixed.bias = InitSpec::parse("normal:std=0.05", "--bias");
  mixed.input = InitSpec::parse("uniform:a=-1,b=1", "--input");
  EXPECT_EQ(experiment_heading(mixed).title,
            "tanh, 300-300-200-100, normal:std=0.01, bias normal:std=0.05, input "
            "uniform:a=-1,b=1");
}

// A config's own title (no preset) holds until the experiment is changed.
TEST(ExperimentHeading, AConfigsOwnTitleGoesWhenItIsChanged) {
  Experiment mine = load_preset("collapse");
  mine.preset = "";
  mine.title = "My collapse";
  mine.narrative = "Look at layer 10.";
  EXPECT_EQ(experiment_heading(mine).title, "My collapse");
  Experiment reseeded = mine;
  reseeded.seed = 5;
  EXPECT_EQ(without_stale_heading(mine, reseeded).title, "My collapse");
  Experiment deeper = mine;
  deeper.layers = 20;
  const Experiment shown = without_stale_heading(mine, deeper);
  EXPECT_EQ(shown.title, "");
  EXPECT_EQ(shown.narrative, "");
  EXPECT_EQ(experiment_heading(shown).title, "tanh, 20 \xC3\x97 500, normal:std=0.01");
  // Another config opened in its place keeps its own title.
  Experiment other = deeper;
  other.title = "Twenty layers";
  EXPECT_EQ(without_stale_heading(mine, other).title, "Twenty layers");
  // A preset's experiment is never cleared: its title is the preset's (or the description).
  Experiment sig = load_preset("sigmoid");
  Experiment tanh = sig;
  tanh.activation = Activation::parse("tanh");
  EXPECT_EQ(without_stale_heading(sig, tanh).narrative, sig.narrative);
}

}  // namespace initscope
