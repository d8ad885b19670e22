#pragma once
// Moving a column's point in the phase diagram rewrites the experiment so that the theory puts
// it exactly there:
//  * the column's init becomes variance_scaling:scale=σ_w²,mode=fan_in,
//    distribution=untruncated_normal — W ~ N(0, σ_w²/fan_in) in every layer whatever its size,
//    so Var(W)·fan_in = σ_w² exactly (a normal:std=… would fix one std for every layer size);
//  * the bias — one for the whole experiment, not per column — becomes normal:std=√σ_b², or
//    none when σ_b² rounds to 0: every column's point moves to the new σ_b².
// Values are rounded to 3 significant digits (σ_w² at least 0.001; σ_b² below 0.0005 is 0; the
// bias std gets 4 so that its square keeps 3) so that the specs stay readable.
#include <cstddef>

#include "core/experiment.h"

namespace initscope::app {

Experiment with_phase_point(const Experiment& e, size_t column, double sigma_w2, double sigma_b2);

}  // namespace initscope::app
