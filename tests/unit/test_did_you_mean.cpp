// "did you mean …?": the edit distance against a plain recursive reference, the closest names,
// and the four places that use it (presets, lessons, init schemes, activations).
#include <gtest/gtest.h>

#include <cctype>
#include <random>

#include "core/did_you_mean.h"
#include "core/engine/activation.h"
#include "core/error.h"
#include "core/experiment.h"
#include "core/init/init_spec.h"
#include "core/lesson.h"
#include "core/presets.h"

namespace initscope {
namespace {

// The definition written out: the cheapest of deleting, inserting, substituting or swapping
// at the end of the two strings (exponential; for short strings only).
int reference_distance(const std::string& a, const std::string& b) {
  if (a.empty()) return static_cast<int>(b.size());
  if (b.empty()) return static_cast<int>(a.size());
  const auto same = [](char x, char y) { return std::tolower(x) == std::tolower(y); };
  const std::string a1 = a.substr(0, a.size() - 1), b1 = b.substr(0, b.size() - 1);
  int best = std::min({reference_distance(a1, b) + 1, reference_distance(a, b1) + 1,
                       reference_distance(a1, b1) + (same(a.back(), b.back()) ? 0 : 1)});
  if (a.size() > 1 && b.size() > 1 && same(a.back(), b[b.size() - 2]) &&
      same(a[a.size() - 2], b.back()))
    best = std::min(best,
                    reference_distance(a.substr(0, a.size() - 2), b.substr(0, b.size() - 2)) + 1);
  return best;
}

TEST(DidYouMean, EditDistanceKnownValues) {
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3);
  EXPECT_EQ(edit_distance("", "abc"), 3);
  EXPECT_EQ(edit_distance("relu", "relu"), 0);
  EXPECT_EQ(edit_distance("Tanh", "tanh"), 0) << "case-insensitive";
  EXPECT_EQ(edit_distance("rleu", "relu"), 1) << "a swap of neighbours is one edit";
  EXPECT_EQ(edit_distance("colapse", "collapse"), 1);
}

TEST(DidYouMean, EditDistanceMatchesTheReference) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> len(0, 6), letter(0, 3);
  int worst = 0, cases = 0;
  for (int t = 0; t < 400; ++t) {
    std::string a, b;
    for (int i = len(rng); i > 0; --i) a += static_cast<char>('a' + letter(rng));
    for (int i = len(rng); i > 0; --i) b += static_cast<char>('a' + letter(rng));
    const int diff = std::abs(edit_distance(a, b) - reference_distance(a, b));
    worst = std::max(worst, diff);
    ++cases;
    EXPECT_EQ(edit_distance(a, b), reference_distance(a, b)) << "'" << a << "' vs '" << b << "'";
  }
  std::printf("edit distance vs reference: %d cases, worst difference %d\n", cases, worst);
}

TEST(DidYouMean, ClosestNames) {
  const std::vector<std::string> acts{"tanh", "sigmoid", "relu", "leaky_relu", "elu", "selu"};
  EXPECT_EQ(closest_names("rleu", acts).front(), "relu");
  EXPECT_EQ(closest_names("sigmod", acts), std::vector<std::string>{"sigmoid"});
  EXPECT_EQ(closest_names("TANH", acts), std::vector<std::string>{"tanh"});
  EXPECT_TRUE(closest_names("softmax", acts).empty()) << "nothing close: no suggestion";
  EXPECT_TRUE(closest_names("relu", acts).empty() || closest_names("relu", acts).front() != "relu")
      << "the name itself is never suggested";
  EXPECT_LE(closest_names("lu", acts, 2).size(), 2u);
  EXPECT_TRUE(closest_names(std::string(100000, 'r'), acts).empty()) << "long input: no work";
  EXPECT_EQ(did_you_mean("sigmod", acts), "did you mean 'sigmoid'? ");
  EXPECT_EQ(did_you_mean("xyzzy", acts), "");
}

// The message of `f`'s UsageError.
template <typename F>
std::string name_error_of(F f) {
  try {
    f();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(DidYouMean, EveryKindOfNameSuggests) {
  EXPECT_NE(name_error_of([] { load_preset("colapse"); }).find("did you mean 'collapse'"),
            std::string::npos);
  EXPECT_NE(name_error_of([] { load_lesson("gradient"); }).find("did you mean 'gradients'"),
            std::string::npos);
  EXPECT_NE(name_error_of([] {
              InitSpec::parse("kaiming_norml:a=0", "--init");
            }).find("did you mean 'kaiming_normal'"),
            std::string::npos);
  EXPECT_NE(name_error_of([] {
              InitSpec::parse("glorot_unifrom", "--init");
            }).find("did you mean 'glorot_uniform'"),
            std::string::npos)
      << "aliases are names too";
  EXPECT_NE(
      name_error_of([] { Activation::parse("tahn", "--activation"); }).find("did you mean 'tanh'"),
      std::string::npos);
  // A config file and a column spec go through the same parsers.
  const std::string config = name_error_of([] {
    Experiment::from_json(nlohmann::json{{"activation", "sigmod"}}, "--config 'x.json'");
  });
  EXPECT_NE(config.find("x.json"), std::string::npos) << config;
  EXPECT_NE(config.find("did you mean 'sigmoid'"), std::string::npos) << config;
  const std::string column = name_error_of([] {
    Experiment::from_json(nlohmann::json{{"inits", {"xavier_normal", "he_normall"}}}, "cfg");
  });
  EXPECT_NE(column.find("did you mean 'he_normal'"), std::string::npos) << column;
  // Still says what is allowed.
  EXPECT_NE(name_error_of([] { load_preset("colapse"); }).find("allowed: "), std::string::npos);
}

}  // namespace
}  // namespace initscope
