#pragma once
// The process's heap on 2 MB pages (transparent huge pages) for the big float buffers of an
// experiment: weights, packed weights, every layer's activations. With 4 KB pages a fresh
// `stats --preset compare` took 24.7k page faults (≈ 0.1 s of CPU in the kernel) to touch its
// 105 MB; on 2 MB pages it takes ≈ 800 (README, issue 15).
#include <cstddef>

namespace initscope {

// Freed memory the heap keeps instead of giving it back to the kernel (and faulting it in again
// on the next allocation); at least the reserve below, which is lost once it is given back.
inline constexpr int kKeptFreeHeap = 320 << 20;

// Call first thing in main, before any thread starts: every thread then allocates from the main
// heap (one arena), blocks up to 32 MB come from it rather than from their own mappings, and
// the heap's next 256 MB (at most a quarter of the RAM) are reserved and advised as huge pages
// (madvise MADV_HUGEPAGE; pages are still only taken when first touched). Returns the bytes so
// advised: 0 where the heap is not glibc's (sanitizers, valgrind) or the kernel refuses, and
// then nothing changes but malloc's settings.
size_t use_huge_page_heap();

}  // namespace initscope
