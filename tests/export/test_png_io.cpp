// PNG files that carry their experiment: round trip, atomic writes, and clean errors on bad files.
#include <gtest/gtest.h>
#include <png.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <random>

#include "core/error.h"
#include "export/png_io.h"
#include "temp_folder.h"

namespace initscope {
namespace {

using test::TempFolder;

Image noise_image(int w, int h, unsigned seed) {
  Image img;
  img.width = w;
  img.height = h;
  img.rgba.resize(size_t(w) * h * 4);
  std::mt19937 rng(seed);
  for (auto& b : img.rgba) b = static_cast<uint8_t>(rng());
  return img;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}
void spit(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// Index of the first differing byte, or -1.
long first_difference(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  if (a.size() != b.size()) return 0;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) return long(i);
  return -1;
}

// Expects `f` to throw RuntimeError whose message contains every string in `parts`.
template <class F>
void expect_runtime_error(F f, std::initializer_list<std::string> parts) {
  try {
    f();
    ADD_FAILURE() << "no exception";
  } catch (const RuntimeError& e) {
    for (const auto& p : parts)
      EXPECT_NE(std::string(e.what()).find(p), std::string::npos)
          << "message: " << e.what() << "\nexpected to contain: " << p;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "wrong exception type: " << e.what();
  }
}

TEST(PngIo, RoundTripKeepsPixelsAndExperiment) {
  TempFolder dir;
  const Image img = noise_image(37, 23, 1);  // odd sizes: no row alignment assumptions
  const std::string json =
      R"({"title":"σ → 0 at layer 4","layers":10,"inits":["normal:std=0.01"]})";
  const std::string path = dir.file("fig.png");
  write_png(path, img, json, false);

  EXPECT_TRUE(is_png_file(path));
  const Image back = read_png(path);
  EXPECT_EQ(back.width, 37);
  EXPECT_EQ(back.height, 23);
  EXPECT_EQ(first_difference(img.rgba, back.rgba), -1) << "first differing byte";
  const auto text = read_png_experiment(path);
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(*text, json);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"fig.png"}) << "temporary file left behind";
}

TEST(PngIo, NoExperimentGivesNoChunk) {
  TempFolder dir;
  const std::string path = dir.file("plain.png");
  write_png(path, noise_image(8, 8, 2), "", false);
  EXPECT_FALSE(read_png_experiment(path).has_value());
  EXPECT_EQ(slurp(path).find("initscope-experiment"), std::string::npos);
}

TEST(PngIo, LargeExperimentJsonSurvives) {
  TempFolder dir;
  std::string json = "{\"inits\":[";
  for (int i = 0; i < 20000; ++i) json += (i ? ",\"xavier_normal\"" : "\"xavier_normal\"");
  json += "]}";
  const std::string path = dir.file("big.png");
  write_png(path, noise_image(4, 4, 3), json, false);
  EXPECT_EQ(read_png_experiment(path).value_or(""), json);
}

TEST(PngIo, MissingFolderIsAClearErrorAndWritesNothing) {
  TempFolder dir;
  const std::string path = dir.file("no/such/folder/fig.png");
  expect_runtime_error([&] { write_png(path, noise_image(4, 4, 4), "{}", false); },
                       {path, "does not exist"});
  EXPECT_TRUE(dir.entries().empty());
}

TEST(PngIo, ExistingFileNeedsForce) {
  TempFolder dir;
  const std::string path = dir.file("fig.png");
  spit(path, "precious");
  expect_runtime_error([&] { write_png(path, noise_image(4, 4, 5), "{}", false); },
                       {path, "exists", "--force"});
  EXPECT_EQ(slurp(path), "precious") << "the existing file was touched";
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"fig.png"});

  write_png(path, noise_image(4, 4, 5), "{}", true);
  EXPECT_EQ(read_png(path).width, 4);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"fig.png"});
}

