// The temporary files of file_io.h's writers and the signal handler that removes them.
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "error.h"
#include "file_io.h"

namespace initscope {
namespace {

// In-flight temporary files. A signal handler can only reach static storage, so this is the
// one global of the program: fixed slots (writers run one at a time per thread; 16 covers the
// CLI, the window's export and screenshot threads), each claimed with an atomic state so the
// handler never reads a half-written path.
enum SlotState : int { kFree = 0, kClaimed = 1, kInFlight = 2 };
struct Slot {
  std::atomic<int> state{kFree};
  char path[PATH_MAX];
};
Slot g_slots[16];

void register_temp(const std::string& path) {
  if (path.size() >= PATH_MAX) return;  // cannot happen: mkstemp succeeded on it
  for (Slot& s : g_slots) {
    int expected = kFree;
    if (!s.state.compare_exchange_strong(expected, kClaimed)) continue;
    std::memcpy(s.path, path.c_str(), path.size() + 1);
    s.state.store(kInFlight);
    return;
  }
  // All slots busy: the file is still written correctly, only not removed on a signal.
}

void unregister_temp(const std::string& path) {
  for (Slot& s : g_slots) {
    if (s.state.load() != kInFlight || path != s.path) continue;
    int expected = kInFlight;
    if (s.state.compare_exchange_strong(expected, kClaimed)) s.state.store(kFree);
    return;
  }
}

// Async-signal-safe: atomic loads, unlink, signal, raise.
void on_fatal_signal(int sig) {
  for (Slot& s : g_slots)
    if (s.state.load() == kInFlight) ::unlink(s.path);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

std::string folder_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

TempFile create_temp_file(const std::string& target) {
  const std::string name = target.substr(target.find_last_of('/') + 1);
  TempFile t;
  t.path = folder_of(target) + "/." + name + ".initscope-tmp-XXXXXX";
  // Block the cleanup signals between creating and registering, so that no file escapes.
  sigset_t block, old;
  sigemptyset(&block);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&block, sig);
  pthread_sigmask(SIG_BLOCK, &block, &old);
  t.fd = ::mkstemp(t.path.data());
  const int err = errno;
  if (t.fd >= 0) register_temp(t.path);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (t.fd < 0) throw RuntimeError("cannot write '" + target + "': " + std::strerror(err));
  return t;
}

void discard_temp_file(const std::string& tmp) {
  ::unlink(tmp.c_str());
  unregister_temp(tmp);
}

void commit_temp_file(const std::string& tmp, const std::string& target, bool force) {
  int rc;
  if (force) {
    rc = std::rename(tmp.c_str(), target.c_str());
  } else {
    rc = ::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE);
    if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) {
      // A filesystem without RENAME_NOREPLACE: link() also refuses an existing target.
      rc = ::link(tmp.c_str(), target.c_str());
      if (rc == 0) ::unlink(tmp.c_str());
    }
  }
  const int err = errno;
  if (rc != 0) {
    discard_temp_file(tmp);
    if (err == EEXIST) throw RuntimeError("'" + target + "' exists; pass --force to overwrite it");
    throw RuntimeError("cannot write '" + target + "': " + std::strerror(err));
  }
  unregister_temp(tmp);
}

void install_temp_file_cleanup() {
  struct sigaction sa {};
  sa.sa_handler = on_fatal_signal;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction old {};
    // A signal ignored by the parent (nohup) stays ignored.
    if (sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    sigaction(sig, &sa, nullptr);
  }
}

}  // namespace initscope
