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
  // The temporary file lives in the target folder so that rename() is atomic.
  std::string tmpl = path + ".tmp-XXXXXX";
  const int fd = mkstemp(tmpl.data());
  if (fd < 0) {
    throw RuntimeError("cannot write '" + path + "': " + std::strerror(errno));
  }
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      ::unlink(tmpl.c_str());
      throw RuntimeError("cannot write '" + path + "': " + std::strerror(err));
    }
    off += static_cast<size_t>(n);
  }
  fchmod(fd, 0644);
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmpl.c_str());
    throw RuntimeError("cannot write '" + path + "': " + std::strerror(err));
  }
  if (std::rename(tmpl.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmpl.c_str());
    throw RuntimeError("cannot write '" + path + "': " + std::strerror(err));
  }
}

std::string read_file(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw RuntimeError("cannot read '" + path + "': it is a folder");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw RuntimeError("cannot read '" + path + "': " + std::strerror(errno));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace initscope
