#include "png_text.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include "error.h"
#include "limits.h"

namespace initscope {
namespace {

constexpr unsigned char kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
// A PNG chunk: 4-byte big-endian length (< 2^31), 4-byte type, data, 4-byte CRC of type + data.
constexpr uint32_t kMaxChunkLength = 0x7fffffffu;
constexpr size_t kMaxKeyword = 79;  // PNG spec: keywords are 1-79 bytes, then a NUL
constexpr size_t kMaxChunks = 1 << 20;

uint32_t big_endian(const unsigned char* p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
}

class ChunkReader {
 public:
  explicit ChunkReader(const std::string& path) : path_(path), in_(path, std::ios::binary) {
    if (!in_) fail(std::string("cannot read it: ") + std::strerror(errno));
    unsigned char sig[8];
    if (!in_.read(reinterpret_cast<char*>(sig), 8) || std::memcmp(sig, kSignature, 8) != 0)
      throw RuntimeError("'" + path_ + "' is not a PNG file");
  }

  [[noreturn]] void fail(const std::string& why) const {
    throw RuntimeError("'" + path_ + "': " + why);
  }

  // Reads the next chunk's length and type; false at end of file.
  bool next(uint32_t& length, std::string& type) {
    unsigned char head[8];
    if (!in_.read(reinterpret_cast<char*>(head), 8)) return false;
    if (++chunks_ > kMaxChunks) fail("more than " + std::to_string(kMaxChunks) + " chunks");
    length = big_endian(head);
    if (length > kMaxChunkLength) fail("corrupt PNG (chunk length over 2^31)");
    type.assign(reinterpret_cast<char*>(head + 4), 4);
    return true;
  }

  // The chunk's data (length ≤ the caller's cap) and its CRC, checked.
  std::vector<unsigned char> data(const std::string& type, uint32_t length) {
    std::vector<unsigned char> d(length);
    unsigned char crc[4];
    if (!in_.read(reinterpret_cast<char*>(d.data()), length) ||
        !in_.read(reinterpret_cast<char*>(crc), 4))
      fail("truncated PNG (in chunk " + type + ")");
    uLong sum = crc32(0, reinterpret_cast<const Bytef*>(type.data()), 4);
    sum = crc32(sum, d.data(), length);
    if (sum != big_endian(crc)) fail("corrupt PNG (CRC mismatch in chunk " + type + ")");
    return d;
  }

  void skip(uint32_t length) { in_.seekg(std::streamoff(length) + 4, std::ios::cur); }

 private:
  const std::string& path_;
  std::ifstream in_;
  size_t chunks_ = 0;
};

// Inflates a zlib stream, refusing more than `cap` bytes of output (a 1 GB bomb stops at cap).
bool inflate_capped(const unsigned char* in, size_t n, size_t cap, std::string& out) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return false;
  z.next_in = const_cast<Bytef*>(in);
  z.avail_in = static_cast<uInt>(n);
  std::array<char, 1 << 16> buf;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(buf.data());
    z.avail_out = static_cast<uInt>(buf.size());
    rc = inflate(&z, Z_NO_FLUSH);
    // Z_BUF_ERROR with all input given: the stream is truncated.
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    out.append(buf.data(), buf.size() - z.avail_out);
    if (out.size() > cap) break;
  }
  inflateEnd(&z);
  return rc == Z_STREAM_END && out.size() <= cap;
}

// The text of a tEXt, zTXt or iTXt chunk's data after the keyword's NUL at `p`.
std::string chunk_text(const ChunkReader& r, const std::string& type,
                       const std::vector<unsigned char>& d, size_t p) {
  const size_t cap = limits::kPngTextBytes;
  const auto from = [&](size_t at) { return std::string(d.begin() + long(at), d.end()); };
  const auto inflated = [&](size_t at) {
    std::string out;
    if (!inflate_capped(d.data() + at, d.size() - at, cap, out))
      r.fail(out.size() > cap ? "embedded text inflates past " + std::to_string(cap >> 20) +
                                    " MB; an initscope experiment is far smaller"
                              : "corrupt compressed text in chunk " + type);
    return out;
  };
  if (type == "tEXt") return from(p);
  if (type == "zTXt") return inflated(p + 1);  // compression method byte (0 = zlib)
  // iTXt: compression flag, method, language tag\0, translated keyword\0, text.
  if (p + 2 > d.size()) r.fail("corrupt iTXt chunk");
  const bool compressed = d[p] != 0;
  size_t q = p + 2;
  for (int nul = 0; nul < 2; ++nul) {
    while (q < d.size() && d[q] != 0) ++q;
    if (q++ >= d.size()) r.fail("corrupt iTXt chunk");
  }
  return compressed ? inflated(q) : from(q);
}

}  // namespace

bool has_png_extension(const std::string& path) {
  if (path.size() < 4) return false;
  std::string ext = path.substr(path.size() - 4);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".png";
}

bool is_png_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char sig[8];
  return in.read(reinterpret_cast<char*>(sig), 8) && std::memcmp(sig, kSignature, 8) == 0;
}

std::optional<std::string> read_png_experiment(const std::string& path) {
  ChunkReader r(path);
  uint32_t length = 0;
  std::string type;
  bool header = false;
  while (r.next(length, type)) {
    if (!header) {
      if (type != "IHDR" || length != 13) r.fail("corrupt PNG (no IHDR header)");
      const auto d = r.data(type, length);
      const uint32_t w = big_endian(d.data()), h = big_endian(d.data() + 4);
      if (w == 0 || h == 0 || w > limits::kPngSide || h > limits::kPngSide)
        r.fail("the PNG header claims " + std::to_string(w) + "x" + std::to_string(h) +
               " pixels; initscope writes at most " + std::to_string(int(limits::kPngSide)) +
               " per side");
      header = true;
      continue;
    }
    if (type == "IEND") return std::nullopt;
    if (type != "tEXt" && type != "zTXt" && type != "iTXt") {
      r.skip(length);  // pixels (IDAT) and everything else: never read
      continue;
    }
    // Compressed text is smaller than its text, plus zlib's few bytes of framing.
    if (length > limits::kPngTextBytes + 1024)
      r.fail(type + " chunk of " + std::to_string(length) + " bytes; at most " +
             std::to_string(limits::kPngTextBytes >> 20) + " MB of embedded text is read");
    const auto d = r.data(type, length);
    const size_t nul = std::find(d.begin(), d.end(), 0) - d.begin();
    if (nul == 0 || nul > kMaxKeyword || nul == d.size()) r.fail("corrupt " + type + " chunk");
    if (std::string(d.begin(), d.begin() + long(nul)) != kPngExperimentKey) continue;
    return chunk_text(r, type, d, nul + 1);
  }
  if (!header) r.fail("truncated PNG (no IHDR header)");
  r.fail("truncated PNG (no IEND chunk)");
}

}  // namespace initscope