TEST(PngIo, UnwritableFolderIsAClearError) {
  if (::geteuid() == 0) GTEST_SKIP() << "root can write into read-only folders";
  TempFolder dir;
  const std::string sub = dir.file("locked");
  std::filesystem::create_directory(sub);
  std::filesystem::permissions(
      sub, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  const std::string path = sub + "/fig.png";
  expect_runtime_error([&] { write_png(path, noise_image(4, 4, 6), "{}", false); }, {path});
  std::filesystem::permissions(sub, std::filesystem::perms::owner_all);
  EXPECT_TRUE(std::filesystem::is_empty(sub));
}

TEST(PngIo, NotAPngIsACleanError) {
  TempFolder dir;
  const std::string path = dir.file("settings.json");
  spit(path, "{\"layers\": 3}");
  EXPECT_FALSE(is_png_file(path));
  expect_runtime_error([&] { read_png(path); }, {path, "not a PNG"});
  expect_runtime_error([&] { read_png_experiment(path); }, {path, "not a PNG"});
  EXPECT_FALSE(is_png_file(dir.file("missing.png")));
  expect_runtime_error([&] { read_png(dir.file("missing.png")); }, {"missing.png"});
}

TEST(PngIo, CorruptPngsAreCleanErrors) {
  TempFolder dir;
  const std::string good = dir.file("good.png");
  write_png(good, noise_image(64, 48, 7), "{\"seed\": 1}", false);
  const std::string bytes = slurp(good);
  ASSERT_GT(bytes.size(), 200u);

  struct Case {
    const char* name;
    std::string bytes;
  };
  std::vector<Case> cases;
  cases.push_back({"signature_only.png", bytes.substr(0, 8)});
  cases.push_back({"truncated_header.png", bytes.substr(0, 20)});
  cases.push_back({"truncated_data.png", bytes.substr(0, bytes.size() / 2)});
  std::string flipped = bytes;  // damage the image data: the chunk CRC no longer matches
  flipped[flipped.size() / 2] ^= 0x5A;
  cases.push_back({"flipped_byte.png", flipped});
  std::string huge = bytes;  // IHDR width = 2^31 − 1
  huge[16] = 0x7F, huge[17] = huge[18] = huge[19] = char(0xFF);
  cases.push_back({"absurd_size.png", huge});
  std::mt19937 rng(8);
  std::string garbage = bytes.substr(0, 8);
  for (int i = 0; i < 4000; ++i) garbage += char(rng());
  cases.push_back({"garbage.png", garbage});

  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string path = dir.file(c.name);
    spit(path, c.bytes);
    EXPECT_TRUE(is_png_file(path));
    expect_runtime_error([&] { read_png(path); }, {path});
    // --config reads the chunks before the damage only (core/png_text.h): the text chunk comes
    // before the pixels, so damaged pixels leave the embedded experiment readable.
    const std::string name = c.name;
    if (name == "truncated_data.png" || name == "flipped_byte.png") {
      EXPECT_EQ(read_png_experiment(path).value_or(""), "{\"seed\": 1}");
    } else {
      expect_runtime_error([&] { read_png_experiment(path); }, {path});
    }
  }
}

TEST(PngIo, RandomDamageNeverCrashes) {
  // Every damaged file either decodes or throws RuntimeError — never a crash or another error.
  TempFolder dir;
  const std::string good = dir.file("good.png");
  write_png(good, noise_image(40, 30, 9), "{\"seed\": 2}", false);
  const std::string bytes = slurp(good);
  std::mt19937 rng(10);
  int decoded = 0, refused = 0;
  for (int i = 0; i < 300; ++i) {
    std::string damaged = bytes;
    for (int k = 0; k < 1 + i % 3; ++k) damaged[8 + rng() % (damaged.size() - 8)] = char(rng());
    if (i % 5 == 0) damaged.resize(8 + rng() % (damaged.size() - 8));
    const std::string path = dir.file("damaged.png");
    spit(path, damaged);
    try {
      const Image img = read_png(path);
      EXPECT_EQ(img.rgba.size(), size_t(img.width) * img.height * 4);
      read_png_experiment(path);
      ++decoded;
    } catch (const RuntimeError&) {
      ++refused;
    }
  }
  std::cout << decoded << " damaged files decoded, " << refused << " refused cleanly\n";
  EXPECT_GT(refused, 0);
}

// Other tools' PNGs (palette, grey, 16-bit, no alpha) decode to RGBA.
void write_with_libpng(const std::string& path, int color_type, int depth,
                       const std::vector<uint8_t>& data, int w, int h,
                       const std::vector<png_color>& palette = {}) {
  FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  png_init_io(png, f);
  png_set_IHDR(png, info, w, h, depth, color_type, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  if (!palette.empty()) png_set_PLTE(png, info, palette.data(), int(palette.size()));
  png_write_info(png, info);
  const size_t row = data.size() / h;
  for (int y = 0; y < h; ++y) png_write_row(png, data.data() + y * row);
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  std::fclose(f);
}

TEST(PngIo, OtherFormatsDecodeToRgba) {
  TempFolder dir;
  {
    const std::string path = dir.file("palette.png");
    write_with_libpng(path, PNG_COLOR_TYPE_PALETTE, 8, {0, 1, 1, 0}, 2, 2,
                      {{255, 0, 0}, {0, 0, 255}});
    const Image img = read_png(path);
    ASSERT_EQ(img.rgba.size(), 16u);
    EXPECT_EQ(first_difference(img.rgba,
                               {255, 0, 0, 255, 0, 0, 255, 255, 0, 0, 255, 255, 255, 0, 0, 255}),
              -1);
  }
  {
    const std::string path = dir.file("grey.png");
    write_with_libpng(path, PNG_COLOR_TYPE_GRAY, 8, {10, 200}, 2, 1);
    const Image img = read_png(path);
    EXPECT_EQ(first_difference(img.rgba, {10, 10, 10, 255, 200, 200, 200, 255}), -1);
  }
  {
    const std::string path = dir.file("rgb16.png");  // big-endian 16-bit samples
    write_with_libpng(path, PNG_COLOR_TYPE_RGB, 16, {0x12, 0x34, 0xAB, 0xCD, 0xFF, 0xFF}, 1, 1);
    const Image img = read_png(path);
    EXPECT_EQ(first_difference(img.rgba, {0x12, 0xAB, 0xFF, 255}), -1);
  }
}

}  // namespace
}  // namespace initscope
