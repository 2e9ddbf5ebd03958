#pragma once
// Transparent huge pages for a process that builds a network. Where the kernel gives huge pages
// only when asked (transparent_hugepage = madvise), each 4 KiB page a build touches costs a page
// fault: some 11 µs on the 2-core VMs we measure on, and the Rutland build touched 4,186. A
// 2 MiB page costs about as much as one of them (docs/roads.md).
#include <cstddef>

namespace placedist::geo::roads {

// Marks the heap's next `reserve_bytes` (at most 2 GiB and a quarter of the machine's memory)
// for huge pages. After this call every allocation of the process, from any thread, comes from
// that heap, and freed memory stays there. Address space costs nothing until it is touched.
// It is only a hint: where the kernel has no huge pages to give, memory works as before.
// Call from one thread before the work starts.
void use_huge_page_heap(std::size_t reserve_bytes = std::size_t{2} << 30);

}  // namespace placedist::geo::roads
