#pragma once
// Small labelled image sets for the training tests, made by the tests themselves: in memory,
// or written as the four IDX files of an MNIST folder (gzip-compressed or plain).
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>

#include "core/rng.h"
#include "core/training/idx_file.h"
#include "core/training/image_dataset.h"
#include "temp_folder.h"

namespace initscope::test {

// `count` images of side×side pixels in `classes` classes: image = the class's prototype (a
// random pattern of bright pixels, fixed by `seed`) plus uniform noise in ±noise, clamped to
// 0..255; labels cycle through the classes in a random order. Learnable, but not trivially
// (noise 90 of 255 moves every pixel a lot).
inline LabelledImages prototype_images(int count, int side, int classes, uint64_t seed,
                                       int noise = 90) {
  Rng proto_rng(1000 + static_cast<uint64_t>(classes));  // the same prototypes for every split
  const int dim = side * side;
  std::vector<std::vector<int>> protos(static_cast<size_t>(classes), std::vector<int>(dim));
  for (auto& p : protos)
    for (int& v : p) v = proto_rng.uniform() < 0.3 ? 200 : 30;
  Rng rng(seed);
  LabelledImages s;
  s.count = count;
  s.rows = s.cols = side;
  s.pixels.resize(static_cast<size_t>(count) * dim);
  s.labels.resize(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    const int label = static_cast<int>(rng.below(static_cast<uint64_t>(classes)));
    s.labels[i] = static_cast<uint8_t>(label);
    for (int k = 0; k < dim; ++k) {
      const int v = protos[label][k] + static_cast<int>(rng.below(2 * noise + 1)) - noise;
      s.pixels[static_cast<size_t>(i) * dim + k] = static_cast<uint8_t>(std::clamp(v, 0, 255));
    }
  }
  return s;
}

inline std::shared_ptr<const ImageDataset> prototype_dataset(int train, int test, int side,
                                                             int classes) {
  auto d = std::make_shared<ImageDataset>();
  d->folder = "(prototype images)";
  d->train = prototype_images(train, side, classes, 1);
  d->test = prototype_images(test, side, classes, 2);
  d->classes = classes;
  return d;
}

inline void write_bytes(const std::filesystem::path& path, const std::string& bytes, bool gzip) {
  if (gzip) {
    gzFile f = gzopen(path.c_str(), "wb");
    if (!f) throw std::runtime_error("cannot write " + path.string());
    gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(f);
  } else {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
}

// Writes the split as PREFIX-images-idx3-ubyte[.gz] and PREFIX-labels-idx1-ubyte[.gz].
inline void write_split(const std::filesystem::path& folder, const std::string& prefix,
                        const LabelledImages& s, bool gzip) {
  const std::string ext = gzip ? ".gz" : "";
  write_bytes(folder / (prefix + "-images-idx3-ubyte" + ext),
              encode_idx({static_cast<uint32_t>(s.count), static_cast<uint32_t>(s.rows),
                          static_cast<uint32_t>(s.cols)},
                         s.pixels),
              gzip);
  write_bytes(folder / (prefix + "-labels-idx1-ubyte" + ext),
              encode_idx({static_cast<uint32_t>(s.count)}, s.labels), gzip);
}

}  // namespace initscope::test
