// Init spec grammar and the scheme table: good specs round-trip, every kind of bad spec gives a
// one-line UsageError naming the option, the spec, the key/value and what is allowed.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/init/data_stage.h"
#include "core/init/init_spec.h"
#include "core/presets.h"

namespace initscope {
namespace {

std::string init_usage_error(const std::string& text, const std::string& option = "--init") {
  try {
    InitSpec::parse(text, option);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(InitSchemeTable, NamesAliasesAndDefaultsAreConsistent) {
  const std::vector<std::string> expected = {"zeros",
                                             "ones",
                                             "constant",
                                             "uniform",
                                             "normal",
                                             "trunc_normal",
                                             "xavier_uniform",
                                             "xavier_normal",
                                             "kaiming_uniform",
                                             "kaiming_normal",
                                             "lecun_uniform",
                                             "lecun_normal",
                                             "variance_scaling",
                                             "orthogonal",
                                             "eye",
                                             "sparse",
                                             "lsuv",
                                             "rbm",
                                             "fixup",
                                             "gpt2",
                                             "torch_linear_default",
                                             "auto"};
  std::vector<std::string> names;
  std::set<std::string> seen;
  for (const auto& s : init_schemes()) {
    names.push_back(s.name);
    EXPECT_TRUE(seen.insert(s.name).second) << s.name;
    for (const auto& a : s.aliases) EXPECT_TRUE(seen.insert(a).second) << a;
    EXPECT_FALSE(s.title.empty()) << s.name;
    EXPECT_FALSE(s.formula.empty()) << s.name;
    EXPECT_EQ(find_init_scheme(s.name), &s);
    for (const auto& a : s.aliases) EXPECT_EQ(find_init_scheme(a), &s) << a;
    for (const auto& p : s.params) {
      EXPECT_FALSE(p.help.empty()) << s.name << "." << p.name;
      if (p.kind == ParamDef::Kind::Choice) {
        EXPECT_NE(std::find(p.choices.begin(), p.choices.end(), p.default_value), p.choices.end())
            << s.name << "." << p.name;
      }
    }
    // Defaults are valid: the bare name parses and fills every parameter.
    const InitSpec spec = InitSpec::parse(s.name);
    EXPECT_EQ(spec.values.size(), s.params.size()) << s.name;
  }
  EXPECT_EQ(names, expected);
  EXPECT_EQ(find_init_scheme("glorot_uniform")->name, "xavier_uniform");
  EXPECT_EQ(find_init_scheme("glorot_normal")->name, "xavier_normal");
  EXPECT_EQ(find_init_scheme("he_uniform")->name, "kaiming_uniform");
  EXPECT_EQ(find_init_scheme("he_normal")->name, "kaiming_normal");
  EXPECT_EQ(find_init_scheme("gaussian"), nullptr);
  for (const char* input_ok : {"zeros", "ones", "constant", "uniform", "normal", "trunc_normal"})
    EXPECT_FALSE(find_init_scheme(input_ok)->fan_based) << input_ok;
  for (const char* fan : {"xavier_normal", "kaiming_uniform", "orthogonal", "eye", "sparse",
                          "lecun_normal", "variance_scaling", "torch_linear_default"})
    EXPECT_TRUE(find_init_scheme(fan)->fan_based) << fan;
}

TEST(InitSpecParse, CanonicalFillsDefaultsInParamOrder) {
  struct Case {
    std::string text, canonical;
  };
  const Case cases[] = {
      {"zeros", "zeros"},
      {"normal:std=0.01", "normal:mean=0,std=0.01"},
      {"kaiming_normal", "kaiming_normal:a=0,mode=fan_in,nonlinearity=leaky_relu"},
      {"he_normal:mode=fan_out", "kaiming_normal:a=0,mode=fan_out,nonlinearity=leaky_relu"},
      {"kaiming_normal:a=0.1,mode=fan_out",
       "kaiming_normal:a=0.1,mode=fan_out,nonlinearity=leaky_relu"},
      {"trunc_normal:b=3,a=-1", "trunc_normal:mean=0,std=1,a=-1,b=3"},
      {"glorot_uniform:gain=auto", "xavier_uniform:gain=auto"},
      {"variance_scaling:scale=2,mode=fan_avg,distribution=uniform",
       "variance_scaling:scale=2,mode=fan_avg,distribution=uniform"},
      {"sparse:sparsity=0.5", "sparse:sparsity=0.5,std=0.01"},
      {"uniform:a=-1,b=1", "uniform:a=-1,b=1"},
      {"constant:val=+0.5", "constant:val=+0.5"},
      {"normal:std=1e-2", "normal:mean=0,std=1e-2"},
      {" normal : std = 2 ", "normal:mean=0,std=2"},
      {"uniform:a=1,b=1", "uniform:a=1,b=1"},
      {"trunc_normal:mean=40,a=30,b=35", "trunc_normal:mean=40,std=1,a=30,b=35"},
  };
  for (const auto& c : cases) {
    const InitSpec spec = InitSpec::parse(c.text);
    EXPECT_EQ(spec.text, c.text);
    EXPECT_EQ(spec.canonical(), c.canonical) << c.text;
    const InitSpec again = InitSpec::parse(spec.canonical());
    EXPECT_EQ(again.canonical(), spec.canonical());
    EXPECT_EQ(again.values, spec.values);
    EXPECT_EQ(again.scheme, spec.scheme);
  }
}

// Every entry is whole: a sampler, its parameters' defaults inside their own ranges (as numbers,
// not only as text that parses), and a data stage with all its parts when it has one.
TEST(InitSchemeTable, EveryEntryIsComplete) {
  for (const auto& s : init_schemes()) {
    EXPECT_NE(s.distribution, nullptr) << s.name;
    for (const auto& p : s.params) {
      if (p.kind != ParamDef::Kind::Number) continue;
      if (p.allow_auto && p.default_value == "auto") continue;
      const double x = std::stod(p.default_value);
      EXPECT_TRUE(p.min_exclusive ? x > p.min : x >= p.min) << s.name << "." << p.name << " " << x;
      EXPECT_TRUE(p.max_exclusive ? x < p.max : x <= p.max) << s.name << "." << p.name << " " << x;
      EXPECT_LE(p.min, p.max) << s.name << "." << p.name;
    }
    if (s.stage) {
      EXPECT_NE(s.stage->fit, nullptr) << s.name;
      EXPECT_NE(s.stage->describe, nullptr) << s.name;
      EXPECT_NE(s.stage->theory_caveat, nullptr) << s.name;
    }
  }
}

// Every name and alias round-trips: parse → canonical text → parse gives the same scheme and
// values, and the canonical text names the scheme by its canonical name. With every parameter
// written (at its default) too, in reverse order: the same canonical text.
TEST(InitSchemeTable, EveryNameRoundTripsThroughCanonicalText) {
  for (const auto& s : init_schemes()) {
    std::vector<std::string> names = s.aliases;
    names.insert(names.begin(), s.name);
    for (const auto& name : names) {
      const InitSpec spec = InitSpec::parse(name);
      EXPECT_EQ(spec.scheme, &s) << name;
      const std::string canonical = spec.canonical();
      EXPECT_EQ(canonical.substr(0, canonical.find(':')), s.name) << name;
      const InitSpec again = InitSpec::parse(canonical);
      EXPECT_EQ(again.scheme, &s) << canonical;
      EXPECT_EQ(again.values, spec.values) << canonical;
      EXPECT_EQ(again.canonical(), canonical);
      std::string written = name;
      char sep = ':';
      for (auto p = s.params.rbegin(); p != s.params.rend(); ++p, sep = ',')
        written += sep + p->name + "=" + p->default_value;
      EXPECT_EQ(InitSpec::parse(written).canonical(), canonical) << written;
    }
  }
}

// The random streams are keyed by stream_text(): the canonical name and the parameters written,
// in the table's order, without blanks.
TEST(InitSpecParse, StreamTextIsTheCanonicalNameWithTheWrittenParameters) {
  struct Case {
    std::string text, stream;
  };
  const Case cases[] = {
      {"he_normal:a=0.1", "kaiming_normal:a=0.1"},
      {"kaiming_normal:a=0.1", "kaiming_normal:a=0.1"},
      {" he_normal : mode = fan_out , a = 0.1 ", "kaiming_normal:a=0.1,mode=fan_out"},
      {"glorot_uniform", "xavier_uniform"},
      {"dbn:std=0.02,epochs=2", "rbm:epochs=2,std=0.02"},
      {"trunc_normal:b=3,a=-1", "trunc_normal:a=-1,b=3"},
      {"normal", "normal"},
      {"normal:std=1", "normal:std=1"},  // a default written is kept: older specs keep streams
  };
  for (const auto& c : cases) EXPECT_EQ(InitSpec::parse(c.text).stream_text(), c.stream) << c.text;
}

// A spec's text without its architecture keys (norm=…, residual=…: engine/architecture.h).
std::string spec_without_architecture(const std::string& text) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) return text;
  std::string out = text.substr(0, colon), sep = ":";
  size_t start = colon + 1;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    const std::string key = item.substr(0, item.find('='));
    if (key != "norm" && key != "norm_gain" && key != "residual" && key != "scale") {
      out += sep + item;
      sep = ",";
    }
    start = comma + 1;
  }
  return out;
}

// Every preset writes its inits with the canonical name and parameters in the table's order, so
// their streams (hence every number `stats --preset` prints) are those the text used to key; a
// column's architecture keys come after them and key no stream.
TEST(InitSpecParse, PresetSpecsAreTheirOwnStreamText) {
  for (const PresetInfo& p : preset_list()) {
    const Experiment e = load_preset(p.name);
    for (const InitSpec& spec : e.inits)
      EXPECT_EQ(spec.stream_text(), spec_without_architecture(spec.text)) << p.name;
  }
}

TEST(InitSpecParse, NumberResolvesAutoFromTheActivation) {
  const InitSpec spec = InitSpec::parse("xavier_normal:gain=auto");
  EXPECT_EQ(spec.number("gain", Activation::parse("tanh")), 5.0 / 3);
  EXPECT_EQ(spec.number("gain", Activation::parse("relu")), std::sqrt(2.0));
  EXPECT_EQ(InitSpec::parse("normal:std=0.25").number("std", Activation{}), 0.25);
  EXPECT_EQ(InitSpec::parse("he_uniform:mode=fan_out").choice("mode"), "fan_out");
  EXPECT_THROW(spec.number("std", Activation{}), std::logic_error);
  EXPECT_THROW(spec.choice("mode"), std::logic_error);
}

// Every kind of bad spec: the message is one line, starts with the option and the quoted spec,
// and names the key or value and what is allowed.
TEST(InitSpecParse, BadSpecsNameTheProblemAndTheAllowedSet) {
  struct Case {
    std::string text;
    std::vector<std::string> expect;  // substrings of the message
  };
  const std::string fans = "allowed: fan_in, fan_out";
  const Case cases[] = {
      {"", {"empty init spec", "zeros, ones, constant"}},
      {"gaussian",
       {"unknown init scheme 'gaussian'",
        "allowed: zeros, ones, constant, uniform, normal, trunc_normal, xavier_uniform, "
        "xavier_normal, kaiming_uniform, kaiming_normal, lecun_uniform, lecun_normal, "
        "variance_scaling, orthogonal, eye, sparse, lsuv, rbm, fixup, gpt2, torch_linear_default, "
        "auto",
        "aliases: glorot_uniform, glorot_normal, he_uniform, he_normal"}},
      {"Normal", {"unknown init scheme 'Normal'"}},
      {"normal:sd=1", {"--init 'normal:sd=1': unknown key 'sd' for normal; allowed: mean, std"}},
      {"he_normal:gain=2",
       {"unknown key 'gain' for kaiming_normal; allowed: a, mode, nonlinearity"}},
      {"zeros:val=1", {"unknown key 'val' for zeros", "zeros takes no parameters"}},
      {"normal:std=abc", {"value 'abc' for std is not a number", "a finite number >= 0"}},
      {"normal:std=1x", {"value '1x' for std is not a number"}},
      {"normal:std=1,5", {"'5' is not key=value", "allowed keys: mean, std"}},
      {"normal:std=nan", {"value 'nan' for std is not a number"}},
      {"normal:std=inf", {"value 'inf' for std is not a number"}},
      {"normal:std=1e999", {"value '1e999' for std is not a number"}},
      {"normal:std=0x10", {"value '0x10' for std is not a number"}},
      {"normal:std=auto", {"value 'auto' for std is not a number", ">= 0"}},
      {"normal:std=-1", {"std=-1 is out of range", "allowed: a finite number >= 0"}},
      {"normal:std=", {"empty value for 'std'", "allowed: a finite number >= 0"}},
      {"normal:std=1,std=2", {"duplicate key 'std'"}},
      {"normal:", {"empty parameter", "allowed keys: mean, std"}},
      {"normal:std=1,", {"empty parameter"}},
      {"normal:,std=1", {"empty parameter"}},
      {"normal:std", {"'std' is not key=value", "allowed keys: mean, std"}},
      {"kaiming_normal:mode=fan_avg", {"value 'fan_avg' for mode is not allowed", fans}},
      {"kaiming_normal:mode=", {"empty value for 'mode'", fans}},
      {"kaiming_normal:nonlinearity=swish",
       {"value 'swish' for nonlinearity",
        "allowed: leaky_relu, relu, tanh, sigmoid, linear, selu, auto"}},
      {"kaiming_uniform:a=-0.1", {"a=-0.1 is out of range", ">= 0"}},
      {"variance_scaling:distribution=normal",
       {"value 'normal' for distribution",
        "allowed: truncated_normal, untruncated_normal, uniform"}},
      {"variance_scaling:mode=avg", {"allowed: fan_in, fan_out, fan_avg"}},
      {"variance_scaling:scale=0", {"scale=0 is out of range", "a finite number > 0"}},
      {"uniform:a=1,b=0", {"needs a <= b, got a=1, b=0"}},
      {"trunc_normal:a=1,b=1", {"needs a < b, got a=1, b=1"}},
      {"trunc_normal:std=0", {"std=0 is out of range", "> 0"}},
      {"trunc_normal:a=50,b=60", {"[a, b] = [50, 60] holds no probability", "allowed:"}},
      {"sparse:sparsity=1", {"sparsity=1 is out of range", "in [0, 1)"}},
      {"sparse:sparsity=-0.1", {"sparsity=-0.1 is out of range", "in [0, 1)"}},
      {"xavier_normal:gain=-1", {"gain=-1 is out of range", ">= 0 or 'auto'"}},
      {"xavier_normal:gain=automatic", {"value 'automatic' for gain", "or 'auto'"}},
      {"orthogonal:gain=two", {"value 'two' for gain"}},
  };
  for (const auto& c : cases) {
    const std::string msg = init_usage_error(c.text);
    EXPECT_EQ(msg.rfind("--init '" + c.text + "': ", 0), 0u) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    for (const auto& e : c.expect)
      EXPECT_NE(msg.find(e), std::string::npos)
          << "spec '" << c.text << "'\n  message: " << msg << "\n  missing: " << e;
  }
  EXPECT_EQ(init_usage_error("normal:sd=1", "--bias"),
            "--bias 'normal:sd=1': unknown key 'sd' for normal; allowed: mean, std");
}

}  // namespace
}  // namespace initscope
