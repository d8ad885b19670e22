#include "start_weights.h"

#include <exception>

#include "core/error.h"
#include "core/init/init_sampling.h"
#include "core/rng.h"
#include "init_spec.h"

namespace initscope {
namespace {

// Below this many weights in all the drawing runs on one thread (engine/threading.h: a region
// costs milliseconds while the other core is busy).
constexpr int64_t kParallelDraw = int64_t{1} << 16;

int64_t weight_count(const Experiment& e) {
  int64_t n = 0;
  for (int l = 1; l <= e.layers; ++l) n += static_cast<int64_t>(e.fan_in(l)) * e.width(l);
  return n * static_cast<int64_t>(e.inits.size());
}

}  // namespace

uint64_t weight_stream(const InitSpec& spec) {
  return hash_text(spec.stream_text());
}

double branch_weight_factor(const Experiment& e, const InitSpec& spec, int layer) {
  if (spec.scheme == nullptr || spec.scheme->branch == BranchRule::None) return 1;
  const Architecture arch = spec.arch.apply(e.arch);
  const bool head = e.training && layer == e.layers;  // training's classifier is no block
  if (!arch.has_branch(layer) || head) return 1;
  return spec.scheme->branch_factor(arch.blocks(e.layers) - (e.training ? 1 : 0));
}

Activation init_activation(const Experiment& e, const InitSpec& spec, int layer) {
  const bool head = e.training && layer == e.layers;
  if (spec.scheme == nullptr || !spec.scheme->layer_activation || !head) return e.activation;
  Activation linear;
  linear.kind = ActivationKind::Linear;
  return linear;
}

std::vector<StartWeights> draw_start_weights(const Experiment& e, const std::atomic<bool>* cancel,
                                             const OnWeightsDrawn& on_drawn) {
  const int L = e.layers;
  const int64_t pairs = static_cast<int64_t>(e.inits.size()) * L;
  const uint64_t bias_stream = hash_text("bias");
  std::vector<StartWeights> out(e.inits.size());
  for (StartWeights& s : out) {
    s.w.resize(static_cast<size_t>(L));
    s.b.resize(e.bias ? static_cast<size_t>(L) : 0);
  }
  // Drawing is ~10% of a first update (10M normals for the `compare` preset), worth two cores.
  // Exceptions cannot leave an OpenMP region: the first is kept and rethrown.
  std::exception_ptr failure;
#pragma omp parallel for schedule(dynamic) if (pairs > 1 && weight_count(e) >= kParallelDraw)
  for (int64_t k = 0; k < pairs; ++k) {
    if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) continue;
    const size_t c = static_cast<size_t>(k / L);
    const int l = static_cast<int>(k % L);
    try {
      const InitSpec& spec = e.inits[c];
      const uint64_t stream = weight_stream(spec);
      Rng rng = Rng::stream(e.seed, stream, static_cast<uint64_t>(l));
      out[c].w[l] = sample_weights(spec, e.fan_in(l + 1), e.width(l + 1),
                                   init_activation(e, spec, l + 1), rng);
      const double factor = branch_weight_factor(e, spec, l + 1);
      if (factor != 1) out[c].w[l] *= static_cast<float>(factor);
      if (e.bias) {
        Rng brng = Rng::stream(e.seed, stream ^ bias_stream, static_cast<uint64_t>(l));
        out[c].b[l] = sample_values(*e.bias, 1, e.width(l + 1), brng);
      }
      if (on_drawn) on_drawn(c, l, out[c]);
    } catch (...) {
#pragma omp critical(initscope_start_weights)
      if (!failure) failure = std::current_exception();
    }
  }
  if (failure) std::rethrow_exception(failure);
  if (cancel != nullptr && cancel->load()) throw Cancelled{};
  return out;
}

}  // namespace initscope
