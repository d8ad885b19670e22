#pragma once
// PNG files that carry their settings: the resolved experiment as JSON in an iTXt chunk
// (keyword kPngExperimentKey), so `--config fig.png` reproduces the figure.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/png_text.h"

namespace initscope {

struct Image {
  int width = 0, height = 0;
  std::vector<uint8_t> rgba;  // width × height × 4, top row first
};

// Writes atomically (temporary file + rename); throws RuntimeError naming the path.
// `experiment_json` may be empty (no chunk).
void write_png(const std::string& path, const Image& img, const std::string& experiment_json,
               bool force);
// Reads pixels; throws RuntimeError naming the path if it is not a readable PNG. (The embedded
// experiment and is_png_file: core/png_text.h, which reads no pixels.)
Image read_png(const std::string& path);

}  // namespace initscope
