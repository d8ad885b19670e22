// Hostile input (issue 11 item 9): JSON output of strings that are not UTF-8, --config JSON
// nested deep or holding huge arrays, bounded reads, PNG text chunks read without pixels and
// with a cap on what they inflate to, no-clobber commits and temporary files that signals remove.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>
#include <zlib.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/config_file.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/json_text.h"
#include "core/png_text.h"
#include "temp_folder.h"

namespace initscope {
namespace {

namespace fs = std::filesystem;
using test::TempFolder;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The message of the UsageError/RuntimeError `f` throws, "" if none.
template <typename F>
std::string config_error_of(F&& f) {
  try {
    f();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

// ---- JSON ------------------------------------------------------------------------------------

TEST(InputSafety, JsonOutputOfAPathThatIsNotUtf8) {
  nlohmann::ordered_json j;
  j["data"] = "/tmp/data\xFF\xFE/x";
  EXPECT_THROW((void)j.dump(), nlohmann::json::type_error) << "nlohmann's default (error 316)";
  const std::string text = json_text(j, 1);
  EXPECT_NE(text.find("/tmp/data\xEF\xBF\xBD"), std::string::npos)
      << "U+FFFD replaces it: " << text;
  EXPECT_TRUE(nlohmann::json::accept(text));
}

std::string nested(const std::string& key, size_t depth) {
  return "{\"" + key + "\": " + std::string(depth, '[') + std::string(depth, ']') + "}";
}

TEST(InputSafety, DeepNestingIsRefusedWithAShortMessage) {
  for (const char* key : {"layers", "title", "width", "training", "unknown"}) {
    const std::string msg =
        config_error_of([&] { parse_json_bounded(nested(key, 100000), "--config 'x'"); });
    EXPECT_NE(msg.find("nested deeper than 64"), std::string::npos) << key << ": " << msg;
    EXPECT_LT(msg.size(), 200u) << msg;
  }
  // 64 levels still parse (the callback's depth of the innermost array is 63 with the object).
  EXPECT_NO_THROW(parse_json_bounded(nested("x", 63), "t"));
}

TEST(InputSafety, HugeArraysAreRefusedAndAStatsDocumentsSnapshotIsSkipped) {
  std::string big = "{\"width\": [1";
  for (int i = 0; i < 1100000; ++i) big += ",1";
  big += "]}";
  const std::string msg = config_error_of([&] { parse_json_bounded(big, "--config 'x'"); });
  EXPECT_NE(msg.find("more than 1000000 JSON values"), std::string::npos) << msg;
  // A stats document: "config" first, then the snapshot, which may be large; only the config
  // is kept.
  std::string stats = "{\"config\": {\"layers\": 2}, \"columns\": [0";
  for (int i = 0; i < 1100000; ++i) stats += ",0";
  stats += "]}";
  const nlohmann::json j = parse_json_bounded(stats, "s");
  EXPECT_EQ(j["config"]["layers"], 2);
  EXPECT_FALSE(j.contains("columns"));
}

TEST(InputSafety, BadValuesAreQuotedByAPrefix) {
  // A 1.6 MB value where a number belongs (issue: the message echoed all of it).
  std::string doc = "{\"layers\": [\"" + std::string(1600000, 'x') + "\"]}";
  const std::string msg = config_error_of(
      [&] { Experiment::from_json(parse_json_bounded(doc, "--config 'x'"), "--config 'x'"); });
  EXPECT_NE(msg.find("\"layers\""), std::string::npos) << msg.substr(0, 300);
  EXPECT_LT(msg.size(), 300u) << msg.substr(0, 300);
  const std::string syntax =
      config_error_of([] { parse_json_bounded("{\"a\": " + std::string(100000, 't') + "}", "x"); });
  EXPECT_NE(syntax.find("line 1"), std::string::npos) << syntax.substr(0, 300);
  EXPECT_LT(syntax.size(), 300u) << syntax.substr(0, 300);
}

// ---- bounded reads ---------------------------------------------------------------------------

TEST(InputSafety, ReadsStopAtTheLimit) {
  const std::string msg = config_error_of([] { read_file("/dev/zero", 1 << 20); });
  EXPECT_NE(msg.find("longer than 1 MB"), std::string::npos) << msg;
  const std::string cfg = config_error_of([] { load_experiment_file("/dev/zero", "--config"); });
  EXPECT_NE(cfg.find("longer than 64 MB"), std::string::npos) << cfg;
  EXPECT_NE(cfg.find("--config"), std::string::npos) << cfg;
  EXPECT_NE(config_error_of([] { load_experiment_file("", "--config"); }).find("empty file name"),
            std::string::npos);
}

// ---- PNG text chunks -------------------------------------------------------------------------

void put32(std::string& s, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) s += char((v >> shift) & 0xff);
}
std::string chunk(const std::string& type, const std::string& data) {
  std::string c;
  put32(c, uint32_t(data.size()));
  c += type + data;
  uLong crc = crc32(0, reinterpret_cast<const Bytef*>(type.data()), 4);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(data.data()), uInt(data.size()));
  put32(c, uint32_t(crc));
  return c;
}
std::string png(uint32_t w, uint32_t h, const std::string& middle) {
  std::string ihdr;
  put32(ihdr, w);
  put32(ihdr, h);
  ihdr += std::string("\x08\x06\x00\x00\x00", 5);
  // An IDAT whose pixels would not even decode: the reader must never look at them.
  return std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr) + chunk("IDAT", "garbage") +
         middle + chunk("IEND", "");
}
// `n` zero bytes deflated in 1 MB pieces (a 1 GB bomb is ~1 MB of zlib data).
std::string deflate_zeros(size_t n) {
  z_stream z{};
  deflateInit(&z, Z_BEST_COMPRESSION);  // 1 GB of zeros → ~1 MB (level 1: 4.6 MB)
  std::vector<unsigned char> zeros(1 << 20, 0), out(1 << 16);
  std::string result;
  for (size_t done = 0; done < n || z.avail_in > 0;) {
    if (z.avail_in == 0 && done < n) {
      z.next_in = zeros.data();
      z.avail_in = uInt(std::min(zeros.size(), n - done));
      done += z.avail_in;
    }
    z.next_out = out.data();
    z.avail_out = uInt(out.size());
    deflate(&z, Z_NO_FLUSH);
    result.append(reinterpret_cast<char*>(out.data()), out.size() - z.avail_out);
  }
  int rc;
  do {
    z.next_out = out.data();
    z.avail_out = uInt(out.size());
    rc = deflate(&z, Z_FINISH);
    result.append(reinterpret_cast<char*>(out.data()), out.size() - z.avail_out);
  } while (rc != Z_STREAM_END);
  deflateEnd(&z);
  return result;
}
std::string compress(const std::string& text) {
  uLongf n = compressBound(uLong(text.size()));
  std::string out(n, '\0');
  ::compress(reinterpret_cast<Bytef*>(out.data()), &n, reinterpret_cast<const Bytef*>(text.data()),
             uLong(text.size()));
  out.resize(n);
  return out;
}

TEST(InputSafety, PngTextIsReadFromTheChunksOnly) {
  TempFolder dir;
  const std::string key = std::string(kPngExperimentKey) + '\0';
  const std::string json = "{\"layers\": 3}";
  const std::pair<const char*, std::string> forms[] = {
      {"tEXt", key + json},
      {"zTXt", key + '\0' + compress(json)},
      {"iTXt", key + std::string("\0\0", 2) + "en" + '\0' + '\0' + json},
      {"iTXt", key + std::string("\1\0", 2) + '\0' + '\0' + compress(json)},
  };
  for (const auto& [type, data] : forms) {
    const std::string path = dir.file("t.png");
    std::ofstream(path, std::ios::binary)
        << png(1600, 1000, chunk("tEXt", std::string("Other\0x", 7)) + chunk(type, data));
    const auto text = read_png_experiment(path);
    ASSERT_TRUE(text.has_value()) << type;
    EXPECT_EQ(*text, json) << type;
  }
  std::ofstream(dir.file("none.png"), std::ios::binary) << png(10, 10, "");
  EXPECT_FALSE(read_png_experiment(dir.file("none.png")).has_value());
}

TEST(InputSafety, PngHeadersAndTextBeyondTheLimitsAreRefused) {
  TempFolder dir;
  // The 7.7 KB file claiming 32768×32768: refused from the header, nothing decoded.
  std::ofstream(dir.file("huge.png"), std::ios::binary) << png(32768, 32768, "");
  std::string msg = config_error_of([&] { read_png_experiment(dir.file("huge.png")); });
  EXPECT_NE(msg.find("claims 32768x32768"), std::string::npos) << msg;
  // A 1 GB zTXt bomb: inflating stops at 4 MB.
  const std::string key = std::string(kPngExperimentKey) + '\0';
  std::ofstream(dir.file("bomb.png"), std::ios::binary)
      << png(100, 100, chunk("zTXt", key + '\0' + deflate_zeros(size_t{1} << 30)));
  msg = config_error_of([&] { read_png_experiment(dir.file("bomb.png")); });
  EXPECT_NE(msg.find("inflates past 4 MB"), std::string::npos) << msg;
  // 100 MB of plain text: refused from the chunk's length, before reading it.
  std::string head;
  put32(head, 100u << 20);
  std::ofstream(dir.file("long.png"), std::ios::binary)
      << png(100, 100, head + "tEXt" + key + std::string(1000, 'x'));
  msg = config_error_of([&] { read_png_experiment(dir.file("long.png")); });
  EXPECT_NE(msg.find("tEXt chunk of 104857600 bytes"), std::string::npos) << msg;
  // Corrupt: a CRC that does not match, a file cut short.
  std::string bad = png(10, 10, chunk("tEXt", key + "{}"));
  bad[bad.size() - 20] ^= 1;
  std::ofstream(dir.file("crc.png"), std::ios::binary) << bad;
  EXPECT_NE(config_error_of([&] { read_png_experiment(dir.file("crc.png")); }).find("CRC"),
            std::string::npos);
  std::ofstream(dir.file("cut.png"), std::ios::binary) << png(10, 10, "").substr(0, 40);
  EXPECT_NE(config_error_of([&] { read_png_experiment(dir.file("cut.png")); }).find("truncated"),
            std::string::npos);
}

// ---- writers ---------------------------------------------------------------------------------

TEST(InputSafety, TemporaryFilesAreNamedForTheUser) {
  TempFolder dir;
  const TempFile t = create_temp_file(dir.file("stats.json"));
  EXPECT_EQ(fs::path(t.path).filename().string().rfind(".stats.json.initscope-tmp-", 0), 0u)
      << t.path;
  ::close(t.fd);
  discard_temp_file(t.path);
  EXPECT_TRUE(dir.entries().empty());
}

// The race of the issue: F appears after the preflight check, while the output is written.
// The commit (the last step of every writer) never replaces it without --force.
TEST(InputSafety, AFileThatAppearsDuringTheWriteIsNotReplaced) {
  TempFolder dir;
  const std::string f = dir.file("out.json");
  check_writable(f, false);  // the preflight passes: F is not there yet
  const TempFile t = create_temp_file(f);
  ASSERT_EQ(::write(t.fd, "new", 3), 3);
  ::close(t.fd);
  std::ofstream(f) << "theirs";  // appears meanwhile
  const std::string msg = config_error_of([&] { commit_temp_file(t.path, f, false); });
  EXPECT_NE(msg.find("--force"), std::string::npos) << msg;
  EXPECT_EQ(slurp(f), "theirs");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"out.json"}) << "the temporary file is gone";
  // With --force it is replaced.
  const TempFile t2 = create_temp_file(f);
  ASSERT_EQ(::write(t2.fd, "new", 3), 3);
  ::close(t2.fd);
  commit_temp_file(t2.path, f, true);
  EXPECT_EQ(slurp(f), "new");
}

// SIGINT, SIGTERM and SIGHUP remove the in-flight temporary file and still kill the process.
TEST(InputSafetyDeathTest, SignalsRemoveInFlightTemporaryFiles) {
  // "fast": the child is forked here and writes into this test's folder (a re-executed child
  // would make its own, named after its pid).
  GTEST_FLAG_SET(death_test_style, "fast");
  TempFolder dir;
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    EXPECT_EXIT(
        {
          install_temp_file_cleanup();
          const TempFile t = create_temp_file(dir.file("big.json"));
          if (::write(t.fd, "partial", 7) != 7 || !fs::exists(t.path)) std::_Exit(3);
          std::raise(sig);
          std::_Exit(4);  // not reached
        },
        testing::KilledBySignal(sig), "");
    EXPECT_TRUE(dir.entries().empty()) << "signal " << sig << " left " << dir.entries().front();
  }
}

}  // namespace
}  // namespace initscope
