// use_huge_page_heap marks the heap for transparent huge pages: seen where the kernel shows it,
// the VmFlags ("hg": huge pages advised) of the mapping in /proc/self/smaps that holds an array.
// Each test runs in its own process (ctest), and the unmarked case comes first when run together.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "asan.hpp"
#include "geo/roads/huge_page_heap.hpp"

namespace placedist::geo::roads {
namespace {

// The VmFlags line of the mapping that holds `p`, or "" when none does.
std::string vm_flags_of(const void* p) {
  const auto at = reinterpret_cast<std::uintptr_t>(p);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t from = 0, to = 0;
    char dash = 0;
    std::istringstream range(line);
    if (range >> std::hex >> from >> dash >> to && dash == '-') {
      inside = from <= at && at < to;
    } else if (inside && line.rfind("VmFlags:", 0) == 0) {
      return line + " ";
    }
  }
  return "";
}

// Under AddressSanitizer its own allocator, not glibc's heap, serves the arrays; a kernel without
// transparent huge pages has no such flag.
bool heap_can_be_marked() {
#ifdef PLACEDIST_ASAN
  return false;
#else
  return std::ifstream("/sys/kernel/mm/transparent_hugepage/enabled").good();
#endif
}

TEST(HugePageHeap, ByDefaultAHeapArrayIsNotMarked) {
  if (!heap_can_be_marked()) GTEST_SKIP() << "no glibc heap or no transparent huge pages";
  std::vector<char> array(std::size_t{4} << 20, 1);
  const std::string flags = vm_flags_of(array.data());
  ASSERT_NE(flags, "");
  EXPECT_EQ(flags.find(" hg "), std::string::npos) << flags;
}

TEST(HugePageHeap, ArraysAllocatedAfterwardsAreInAMarkedMapping) {
  if (!heap_can_be_marked()) GTEST_SKIP() << "no glibc heap or no transparent huge pages";
  use_huge_page_heap(std::size_t{256} << 20);
  for (std::size_t mib : {1, 4, 24}) {
    std::vector<char> array(mib << 20, 1);
    EXPECT_NE(vm_flags_of(array.data()).find(" hg "), std::string::npos) << mib << " MiB";
  }
  // A second thread allocates from the same marked heap.
  std::string flags;
  std::thread([&] {
    std::vector<char> array(std::size_t{2} << 20, 1);
    flags = vm_flags_of(array.data());
  }).join();
  EXPECT_NE(flags.find(" hg "), std::string::npos) << flags;
}

}  // namespace
}  // namespace placedist::geo::roads
