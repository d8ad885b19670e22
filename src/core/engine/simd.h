#pragma once
// The SIMD width of this build, as GCC vector types: 16 floats with AVX-512, 8 with AVX, 4
// otherwise (SSE2, the portable build). Elementwise kernels (statistics, histogram slots) are
// written once with these types; GCC maps `+ * < ?:` and __builtin_convertvector straight to
// the target's instructions (k-masks on AVX-512, blends on AVX2), which its auto-vectoriser
// did not do for the same loops (2.3× slower histogram slots, measured).
#include <cstdint>
#include <cstring>

namespace initscope::simd {

#if defined(__AVX512F__)
constexpr int kWidth = 16;
#elif defined(__AVX__)
constexpr int kWidth = 8;
#else
constexpr int kWidth = 4;
#endif

typedef float FloatVec __attribute__((vector_size(kWidth * sizeof(float))));
typedef int32_t IntVec __attribute__((vector_size(kWidth * sizeof(int32_t))));

inline FloatVec load(const float* p) {
  FloatVec v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(int32_t* p, IntVec v) {
  std::memcpy(p, &v, sizeof v);
}
inline FloatVec splat(float x) {
  return FloatVec{} + x;
}
inline IntVec splat(int32_t x) {
  return IntVec{} + x;
}
// Lanes 0, 1, …, kWidth−1.
inline IntVec lane_index() {
  IntVec v;
  for (int i = 0; i < kWidth; ++i) v[i] = i;
  return v;
}
// The smallest and largest lane. (Comparisons of vectors give −1 (true) or 0 per lane:
// subtracting them counts.)
inline float min(FloatVec v) {
  float m = v[0];
  for (int i = 1; i < kWidth; ++i) m = v[i] < m ? v[i] : m;
  return m;
}
inline float max(FloatVec v) {
  float m = v[0];
  for (int i = 1; i < kWidth; ++i) m = v[i] > m ? v[i] : m;
  return m;
}

}  // namespace initscope::simd
