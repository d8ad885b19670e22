#pragma once
// The text chunks of a PNG, read chunk by chunk without decoding a pixel: `--config fig.png`
// costs the size of its text, whatever the header claims. Bounded: a header beyond
// limits::kPngSide, a text chunk or its inflated text beyond limits::kPngTextBytes are refused
// (a zlib bomb stops after kPngTextBytes of output). No libpng: zlib only, so core can read it.
#include <optional>
#include <string>

namespace initscope {

// The keyword of the text chunk that carries the resolved experiment as JSON.
inline constexpr const char* kPngExperimentKey = "initscope-experiment";

// Whether the name ends in ".png" (any case): what the PNG writers accept.
bool has_png_extension(const std::string& path);
// Whether the file starts with the PNG signature.
bool is_png_file(const std::string& path);
// The embedded experiment JSON, or nullopt when the PNG has none. Throws RuntimeError naming
// the path if it is not a PNG, is corrupt or truncated before the text, or exceeds the limits.
std::optional<std::string> read_png_experiment(const std::string& path);

}  // namespace initscope
