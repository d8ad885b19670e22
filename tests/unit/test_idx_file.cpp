// IDX files and the MNIST-format data folder: round trips through generated gzip and plain
// files, and one-line errors that name the file for every kind of bad file.
#include <gtest/gtest.h>

#include "core/error.h"
#include "core/file_io.h"
#include "core/training/idx_file.h"
#include "core/training/image_dataset.h"
#include "synthetic_images.h"

using namespace initscope;
using test::TempFolder;

namespace {

// The message of the exception `f` throws (of type E), or a failure.
template <typename E, typename F>
std::string idx_error_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  ADD_FAILURE() << "no exception of the expected type";
  return "";
}

}  // namespace

TEST(IdxFile, RoundTripThroughGzipAndPlainFiles) {
  TempFolder dir("idx_roundtrip");
  std::vector<uint8_t> data(3 * 4 * 5);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 37 + 1);
  for (bool gzip : {true, false}) {
    const auto path = dir.path / (gzip ? "a.gz" : "a");
    test::write_bytes(path, encode_idx({3, 4, 5}, data), gzip);
    const IdxArray a = read_idx(path.string());
    EXPECT_EQ(a.dims, (std::vector<uint32_t>{3, 4, 5})) << path;
    EXPECT_EQ(a.data, data) << path;
  }
}

TEST(IdxFile, BadFilesGiveOneLineErrorsNamingTheFile) {
  TempFolder dir("idx_bad");
  const std::string good = encode_idx({2, 3}, {1, 2, 3, 4, 5, 6});
  struct Case {
    std::string name, bytes, expect;
  };
  const std::vector<Case> cases = {
      {"magic", "\x1f\x8b\x08\x00garbage", "not an IDX file"},
      {"type", std::string("\0\0\x0d\x01\0\0\0\x01\0\0\0\0", 12), "type 0x0d is not supported"},
      {"header", std::string("\0\0\x08\x03\0\0\0\x02", 8), "truncated IDX header"},
      {"truncated", good.substr(0, good.size() - 2),
       "truncated: the header announces 2×3 = 6 "
       "bytes of data, the file holds 4"},
      {"trailing", good + "x", "bytes after the 2×3 values"},
      {"empty", "", "not an IDX file"},
      // 2^17 × 2^17 × 2^30 = 2^64 bytes: the product must not wrap to 0 (fuzz_idx found it).
      {"wraps", std::string("\0\0\x08\x03\0\x02\0\0\0\x02\0\0\x40\0\0\0", 16), "more than 16 GB"},
  };
  for (const Case& c : cases) {
    for (bool gzip : {true, false}) {
      const auto path = dir.path / (c.name + (gzip ? ".gz" : ""));
      test::write_bytes(path, c.bytes, gzip);
      const std::string msg = idx_error_of<UsageError>([&] { read_idx(path.string()); });
      EXPECT_NE(msg.find(path.string()), std::string::npos) << msg;
      EXPECT_NE(msg.find(c.expect), std::string::npos) << c.name << ": " << msg;
      EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    }
  }
  // A gzip stream cut in the middle is corrupt data, not a short file.
  const auto whole = dir.path / "whole.gz";
  std::vector<uint8_t> big(100000);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>((i * i) >> 3);
  test::write_bytes(whole, encode_idx({100000}, big), true);
  std::string gz = read_file(whole.string());
  test::write_bytes(dir.path / "cut.gz", gz.substr(0, gz.size() / 2), false);
  const std::string msg =
      idx_error_of<UsageError>([&] { read_idx((dir.path / "cut.gz").string()); });
  EXPECT_NE(msg.find("cut.gz"), std::string::npos) << msg;
  EXPECT_EQ(idx_error_of<RuntimeError>([&] {
              read_idx((dir.path / "missing").string());
            }).find("cannot read"),
            0u);
}

