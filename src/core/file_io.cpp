#include "file_io.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "error.h"

namespace initscope {
namespace fs = std::filesystem;

void check_writable(const std::string& path, bool force) {
  if (path.empty()) throw UsageError("--out: empty file name");
  const fs::path p(path);
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw RuntimeError("cannot write '" + path + "': folder '" + dir.string() + "' does not exist");
  }
  if (access(dir.c_str(), W_OK) != 0) {
    throw RuntimeError("cannot write '" + path + "': folder '" + dir.string() +
                       "' is not writable (" + std::strerror(errno) + ")");
  }
  if (fs::is_directory(p, ec)) throw RuntimeError("cannot write '" + path + "': it is a folder");
  if (!force && fs::exists(p, ec)) {
    throw RuntimeError("'" + path + "' exists; pass --force to overwrite it");
  }
}

void write_file_atomic(const std::string& path, std::string_view data, bool force) {
  check_writable(path, force);
  const TempFile tmp = create_temp_file(path);
  const auto fail = [&](int err) {
    ::close(tmp.fd);
    discard_temp_file(tmp.path);
    throw RuntimeError("cannot write '" + path + "': " + std::strerror(err));
  };
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(tmp.fd, data.data() + off, data.size() - off);
    if (n < 0) fail(errno);
    off += static_cast<size_t>(n);
  }
  fchmod(tmp.fd, 0644);
  // fsync before rename: after a crash the target is the old file or the whole new one.
  if (::fsync(tmp.fd) != 0) fail(errno);
  if (::close(tmp.fd) != 0) {
    const int err = errno;
    discard_temp_file(tmp.path);
    throw RuntimeError("cannot write '" + path + "': " + std::strerror(err));
  }
  commit_temp_file(tmp.path, path, force);
}

std::string read_file(const std::string& path, size_t max_bytes) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw RuntimeError("cannot read '" + path + "': it is a folder");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw RuntimeError("cannot read '" + path + "': " + std::strerror(errno));
  // Chunked, so that /dev/zero, a FIFO or a huge file stops at max_bytes + 1.
  std::string out;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    out.append(buf, static_cast<size_t>(in.gcount()));
    if (out.size() > max_bytes)
      throw RuntimeError("cannot read '" + path + "': longer than " +
                         std::to_string(max_bytes >> 20) + " MB, the most read from one file");
  }
  if (in.bad()) throw RuntimeError("cannot read '" + path + "': " + std::strerror(errno));
  return out;
}

}  // namespace initscope
