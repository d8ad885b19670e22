#pragma once
// The one table of limits: every number a user can give (CLI option, config key, window field,
// remembered setting) is checked against the entry here, in every layer, and the messages
// quote the entry's range. No GL, no ImGui: the CLI, the window and the exporter all use it.
#include <string>
#include <string_view>
#include <vector>

namespace initscope {

// A closed range [lo, hi] for one option; `integer` options refuse fractions.
struct Limit {
  const char* option;  // as the user types it: "--font-scale"
  double lo, hi;
  bool integer;

  bool allows(double v) const;
  double clamp(double v) const;
  // "an integer from 1 to 10000" / "a number from 0.5 to 4"
  std::string range_text() const;
  // Throws UsageError "OPTION V: must be RANGE" when !allows(v).
  void check(double v) const;
  // The whole text must be a number in range (strtoll / strtod rules); throws UsageError
  // "OPTION 'TEXT': must be RANGE" quoting at most a short prefix of the text.
  double parse(const std::string& text) const;
  // parse() for integer entries, exact beyond 2^53 (seeds).
  long long parse_int(const std::string& text) const;
};

namespace limits {

// Text size: 1 = the base font (render::kBaseFontPx); 0.5 is the smallest that stays legible,
// 4 the largest the window's font atlas holds at a content scale of 2.
inline constexpr Limit kFontScale{"--font-scale", 0.5, 4, false};
// One side of the window, a screenshot or an exported figure, in pixels. 8192: a figure is read
// back whole (8192² × 4 B = 268 MB) and llvmpipe's largest framebuffer is 8192 on older Mesa.
inline constexpr Limit kFigureSide{"--size", 64, 8192, true};
inline constexpr Limit kLayers{"--layers", 1, 10000, true};
inline constexpr Limit kWidth{"--width", 1, 65536, true};
inline constexpr Limit kInputDim{"--input-dim", 0, 65536, true};  // 0 = the first width
inline constexpr Limit kBatch{"--batch", 1, 1000000, true};
inline constexpr Limit kBins{"--bins", 1, 10000, true};
inline constexpr Limit kUpdates{"--updates", 1, 100000, true};
// Compared columns (one per --init); the window's "add column" stops at the same count.
inline constexpr Limit kColumns{"--init", 1, 16, true};
inline constexpr Limit kSeed{"--seed", 0, 4611686018427387904.0 /* 2^62 */, true};
inline constexpr Limit kMemoryLimitGb{"--memory-limit", 0.001, 1e6, false};
// Snapshots the history view keeps (render::HistogramHistory::kCapacity).
inline constexpr Limit kHistoryUpdates{"--history", 2, 200, true};
// Training steps before a scripted capture / an exported training figure (0 = every epoch).
inline constexpr Limit kSteps{"--steps", 0, 1e12, true};
inline constexpr Limit kEpochs{"--epochs", 1, 10000, true};
inline constexpr Limit kTrainBatch{"--train-batch", 1, 1 << 20, true};
inline constexpr Limit kTrainLimit{"--train-limit", 0, 1 << 30, true};  // 0 = all images
inline constexpr Limit kTestLimit{"--test-limit", 0, 1 << 30, true};    // 0 = all images
inline constexpr Limit kLogEvery{"--log-every", 1, 1 << 20, true};
inline constexpr Limit kLearningRate{"--lr", 1e-12, 100, false};
inline constexpr Limit kMomentum{"--momentum", 0, 0.999999, false};
// |parameter| of an init/input/bias spec (std, a, value, mean, gain, …): weights are floats
// (max 3.4e38); a normal draw reaches ~8σ and gain·std·√(k/fan) stays below float's range.
inline constexpr Limit kSpecParameter{"parameter", -1e30, 1e30, false};
// The GAN experiment (`initscope gan`, issue 14). Hidden widths use kWidth's range; a network
// has 1 to 100 hidden layers. Samples: the fixed noise's images per epoch (a grid of ≤ 32×32).
inline constexpr Limit kGanLatent{"--latent", 1, 65536, true};
inline constexpr Limit kGanHiddenLayers{"hidden layers", 1, 100, true};
inline constexpr Limit kGanBatch{"--batch", 1, 1 << 16, true};
inline constexpr Limit kGanDSteps{"--d-steps", 1, 100, true};
inline constexpr Limit kGanSamples{"--samples", 1, 1024, true};
// Fakes per column the epoch-end quality measure sees (its Fréchet distance needs ≥ 2 and is
// biased upward for small N: 64 real images score ≈ 20 against the real statistics).
inline constexpr Limit kGanQualitySamples{"--quality-samples", 2, 10000, true};
inline constexpr Limit kBeta1{"--beta1", 0, 0.999999, false};
inline constexpr Limit kBeta2{"--beta2", 0, 0.999999, false};

// Every entry, for the tests that walk the table.
inline constexpr Limit kAll[] = {
    kFontScale,    kFigureSide, kLayers,        kWidth,      kInputDim,         kBatch,
    kBins,         kUpdates,    kColumns,       kSeed,       kMemoryLimitGb,    kHistoryUpdates,
    kSteps,        kEpochs,     kTrainBatch,    kTrainLimit, kTestLimit,        kLogEvery,
    kLearningRate, kMomentum,   kSpecParameter, kGanLatent,  kGanHiddenLayers,  kGanBatch,
    kGanDSteps,    kGanSamples, kBeta1,         kBeta2,      kGanQualitySamples};

// ---- input safety: how much of a file is read and kept ----------------------------------
// A --config file (JSON experiment or `stats --format json` document): read at most this much.
inline constexpr size_t kConfigBytes = size_t{64} << 20;
// JSON nesting (an experiment is 3 deep, a stats document 6) and values kept per document
// (10,000 per-layer widths and a few keys; a stats document's snapshot part is skipped).
inline constexpr int kJsonDepth = 64;
inline constexpr size_t kJsonValues = 1000000;
// PNG --config: the embedded experiment text (inflated) and the header's sides. A window
// screenshot is the framebuffer: kFigureSide.hi × a content scale of 2.
inline constexpr size_t kPngTextBytes = size_t{4} << 20;
inline constexpr double kPngSide = 2 * kFigureSide.hi;
// Characters of a bad value quoted in a message.
inline constexpr size_t kQuotedChars = 40;

}  // namespace limits

// The strict option parsers behind Limit::parse, for ranges known only at run time (--layer
// 1..L): the whole text must be a number in [lo, hi]. Throw UsageError naming the option.
long long parse_integer(const std::string& option, const std::string& text, long long lo,
                        long long hi);
double parse_number(const std::string& option, const std::string& text, double lo, double hi);

// The one width parser (CLI --width, the window's Width field): "500" or "500,400,300", spaces
// around the commas allowed, each an integer in limits::kWidth. Throws UsageError naming
// `option` (default --width) and ending with `hint`. The GAN's --g-layers / --d-layers use it too.
std::vector<int> parse_widths(const std::string& text, const std::string& option = "",
                              const std::string& hint = "");

// At most `max` bytes of `text` (cut at a UTF-8 boundary), "…" if cut.
std::string quoted_prefix(std::string_view text, size_t max = limits::kQuotedChars);

}  // namespace initscope