TEST(ImageDataset, ReadsAFolderOfGzipOrPlainFiles) {
  const LabelledImages train = test::prototype_images(50, 6, 3, 1);
  const LabelledImages t10k = test::prototype_images(20, 6, 3, 2);
  for (bool gzip : {true, false}) {
    TempFolder dir(gzip ? "dataset_gz" : "dataset_plain");
    test::write_split(dir.path, "train", train, gzip);
    test::write_split(dir.path, "t10k", t10k, gzip);
    const ImageDataset d = load_image_dataset(dir.path.string());
    EXPECT_EQ(d.folder, dir.path.string());
    EXPECT_EQ(d.train.count, 50);
    EXPECT_EQ(d.train.rows, 6);
    EXPECT_EQ(d.train.cols, 6);
    EXPECT_EQ(d.train.pixels, train.pixels);
    EXPECT_EQ(d.train.labels, train.labels);
    EXPECT_EQ(d.test.labels, t10k.labels);
    EXPECT_EQ(d.classes, 3);
  }
  // MNIST's other spelling: train-images.idx3-ubyte.
  TempFolder dir("dataset_dotted");
  test::write_split(dir.path, "train", train, false);
  test::write_split(dir.path, "t10k", t10k, false);
  std::filesystem::rename(dir.path / "train-images-idx3-ubyte",
                          dir.path / "train-images.idx3-ubyte");
  EXPECT_EQ(load_image_dataset(dir.path.string()).train.count, 50);
}

TEST(ImageDataset, MissingDataNamesThePackage) {
  const std::string no_folder =
      idx_error_of<RuntimeError>([] { load_image_dataset("/nonexistent/initscope-data"); });
  EXPECT_NE(no_folder.find("/nonexistent/initscope-data"), std::string::npos) << no_folder;
  EXPECT_NE(no_folder.find("dataset-fashion-mnist"), std::string::npos) << no_folder;
  TempFolder dir("dataset_missing_file");
  test::write_split(dir.path, "train", test::prototype_images(10, 4, 2, 1), true);
  const std::string no_file =
      idx_error_of<RuntimeError>([&] { load_image_dataset(dir.path.string()); });
  EXPECT_NE(no_file.find("t10k-images-idx3-ubyte"), std::string::npos) << no_file;
  EXPECT_NE(no_file.find("dataset-fashion-mnist"), std::string::npos) << no_file;
}

TEST(ImageDataset, CountAndShapeMismatchesNameTheFiles) {
  TempFolder dir("dataset_mismatch");
  const LabelledImages s = test::prototype_images(10, 4, 2, 1);
  test::write_split(dir.path, "train", s, true);
  test::write_split(dir.path, "t10k", s, true);
  // 9 labels for 10 images.
  test::write_bytes(dir.path / "train-labels-idx1-ubyte.gz",
                    encode_idx({9}, std::vector<uint8_t>(9, 1)), true);
  std::string msg = idx_error_of<UsageError>([&] { load_image_dataset(dir.path.string()); });
  EXPECT_NE(msg.find("train-labels-idx1-ubyte.gz': 9 labels for the 10 images"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("train-images-idx3-ubyte.gz"), std::string::npos) << msg;
  // Images with 2 dimensions.
  test::write_split(dir.path, "train", s, true);
  test::write_bytes(dir.path / "t10k-images-idx3-ubyte.gz",
                    encode_idx({10, 16}, std::vector<uint8_t>(160, 1)), true);
  msg = idx_error_of<UsageError>([&] { load_image_dataset(dir.path.string()); });
  EXPECT_NE(msg.find("t10k-images-idx3-ubyte.gz': 2 dimensions"), std::string::npos) << msg;
  // Test images of another size than the training images.
  test::write_split(dir.path, "t10k", test::prototype_images(10, 5, 2, 2), true);
  msg = idx_error_of<UsageError>([&] { load_image_dataset(dir.path.string()); });
  EXPECT_NE(msg.find("test images are 5×5, training images 4×4"), std::string::npos) << msg;
}
