#include "image_dataset.h"

#include <algorithm>
#include <filesystem>

#include "core/error.h"
#include "idx_file.h"

namespace initscope {
namespace {

namespace fs = std::filesystem;

const char* const kHowToGetData =
    "Fashion-MNIST is in the Debian package dataset-fashion-mnist (apt-get install "
    "dataset-fashion-mnist); or give --data DIR, a folder with MNIST's four IDX files";

// The first of NAME.gz, NAME, and the ".idx" spelling that exists in `folder`.
std::string find_file(const fs::path& folder, const std::string& name) {
  std::string dotted = name;
  dotted.replace(dotted.find("-idx"), 4, ".idx");
  for (const std::string& candidate : {name + ".gz", name, dotted + ".gz", dotted}) {
    std::error_code ec;
    if (fs::is_regular_file(folder / candidate, ec)) return (folder / candidate).string();
  }
  throw RuntimeError("--data '" + folder.string() + "': no " + name + "[.gz] there. " +
                     kHowToGetData);
}

LabelledImages read_split(const fs::path& folder, const std::string& prefix) {
  const std::string images_path = find_file(folder, prefix + "-images-idx3-ubyte");
  const std::string labels_path = find_file(folder, prefix + "-labels-idx1-ubyte");
  IdxArray images = read_idx(images_path);
  IdxArray labels = read_idx(labels_path);
  if (images.dims.size() != 3) {
    throw UsageError("'" + images_path + "': " + std::to_string(images.dims.size()) +
                     " dimensions; images must be count × rows × cols (3)");
  }
  if (labels.dims.size() != 1) {
    throw UsageError("'" + labels_path + "': " + std::to_string(labels.dims.size()) +
                     " dimensions; labels must be a list (1)");
  }
  if (images.dims[0] != labels.dims[0]) {
    throw UsageError("'" + labels_path + "': " + std::to_string(labels.dims[0]) +
                     " labels for the " + std::to_string(images.dims[0]) + " images of '" +
                     images_path + "'; the counts must match");
  }
  if (images.dims[0] == 0 || images.dims[1] == 0 || images.dims[2] == 0 ||
      images.dims[0] > (1u << 30) || uint64_t{images.dims[1]} * images.dims[2] > (1u << 24)) {
    throw UsageError("'" + images_path + "': " + std::to_string(images.dims[0]) + " images of " +
                     std::to_string(images.dims[1]) + "×" + std::to_string(images.dims[2]) +
                     " pixels; need at least one image of at most 16M pixels");
  }
  LabelledImages s;
  s.count = static_cast<int>(images.dims[0]);
  s.rows = static_cast<int>(images.dims[1]);
  s.cols = static_cast<int>(images.dims[2]);
  s.pixels = std::move(images.data);
  s.labels = std::move(labels.data);
  return s;
}

}  // namespace

ImageDataset load_image_dataset(const std::string& folder_text) {
  const fs::path folder = folder_text.empty() ? fs::path(kFashionMnistDir) : fs::path(folder_text);
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    throw RuntimeError("--data '" + folder.string() + "': no such folder. " + kHowToGetData);
  }
  ImageDataset d;
  d.folder = folder.string();
  d.train = read_split(folder, "train");
  d.test = read_split(folder, "t10k");
  if (d.test.rows != d.train.rows || d.test.cols != d.train.cols) {
    throw UsageError("--data '" + d.folder + "': test images are " + std::to_string(d.test.rows) +
                     "×" + std::to_string(d.test.cols) + ", training images " +
                     std::to_string(d.train.rows) + "×" + std::to_string(d.train.cols) +
                     "; they must have the same size");
  }
  const int max_label = std::max(*std::max_element(d.train.labels.begin(), d.train.labels.end()),
                                 *std::max_element(d.test.labels.begin(), d.test.labels.end()));
  d.classes = max_label + 1;
  if (d.classes < 2) {
    throw UsageError("--data '" + d.folder + "': every label is 0; a classifier needs 2 classes");
  }
  return d;
}

}  // namespace initscope
