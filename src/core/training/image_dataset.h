#pragma once
// A labelled image data set in MNIST's layout (training mode): Fashion-MNIST from Debian's
// dataset-fashion-mnist package, or the original MNIST files when the user has them.
#include <cstdint>
#include <string>
#include <vector>

namespace initscope {

// Where Debian's dataset-fashion-mnist package puts the four IDX files.
inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

struct LabelledImages {
  int count = 0;                // images
  int rows = 0, cols = 0;       // pixels per image: rows × cols
  std::vector<uint8_t> pixels;  // count × (rows·cols), one image per row, 0..255
  std::vector<uint8_t> labels;  // count, each < the data set's classes
  int dim() const { return rows * cols; }
  const uint8_t* image(int i) const { return pixels.data() + static_cast<size_t>(i) * dim(); }
};

struct ImageDataset {
  std::string folder;  // where it was read from
  LabelledImages train, test;
  int classes = 0;  // 1 + the largest label
};

// Reads train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and
// t10k-labels-idx1-ubyte from `folder` ("" = kFashionMnistDir); each may be gzip-compressed
// (NAME.gz) and MNIST's other spelling NAME with ".idx" for "-idx" is accepted too. A missing
// folder or file is a RuntimeError naming it and the package dataset-fashion-mnist; bad content
// (shapes, counts, labels) a UsageError naming the file.
ImageDataset load_image_dataset(const std::string& folder);

}  // namespace initscope
