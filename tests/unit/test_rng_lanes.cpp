// RngLanes against the serial generator it stands for: the jump constants against stepping,
// every output of several groups and the stream after them; and the normal draw, whose long
// fills take RngLanes' words, against the same draw made in pieces the serial generator takes.
#include <gtest/gtest.h>

#include <cstdio>
#include <vector>

#include "core/init/init_sampling.h"
#include "core/init/init_spec.h"
#include "core/rng_lanes.h"

using namespace initscope;

namespace {

Rng::State stepped(Rng rng, size_t steps) {
  for (size_t i = 0; i < steps; ++i) rng.next();
  return rng.state();
}

}  // namespace

// x^m mod P applied by jump_state lands where m calls of next() do, from unrelated states.
TEST(RngLanes, JumpConstantsMatchSteppingTheGenerator) {
  for (uint64_t seed : {0ULL, 1ULL, 0x9e3779b97f4a7c15ULL}) {
    const Rng rng = Rng::stream(seed, 7, 11);
    EXPECT_EQ(jump_state(rng.state(), RngLanes::kRunJump), stepped(rng, RngLanes::kLaneRun))
        << seed;
    EXPECT_EQ(jump_state(rng.state(), RngLanes::kGroupJump),
              stepped(rng, (RngLanes::kLanes - 1) * RngLanes::kLaneRun))
        << seed;
  }
}

// Three groups (the lanes jump between them) are the stream's first 3·kGroup outputs in order,
// and rest() goes on with output 3·kGroup + 1; before any group rest() is the generator itself.
TEST(RngLanes, GroupsAreTheSerialStreamInOrder) {
  Rng serial = Rng::stream(42, 3);
  RngLanes lanes(serial);
  EXPECT_EQ(lanes.rest().state(), serial.state());
  std::vector<uint64_t> got(3 * RngLanes::kGroup);
  for (size_t g = 0; g < 3; ++g) lanes.next_group(got.data() + g * RngLanes::kGroup);
  size_t mismatches = 0, first = got.size();
  for (size_t i = 0; i < got.size(); ++i)
    if (got[i] != serial.next() && mismatches++ == 0) first = i;
  std::printf("RngLanes: %zu of %zu outputs differ from next() (first at %zu)\n", mismatches,
              got.size(), mismatches ? first : size_t{0});
  EXPECT_EQ(mismatches, 0u);
  Rng rest = lanes.rest();
  EXPECT_EQ(rest.state(), serial.state());
  EXPECT_EQ(rest.next(), serial.next());
}

// A normal fill long enough for RngLanes (whole groups, then a serial tail that is not a whole
// block) gives the bits the same stream gives drawn in pieces of 7 blocks (each below a group:
// serial only), and leaves the generator at the same state.
TEST(RngLanes, LongNormalFillsGiveTheSerialDrawBitForBit) {
  const InitSpec spec = InitSpec::parse("normal:std=1");
  constexpr int kPiece = 7 * 1024;
  static_assert(kPiece < static_cast<int>(RngLanes::kGroup));
  const int n = static_cast<int>(5 * RngLanes::kGroup) + 3 * kPiece + 300;
  Rng whole_rng = Rng::stream(5, 8), pieces_rng = whole_rng;
  const Eigen::MatrixXf whole = sample_values(spec, 1, n, whole_rng);
  std::vector<float> pieces;
  while (static_cast<int>(pieces.size()) < n) {
    const int m = std::min(kPiece, n - static_cast<int>(pieces.size()));
    const Eigen::MatrixXf part = sample_values(spec, 1, m, pieces_rng);
    pieces.insert(pieces.end(), part.data(), part.data() + m);
  }
  int differ = 0;
  for (int i = 0; i < n; ++i) differ += whole(0, i) != pieces[static_cast<size_t>(i)];
  std::printf("normal fill of %d values: %d differ from the serial draw\n", n, differ);
  EXPECT_EQ(differ, 0);
  EXPECT_EQ(whole_rng.state(), pieces_rng.state());
}
