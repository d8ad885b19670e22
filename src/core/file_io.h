#pragma once
// Files are written whole or not at all, and never over a file the user did not offer: a
// temporary file in the target folder, then a rename that (without `force`) refuses a target
// that appeared meanwhile (renameat2 RENAME_NOREPLACE). Reads are bounded. See
// docs/ARCHITECTURE.md "Input safety".
#include <string>
#include <string_view>

#include "limits.h"

namespace initscope {

// Throws RuntimeError naming the path: missing folder, unwritable, exists without `force`.
void write_file_atomic(const std::string& path, std::string_view data, bool force);
// The whole file, at most `max_bytes` (a --config of /dev/zero stops there). Throws
// RuntimeError naming the path if it cannot be read or is longer.
std::string read_file(const std::string& path, size_t max_bytes = limits::kConfigBytes);
// The preflight checks of write_file_atomic, for writers that build the file elsewhere.
void check_writable(const std::string& path, bool force);

// ---- the temporary file of a writer ---------------------------------------------------------
// ".NAME.initscope-tmp-XXXXXX" next to `target` (same filesystem: the rename is atomic; the name
// says whose it is). Registered while in flight, so that install_temp_file_cleanup()'s handler
// removes it on SIGINT/SIGTERM/SIGHUP. Throws RuntimeError naming the target.
struct TempFile {
  std::string path;
  int fd = -1;  // open for writing; the caller closes it (or hands it to fdopen)
};
TempFile create_temp_file(const std::string& target);
// Renames the finished, closed temporary file to `target`. Without `force` a target that
// exists (e.g. appeared since check_writable) is never replaced: RuntimeError "exists; pass
// --force". On failure the temporary file is removed. Either way it leaves the registry.
void commit_temp_file(const std::string& tmp, const std::string& target, bool force);
// Removes an unfinished temporary file and forgets it.
void discard_temp_file(const std::string& tmp);
// Installs the SIGINT/SIGTERM/SIGHUP handler that unlinks every in-flight temporary file, then
// re-raises the signal with its default action (the exit status still says "killed by").
void install_temp_file_cleanup();

}  // namespace initscope
