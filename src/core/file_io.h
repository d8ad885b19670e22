#pragma once
// Files are written whole or not at all: a temporary file in the target folder, then rename.
#include <string>
#include <string_view>

namespace initscope {

// Throws RuntimeError naming the path: missing folder, unwritable, exists without `force`.
void write_file_atomic(const std::string& path, std::string_view data, bool force);
// Throws RuntimeError naming the path if it cannot be read.
std::string read_file(const std::string& path);
// The preflight checks of write_file_atomic, for writers that build the file elsewhere.
void check_writable(const std::string& path, bool force);

}  // namespace initscope
