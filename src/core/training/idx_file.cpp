#include "idx_file.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "core/error.h"

namespace initscope {
namespace {

constexpr uint8_t kUnsignedByte = 0x08;
// Larger than any sane data set; a corrupt header must not make us allocate terabytes.
constexpr uint64_t kMaxBytes = uint64_t{1} << 34;

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};

std::string hex(const uint8_t* b, int n) {
  std::string s;
  char buf[4];
  for (int i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%s%02x", i ? " " : "", b[i]);
    s += buf;
  }
  return s;
}

// Reads up to n bytes; returns how many were read. Throws on a gzip stream error.
size_t read_some(gzFile f, const std::string& path, uint8_t* out, size_t n) {
  size_t got = 0;
  while (got < n) {
    const unsigned chunk = static_cast<unsigned>(std::min<size_t>(n - got, 1u << 30));
    const int r = gzread(f, out + got, chunk);
    if (r < 0) {
      int code = 0;
      const char* msg = gzerror(f, &code);
      throw UsageError("'" + path + "': corrupt gzip data (" + (msg ? msg : "zlib error") + ")");
    }
    if (r == 0) break;
    got += static_cast<size_t>(r);
  }
  return got;
}

}  // namespace

IdxArray read_idx(const std::string& path) {
  errno = 0;
  std::unique_ptr<gzFile_s, GzCloser> f(gzopen(path.c_str(), "rb"));
  if (!f) {
    throw RuntimeError("cannot read '" + path +
                       "': " + (errno ? std::strerror(errno) : "cannot open"));
  }
  gzbuffer(f.get(), 1 << 17);
  uint8_t magic[4] = {0, 0, 0, 0};
  const size_t got_magic = read_some(f.get(), path, magic, 4);
  if (got_magic < 4 || magic[0] != 0 || magic[1] != 0) {
    throw UsageError("'" + path + "': not an IDX file (first bytes " +
                     hex(magic, static_cast<int>(got_magic)) +
                     "; an IDX file starts 00 00 TYPE NDIMS)");
  }
  if (magic[2] != kUnsignedByte) {
    throw UsageError("'" + path + "': IDX value type 0x" + hex(magic + 2, 1) +
                     " is not supported; allowed: 0x08 (unsigned byte, as in MNIST)");
  }
  const int ndims = magic[3];
  if (ndims < 1) throw UsageError("'" + path + "': IDX header has 0 dimensions");
  IdxArray a;
  a.dims.resize(static_cast<size_t>(ndims));
  std::vector<uint8_t> header(static_cast<size_t>(4 * ndims));
  if (read_some(f.get(), path, header.data(), header.size()) < header.size()) {
    throw UsageError("'" + path + "': truncated IDX header (" + std::to_string(ndims) +
                     " dimensions announced)");
  }
  uint64_t total = 1;
  std::string shape;
  for (int d = 0; d < ndims; ++d) {
    const uint8_t* b = header.data() + 4 * d;
    a.dims[static_cast<size_t>(d)] =
        (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | uint32_t{b[3]};
    const uint32_t size = a.dims[static_cast<size_t>(d)];
    shape += (d ? "×" : "") + std::to_string(size);
    // Checked before the product: total ≤ 2^34 times a size < 2^32 can wrap past 2^64 (found by
    // tests/fuzz/fuzz_idx: 131072×131072×1073741824 = 2^64 wrapped to 0 bytes, and an array
    // whose dims promise 2^64 bytes came back empty).
    if (size != 0 && total > kMaxBytes / size) {
      throw UsageError("'" + path + "': IDX header announces more than 16 GB of data");
    }
    total *= size;
  }
  // Grown as the data arrives, so that a lying header costs no more than the file holds.
  constexpr size_t kChunk = size_t{1} << 24;
  size_t have = 0;
  while (have < total) {
    const size_t want = std::min<size_t>(kChunk, total - have);
    a.data.resize(have + want);
    const size_t got = read_some(f.get(), path, a.data.data() + have, want);
    have += got;
    if (got < want) {
      throw UsageError("'" + path + "': truncated: the header announces " + shape + " = " +
                       std::to_string(total) + " bytes of data, the file holds " +
                       std::to_string(have));
    }
  }
  uint8_t extra = 0;
  if (read_some(f.get(), path, &extra, 1) != 0) {
    throw UsageError("'" + path + "': bytes after the " + shape +
                     " values the header announces (not a single IDX array)");
  }
  return a;
}

std::string encode_idx(const std::vector<uint32_t>& dims, const std::vector<uint8_t>& data) {
  std::string s = {0, 0, static_cast<char>(kUnsignedByte), static_cast<char>(dims.size())};
  for (uint32_t d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) s += static_cast<char>((d >> shift) & 0xff);
  }
  s.append(reinterpret_cast<const char*>(data.data()), data.size());
  return s;
}

}  // namespace initscope
