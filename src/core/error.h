#pragma once
#include <atomic>
#include <stdexcept>
#include <string>

namespace initscope {

// A user's input is wrong (bad option, spec, file content). The CLI maps it to exit code 2.
// The message is one line and names the option/file, the value and what is allowed.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The input is valid but the request cannot be carried out (unwritable file, memory limit, ...).
class RuntimeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Work given up because its `cancel` flag became true (a newer request is waiting, or the
// worker is stopping): thrown between layers or steps, caught by the worker loop.
struct Cancelled {};

// Whether a `cancel` flag (null: none) asks the work to stop; read between layers or steps.
inline bool cancel_requested(const std::atomic<bool>* cancel) {
  return cancel != nullptr && cancel->load(std::memory_order_relaxed);
}

}  // namespace initscope
