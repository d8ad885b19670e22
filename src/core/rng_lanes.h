#pragma once
// One Rng stream's outputs produced by kLanes copies of its xoshiro256** generator stepped
// together in SIMD registers, lane j kLaneRun outputs further along the stream than lane j − 1:
// the outputs in stream order, bit for bit what as many calls of Rng::next() give. The serial
// generator is one chain of dependent xors and shifts (≈ 1.2 ns an output on the AVX-512 Xeon of
// issue 15's fifth pass, half of drawing a normal); the lanes take ≈ 0.6 ns, half of it writing
// their outputs back into stream order.
//
// Placing the lanes is jump-ahead. xoshiro256's state update T is linear over GF(2), so m steps
// are T^m = Σ c_i·T^i where x^m mod P(x) = Σ c_i·x^i and P is T's characteristic polynomial
// (degree 256; found by Berlekamp–Massey over a state bit's sequence — with it, x^(2^128) mod P
// is exactly the published xoshiro256 jump constant). A jump costs 256 steps: the lanes are
// placed once per RngLanes, and after each group of kGroup outputs every lane jumps
// (kLanes − 1)·kLaneRun outputs ahead, in one vector pass (≈ 12% of a group's steps).
#include <array>
#include <cstddef>
#include <cstdint>

#include "core/rng.h"

namespace initscope {

class RngLanes {
 public:
  static constexpr int kLanes = 8;
  static constexpr size_t kLaneRun = 2048;
  static constexpr size_t kGroup = kLanes * kLaneRun;  // outputs per next_group()

  // Lanes at outputs 0, kLaneRun, … of rng's stream from its current state.
  explicit RngLanes(const Rng& rng);
  // The stream's next kGroup outputs, in order (lane j's at out[j·kLaneRun, (j + 1)·kLaneRun)).
  void next_group(uint64_t* out);
  // rng as it stands after the outputs handed out so far: its stream goes on from there.
  Rng rest() const { return rest_; }

  // x^m mod P for the jumps above, as 4 words of 64 coefficients (c_0 = bit 0 of word 0).
  static const Rng::State kRunJump;    // m = kLaneRun
  static const Rng::State kGroupJump;  // m = (kLanes − 1)·kLaneRun

 private:
  alignas(64) uint64_t lanes_[4][kLanes];  // state word w of lane j: lanes_[w][j]
  Rng rest_;
  // After a group lane j sits where lane j + 1 began: (kLanes − 1)·kLaneRun outputs short of
  // its place in the next group.
  bool jump_first_ = false;
};

// The state `poly` (x^m mod P, above) m outputs further along the stream of `s`.
Rng::State jump_state(const Rng::State& s, const Rng::State& poly);

}  // namespace initscope
