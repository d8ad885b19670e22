#pragma once
// IDX files, the format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): a
// 4-byte magic 00 00 TYPE NDIMS, NDIMS big-endian uint32 sizes, then the values in row-major
// order. Only TYPE 0x08 (unsigned byte) is read: images and labels are bytes. Files may be
// gzip-compressed (the distributed .gz) or plain; zlib reads both.
#include <cstdint>
#include <string>
#include <vector>

namespace initscope {

struct IdxArray {
  std::vector<uint32_t> dims;  // e.g. 60000, 28, 28 for train-images
  std::vector<uint8_t> data;   // Π dims bytes, row-major
};

// Throws UsageError naming the file for content that is not a whole IDX byte array (wrong magic,
// unsupported type, truncated, trailing bytes, corrupt gzip) and RuntimeError when the file
// cannot be opened.
IdxArray read_idx(const std::string& path);

// The file's bytes as an IDX byte array (uncompressed), e.g. for tests that write their own.
std::string encode_idx(const std::vector<uint32_t>& dims, const std::vector<uint8_t>& data);

}  // namespace initscope
