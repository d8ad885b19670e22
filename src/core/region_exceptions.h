#pragma once
// An exception may not leave an OpenMP region (the runtime calls std::terminate, and the
// worker's catch never sees it). Code inside a region runs through capture(); after the region,
// rethrow() throws the first exception captured, so that it reaches the worker loop like any
// other (docs/ARCHITECTURE.md, "Threads").
#include <exception>
#include <mutex>

namespace initscope {

class RegionExceptions {
 public:
  // Runs f(); an exception it throws is kept (the first one of any thread) instead of leaving.
  template <class F>
  void capture(F&& f) noexcept {
    try {
      f();
    } catch (...) {
      std::lock_guard<std::mutex> lock(mu_);
      if (!first_) first_ = std::current_exception();
    }
  }
  // Whether an exception was captured; read after a barrier (or the region's end).
  bool failed() const {
    std::lock_guard<std::mutex> lock(mu_);
    return first_ != nullptr;
  }
  // After the region: throws the first exception captured, if any.
  void rethrow() const {
    if (first_) std::rethrow_exception(first_);
  }

 private:
  mutable std::mutex mu_;
  std::exception_ptr first_;
};

}  // namespace initscope
