#pragma once
// Axis ticks at "nice" steps (1, 2, 2.5 or 5 × 10^k), shared by every plot so that the grid's
// value axes, the profiles, the heatmaps and the phase diagram count alike.
#include <vector>

namespace initscope::render {

// The smallest nice step giving at most about `intervals` intervals over `span` (1 if span ≤ 0).
double nice_step(double span, int intervals);
// The same for whole-number axes (layers, updates): 1, 2 or 5 × 10^k, at least 1.
long long nice_integer_step(double span, int intervals);
// The smallest 1, 2, 2.5 or 5 × 10^k ≥ x (x > 0): round bounds for ranges.
double nice_ceil(double x);
// The multiples of nice_step(hi − lo, intervals) inside [lo, hi]; values within 1e-9 step of 0
// are exactly 0 (no "−0" or "1e−17" labels).
std::vector<double> nice_ticks(double lo, double hi, int intervals);

// Ticks of a log axis [lo, hi] (log10 of the values): 1, 2, 5 × 10^k where they are few,
// decades where they are many, a linear nice step where the range misses them all (the
// training and GAN figures' loss axes).
std::vector<double> log_ticks(double lo, double hi);

}  // namespace initscope::render
