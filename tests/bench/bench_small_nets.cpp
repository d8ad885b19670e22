// Issue 15: small networks must not pay for threads. A 3 × 16 tanh net (batch 64) updated by
// Simulation — below engine/threading.h's kSerialWork it runs on one thread — with the other
// core idle and with it busy (a thread spinning on it, as another process would), alternating
// in one run; and, for scale, the same net forced through two threads (the fused pass's rows
// split, as every update ran before the threshold). Counters: µs per update.
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "core/engine/forward_pass.h"
#include "core/engine/packed_gemm.h"
#include "core/engine/stats_accumulator.h"
#include "core/init/start_weights.h"
#include "core/simulation.h"

using namespace initscope;

namespace {

Experiment small_net_experiment() {
  Experiment e;
  e.activation = Activation::parse("tanh");
  e.layers = 3;
  e.widths = {16};
  e.batch = 64;
  e.inits = {InitSpec::parse("xavier_normal")};
  return e;
}

// Spins on one core while `busy` is set (another process's work, as far as OpenMP can tell).
class BusyCore {
 public:
  BusyCore()
      : worker_([this] {
          volatile double x = 1;
          while (!quit_.load(std::memory_order_relaxed)) {
            if (busy_.load(std::memory_order_relaxed)) {
              x = x * 1.0000001 + 1e-9;
            } else {
              std::this_thread::sleep_for(std::chrono::microseconds(200));
            }
          }
        }) {}
  ~BusyCore() {
    quit_ = true;
    worker_.join();
  }
  void set(bool on) { busy_ = on; }

 private:
  std::atomic<bool> busy_{false}, quit_{false};
  std::thread worker_;
};

// Simulation::update's time (µs) over `n` updates.
double small_net_update_us(Simulation& sim, int n) {
  const auto t0 = std::chrono::steady_clock::now();
  for (int k = 0; k < n; ++k) sim.update();
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() /
         n;
}

// The same net's forward pass with its rows split over two threads (the old behaviour): µs.
struct TwoThreadForward {
  explicit TwoThreadForward(const Experiment& e) : act(e.activation), acc(e.layers) {
    std::vector<StartWeights> start = draw_start_weights(e);
    for (const Eigen::MatrixXf& w : start[0].w) packed.emplace_back(w, nullptr);
    x = Eigen::MatrixXf::Random(e.batch, e.fan_in(1));
  }
  double run_us(int n) {
    const auto t0 = std::chrono::steady_clock::now();
    for (int k = 0; k < n; ++k) {
      std::vector<LayerSink> sinks;
      for (auto& a : acc) {
        a = {};
        sinks.push_back({&a.pre, &a.act, &a.pre_range, &a.act_range});
      }
      ForwardOptions o;
      o.threads = 2;
      pass.run(x, packed, act, 100, sinks, o);
    }
    return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0)
               .count() /
           n;
  }
  struct Acc {
    StatsAccumulator pre, act;
    Range pre_range{0, 0}, act_range{0, 0};
  };
  Activation act;
  std::vector<gemm::PackedWeights> packed;
  Eigen::MatrixXf x;
  std::vector<Acc> acc;
  ForwardPass pass;
};

void BM_SmallNetUpdate(benchmark::State& state) {
  const Experiment e = small_net_experiment();
  Simulation sim(e);
  TwoThreadForward two(e);
  BusyCore core;
  constexpr int kUpdates = 200;
  double idle = 0, busy = 0, two_idle = 0, two_busy = 0;
  for (auto _ : state) {
    core.set(false);
    idle += small_net_update_us(sim, kUpdates);
    two_idle += two.run_us(kUpdates);
    core.set(true);
    busy += small_net_update_us(sim, kUpdates);
    two_busy += two.run_us(kUpdates);
  }
  core.set(false);
  const double n = static_cast<double>(state.iterations());
  state.counters["update_us_idle"] = idle / n;
  state.counters["update_us_busy"] = busy / n;
  state.counters["two_thread_forward_us_idle"] = two_idle / n;
  state.counters["two_thread_forward_us_busy"] = two_busy / n;
}
BENCHMARK(BM_SmallNetUpdate)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

}  // namespace
