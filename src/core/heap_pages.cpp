#include "heap_pages.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>

namespace initscope {

size_t use_huge_page_heap() {
  constexpr size_t kReserve = size_t{256} << 20;
  constexpr uintptr_t kHugePage = uintptr_t{2} << 20;
  const long page = sysconf(_SC_PAGESIZE), pages = sysconf(_SC_PHYS_PAGES);
  const size_t reserve =
      page > 0 && pages > 0 ? std::min(kReserve, size_t(page) * size_t(pages) / 4) : kReserve;
  // One arena: the OpenMP threads that draw weights would otherwise allocate from heaps of
  // their own, mapped apart from the main heap and not advised.
  mallopt(M_ARENA_MAX, 1);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest
  mallopt(M_TRIM_THRESHOLD, kKeptFreeHeap);
  // Grow the heap by the reserve now (top pad), while its range can be advised in one call.
  mallopt(M_TOP_PAD, static_cast<int>(reserve));
  char* const start = static_cast<char*>(sbrk(0));
  // A block larger than the free space a young heap holds, below the mmap threshold: the heap
  // must grow for it. volatile: the pair is not optimised away.
  void* volatile grow = std::malloc(31 << 20);
  std::free(grow);
  char* const end = static_cast<char*>(sbrk(0));
  mallopt(M_TOP_PAD, 128 << 10);  // glibc's default
  char* const first = reinterpret_cast<char*>((reinterpret_cast<uintptr_t>(start) + kHugePage - 1) &
                                              ~(kHugePage - 1));
  if (start == reinterpret_cast<char*>(-1) || end <= first + kHugePage) return 0;
  const size_t advised = static_cast<size_t>(end - first);
  return madvise(first, advised, MADV_HUGEPAGE) == 0 ? advised : 0;
}

}  // namespace initscope
