#pragma once
// PNG files that carry their settings: the resolved experiment as JSON in an iTXt chunk
// (keyword "initscope-experiment"), so `--config fig.png` reproduces the figure.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace initscope {

struct Image {
  int width = 0, height = 0;
  std::vector<uint8_t> rgba;  // width × height × 4, top row first
};

// Writes atomically (temporary file + rename); throws RuntimeError naming the path.
// `experiment_json` may be empty (no chunk).
void write_png(const std::string& path, const Image& img, const std::string& experiment_json,
               bool force);
// Reads pixels; throws RuntimeError naming the path if it is not a readable PNG.
Image read_png(const std::string& path);
// The embedded experiment JSON, or nullopt when the PNG has none. Throws if not a PNG.
std::optional<std::string> read_png_experiment(const std::string& path);
// Whether the file starts with the PNG signature.
bool is_png_file(const std::string& path);

}  // namespace initscope
