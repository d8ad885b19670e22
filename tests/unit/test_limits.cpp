// The one table of limits (core/limits.h): every entry's boundary values are accepted and the
// values just outside, non-numbers and empty text refused, by the option parser (the CLI's) and
// by the value check (the window's, the exporter's, the config reader's) alike; the experiment
// fields also through Experiment::validate, which every edit in the window goes through.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/experiment.h"
#include "core/limits.h"

namespace initscope {
namespace {

// "65536" for integers, shortest round-trip text for others (what a user would type).
std::string text_of(double v, bool integer) {
  char buf[64];
  std::snprintf(buf, sizeof buf, integer ? "%.0f" : "%.17g", v);
  return buf;
}

bool parses(const Limit& l, const std::string& text) {
  try {
    l.parse(text);
    return true;
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find(l.range_text()), std::string::npos)
        << "the message quotes the table's range: " << e.what();
    EXPECT_NE(std::string(e.what()).find(l.option), std::string::npos) << e.what();
    return false;
  }
}

bool checks(const Limit& l, double v) {
  try {
    l.check(v);
    return true;
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find(l.range_text()), std::string::npos) << e.what();
    return false;
  }
}

// Values at and just beyond both ends: integers step by 1, numbers by a relative 1e-9 (or
// 1e-9 absolute at 0).
struct Probe {
  double value;
  bool inside;
};
std::vector<Probe> probes(const Limit& l) {
  // An integer beyond 2^53 (the seed's 2^62) steps by its ulp, the next double.
  const auto step = [&](double v) {
    return l.integer ? std::max(1.0, std::nextafter(std::abs(v), HUGE_VAL) - std::abs(v))
                     : std::max(std::abs(v) * 1e-9, 1e-9);
  };
  return {{l.lo, true}, {l.hi, true}, {l.lo - step(l.lo), false}, {l.hi + step(l.hi), false}};
}

TEST(Limits, ParserAndCheckAgreeOnEveryEntry) {
  for (const Limit& l : limits::kAll) {
    SCOPED_TRACE(l.option);
    ASSERT_LT(l.lo, l.hi);
    for (const Probe& p : probes(l)) {
      const std::string text = text_of(p.value, l.integer);
      EXPECT_EQ(parses(l, text), p.inside) << text;
      EXPECT_EQ(checks(l, p.value), p.inside) << text;
      EXPECT_EQ(l.allows(p.value), p.inside) << text;
      EXPECT_EQ(l.clamp(p.value), std::clamp(p.value, l.lo, l.hi));
    }
    for (const char* bad : {"", "abc", "1x", "nan", "inf", " ", "1,5"})
      EXPECT_FALSE(parses(l, bad));
    EXPECT_FALSE(checks(l, std::nan(""))) << "NaN is outside every range";
    if (l.integer && l.lo + 0.5 < l.hi) {
      EXPECT_FALSE(parses(l, text_of(l.lo, true) + ".5"));
      EXPECT_FALSE(checks(l, l.lo + 0.5));
    }
  }
}

// The experiment's fields as the window sets them (an InputInt, then Experiment::validate) and
// as the CLI parses them: the same values pass.
TEST(Limits, WindowAndCommandLineAcceptTheSameExperiments) {
  const std::pair<const Limit*, std::function<void(Experiment&, double)>> fields[] = {
      {&limits::kLayers, [](Experiment& e, double v) { e.layers = int(v); }},
      {&limits::kWidth, [](Experiment& e, double v) { e.widths = {int(v)}; }},
      {&limits::kInputDim, [](Experiment& e, double v) { e.input_dim = int(v); }},
      {&limits::kBatch, [](Experiment& e, double v) { e.batch = int(v); }},
      {&limits::kBins, [](Experiment& e, double v) { e.bins = int(v); }},
      {&limits::kUpdates, [](Experiment& e, double v) { e.updates = int(v); }},
  };
  for (const auto& [limit, set] : fields) {
    SCOPED_TRACE(limit->option);
    for (const Probe& p : probes(*limit)) {
      Experiment e;
      e.inits = {InitSpec::parse("xavier_normal", "--init")};
      set(e, p.value);
      bool window = true;
      try {
        e.validate();
      } catch (const UsageError& err) {
        window = false;
        EXPECT_NE(std::string(err.what()).find(limit->range_text()), std::string::npos)
            << err.what();
      }
      EXPECT_EQ(window, parses(*limit, text_of(p.value, true))) << p.value;
      EXPECT_EQ(window, p.inside) << p.value;
    }
  }
}

TEST(Limits, OneWidthParserForTheWindowAndTheCommandLine) {
  EXPECT_EQ(parse_widths("500"), std::vector<int>{500});
  EXPECT_EQ(parse_widths("500,400,300"), (std::vector<int>{500, 400, 300}));
  EXPECT_EQ(parse_widths(" 500 , 400,\t300 "), (std::vector<int>{500, 400, 300}));
  EXPECT_EQ(parse_widths("1,65536"), (std::vector<int>{1, 65536}));
  for (const char* bad : {"", ",", "500,", ",500", "500,,400", "0", "65537", "-5", "5x", "abc",
                          "1.5", "99999999999999999999", "500;400"}) {
    try {
      parse_widths(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find("--width"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(limits::kWidth.range_text()), std::string::npos)
          << e.what();
    }
  }
}

TEST(Limits, MessagesQuoteAShortPrefixOfALongValue) {
  const std::string huge(1 << 20, '7');
  try {
    limits::kLayers.parse(huge);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_LT(std::string(e.what()).size(), 200u) << "a 1 MB value is not echoed";
  }
  EXPECT_EQ(quoted_prefix("short"), "short");
  // Cut on a UTF-8 boundary: 39 ASCII bytes then a 2-byte "é" straddling byte 40.
  const std::string s = std::string(39, 'a') + "\xC3\xA9" + "tail";
  EXPECT_EQ(quoted_prefix(s), std::string(39, 'a') + "…");
}

TEST(Limits, SpecParametersKeepFloatWeightsFinite) {
  for (const char* bad : {"normal:std=1e40", "normal:mean=-1e31", "uniform:a=-1e39,b=0",
                          "constant:val=3e38", "xavier_normal:gain=1e35"}) {
    try {
      InitSpec::parse(bad, "--init");
      ADD_FAILURE() << "accepted " << bad;
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find(limits::kSpecParameter.range_text()), std::string::npos)
          << e.what();
    }
  }
  EXPECT_NO_THROW(InitSpec::parse("normal:std=1e30", "--init"));
}

}  // namespace
}  // namespace initscope
