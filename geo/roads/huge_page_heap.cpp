#include "geo/roads/huge_page_heap.hpp"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdlib>

namespace placedist::geo::roads {

void use_huge_page_heap(std::size_t reserve_bytes) {
  constexpr std::uintptr_t kHugePage = std::uintptr_t{2} << 20;
  const long pages = sysconf(_SC_PHYS_PAGES), page_or_error = sysconf(_SC_PAGESIZE);
  const std::uintptr_t page = page_or_error > 0 ? static_cast<std::uintptr_t>(page_or_error) : 4096;
  if (pages > 0) reserve_bytes = std::min(reserve_bytes, static_cast<std::size_t>(pages) * page / 4);
  const int reserve = static_cast<int>(std::min<std::size_t>(reserve_bytes, INT_MAX - kHugePage));
  // One arena: other threads (libosmium's decoders, the second metric) would get heaps of their
  // own, unmarked.
  mallopt(M_ARENA_MAX, 1);
  // Arrays up to 32 MiB (glibc's limit) come from the heap rather than fresh mappings, and freed
  // memory is kept: a page touched once is used again, not faulted in again.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, reserve);
  // Grow the heap by the reserve now (the probe is more than a fresh heap has free), mark it from
  // the probe on (the kernel uses huge pages where whole ones fit), then let the heap grow as usual.
  mallopt(M_TOP_PAD, reserve);
  void* probe = std::malloc(std::size_t{1} << 20);
  const std::uintptr_t from = reinterpret_cast<std::uintptr_t>(probe) & ~(page - 1);
  const std::uintptr_t to = reinterpret_cast<std::uintptr_t>(sbrk(0));
  if (probe && to > from) madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);
  std::free(probe);
  mallopt(M_TOP_PAD, 128 << 10);  // glibc's default
}

}  // namespace placedist::geo::roads
