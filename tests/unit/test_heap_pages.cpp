// The heap on 2 MB pages (core/heap_pages.h): a big block allocated after the call is backed
// by transparent huge pages, as /proc/self/smaps reports. ctest runs each test in a process of
// its own, so the heap is young here, as in main().
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/heap_pages.h"

namespace initscope {
namespace {

std::string file_text(const char* path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// AnonHugePages (kB) summed over the mappings that overlap [p, p + bytes).
long huge_kb_of_range(const void* p, size_t bytes) {
  std::ifstream smaps("/proc/self/smaps");
  const auto lo_addr = reinterpret_cast<uintptr_t>(p), hi_addr = lo_addr + bytes;
  bool overlaps = false;
  long sum = 0;
  for (std::string line; std::getline(smaps, line);) {
    unsigned long lo = 0, hi = 0;
    if (std::sscanf(line.c_str(), "%lx-%lx ", &lo, &hi) == 2 && line.find(':') > line.find(' ')) {
      overlaps = lo < hi_addr && lo_addr < hi;
      continue;
    }
    long kb = 0;
    if (overlaps && std::sscanf(line.c_str(), "AnonHugePages: %ld kB", &kb) == 1) sum += kb;
  }
  return sum;
}

// A counter of /proc/vmstat, or -1.
long vmstat(const std::string& name) {
  std::ifstream in("/proc/vmstat");
  std::string key;
  long value = 0;
  while (in >> key >> value)
    if (key == name) return value;
  return -1;
}

TEST(HeapPages, BigBuffersLandOnHugePages) {
  const std::string thp = file_text("/sys/kernel/mm/transparent_hugepage/enabled");
  if (thp.empty() || thp.find("[never]") != std::string::npos)
    GTEST_SKIP() << "this kernel has transparent huge pages off: '" << thp << "'";
  const size_t advised = use_huge_page_heap();
  if (advised == 0)
    GTEST_SKIP() << "the heap could not be grown and advised here (not glibc's allocator: a "
                    "sanitizer's or valgrind's)";
  EXPECT_GE(advised, size_t{64} << 20);
  const long fallbacks = vmstat("thp_fault_fallback");
  std::vector<float> buffer(size_t{16} << 20 >> 2, 1.0f);  // 16 MB, every page touched
  const long huge_kb = huge_kb_of_range(buffer.data(), buffer.size() * sizeof(float));
  std::printf("advised %zu MB; the 16 MB buffer's mappings have %ld kB on huge pages\n",
              advised >> 20, huge_kb);
  if (huge_kb < (8 << 10) && vmstat("thp_fault_fallback") > fallbacks)
    GTEST_SKIP() << "the kernel had no free huge pages (thp_fault_fallback rose)";
  EXPECT_GE(huge_kb, 8 << 10) << "fewer than half of its pages are huge";
}

}  // namespace
}  // namespace initscope
