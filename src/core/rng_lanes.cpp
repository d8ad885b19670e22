#include "rng_lanes.h"

namespace initscope {
namespace {

// kLanes 64-bit words in one GCC vector (one zmm with AVX-512, two ymm with AVX2, four xmm
// with SSE2). Passed by reference only: by value its ABI depends on the instruction set.
using LaneWords = uint64_t __attribute__((vector_size(RngLanes::kLanes * sizeof(uint64_t))));

struct LaneState {
  LaneWords s0, s1, s2, s3;
};

inline void lanes_rotl(LaneWords& x, int k) {
  x = (x << k) | (x >> (64 - k));
}

// One xoshiro256** step of every lane (Rng::next), the multiplications by 5 and 9 as shifts
// and adds (no 64-bit vector multiply before AVX-512DQ).
inline void lanes_step(LaneState& s, LaneWords& out) {
  LaneWords r = s.s1 + (s.s1 << 2);
  lanes_rotl(r, 7);
  out = r + (r << 3);
  const LaneWords t = s.s1 << 17;
  s.s2 ^= s.s0;
  s.s3 ^= s.s1;
  s.s1 ^= s.s2;
  s.s0 ^= s.s3;
  s.s2 ^= t;
  lanes_rotl(s.s3, 45);
}

// Every lane `poly` outputs ahead: Σ c_i·T^i of its state, T^i taken one step at a time.
void lanes_jump(LaneState& s, const Rng::State& poly) {
  LaneState acc{};
  LaneWords unused;
  for (uint64_t word : poly)
    for (int b = 0; b < 64; ++b) {
      if ((word >> b) & 1) {
        acc.s0 ^= s.s0;
        acc.s1 ^= s.s1;
        acc.s2 ^= s.s2;
        acc.s3 ^= s.s3;
      }
      lanes_step(s, unused);
    }
  s = acc;
}

}  // namespace

// Computed from P by square-and-multiply; tests/unit/test_rng_lanes.cpp checks both against
// stepping the generator m times.
const Rng::State RngLanes::kRunJump = {0x876c2301125a85c0ULL, 0x15fe822628b16f04ULL,
                                       0x3c8ca36ec9a74fa7ULL, 0x51edef31819e01ffULL};
const Rng::State RngLanes::kGroupJump = {0x2feb50ab077bac1aULL, 0xa9b302d307a6d345ULL,
                                         0x64dcf3fb942666efULL, 0x3972a4b76a145204ULL};

// The lanes' jump with every lane at s: one implementation of jump-ahead, which the tests check
// against stepping.
Rng::State jump_state(const Rng::State& s, const Rng::State& poly) {
  LaneState lanes{LaneWords{} + s[0], LaneWords{} + s[1], LaneWords{} + s[2], LaneWords{} + s[3]};
  lanes_jump(lanes, poly);
  return {lanes.s0[0], lanes.s1[0], lanes.s2[0], lanes.s3[0]};
}

RngLanes::RngLanes(const Rng& rng) : rest_(rng) {
  Rng::State s = rng.state();
  for (int j = 0; j < kLanes; ++j) {
    if (j > 0) s = jump_state(s, kRunJump);
    for (size_t w = 0; w < 4; ++w) lanes_[w][j] = s[w];
  }
}

void RngLanes::next_group(uint64_t* out) {
  LaneState s;
  __builtin_memcpy(&s.s0, lanes_[0], sizeof(LaneWords));
  __builtin_memcpy(&s.s1, lanes_[1], sizeof(LaneWords));
  __builtin_memcpy(&s.s2, lanes_[2], sizeof(LaneWords));
  __builtin_memcpy(&s.s3, lanes_[3], sizeof(LaneWords));
  if (jump_first_) lanes_jump(s, kGroupJump);
  LaneWords r;
  for (size_t t = 0; t < kLaneRun; ++t) {
    lanes_step(s, r);
#pragma GCC unroll 8
    for (int j = 0; j < kLanes; ++j) out[static_cast<size_t>(j) * kLaneRun + t] = r[j];
  }
  // The last lane ends where the group does: the stream goes on from its state.
  rest_.set_state({s.s0[kLanes - 1], s.s1[kLanes - 1], s.s2[kLanes - 1], s.s3[kLanes - 1]});
  __builtin_memcpy(lanes_[0], &s.s0, sizeof(LaneWords));
  __builtin_memcpy(lanes_[1], &s.s1, sizeof(LaneWords));
  __builtin_memcpy(lanes_[2], &s.s2, sizeof(LaneWords));
  __builtin_memcpy(lanes_[3], &s.s3, sizeof(LaneWords));
  jump_first_ = true;
}

}  // namespace initscope
