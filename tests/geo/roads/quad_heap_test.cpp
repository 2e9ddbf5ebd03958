// The hierarchy searches' 4-ary heap (quad_heap.hpp), whose sift-down and the pick of the least
// child run without data-dependent branches: against std::priority_queue over random pushes and
// pops (ties included, sizes across several levels), and an empty heap's top above kInfinity.
#include <gtest/gtest.h>

#include <queue>
#include <random>
#include <vector>

#include "geo/roads/quad_heap.hpp"

namespace placedist::geo::roads::detail {
namespace {

using Key = std::pair<Weight, std::uint32_t>;  // weight, node

TEST(QuadHeap, PopsInTheOrderOfAPriorityQueue) {
  std::mt19937 rng(7);
  for (std::uint32_t key_range : {3u, 50u, 1000000u}) {  // many ties, some, almost none
    QuadHeap heap;
    std::priority_queue<Key, std::vector<Key>, std::greater<Key>> oracle;
    std::uniform_int_distribution<Weight> key(0, key_range);
    std::uint32_t next_node = 0;
    for (int step = 0; step < 200000; ++step) {
      // Grow to a few thousand entries (six levels), then drain, twice over.
      const bool grow = (step / 50000) % 2 == 0;
      if (oracle.empty() || rng() % 8 < (grow ? 5u : 2u)) {
        const Weight w = key(rng);
        heap.push(w, next_node, next_node * 3);
        oracle.push({w, next_node++});
        continue;
      }
      ASSERT_EQ(heap.size(), oracle.size());
      ASSERT_EQ(heap.top().dist, oracle.top().first);
      const QuadHeap::Entry e = heap.pop();
      ASSERT_EQ(e.dist, oracle.top().first) << "range " << key_range << " step " << step;
      // Equal weights may come out in any order: the entry must be one of them, intact.
      ASSERT_EQ(e.run, e.node * 3);
      oracle.pop();
    }
    while (!oracle.empty()) {
      ASSERT_EQ(heap.pop().dist, oracle.top().first);
      oracle.pop();
    }
    EXPECT_TRUE(heap.empty());
    EXPECT_GT(heap.top().dist, kInfinity);
  }
}

TEST(QuadHeap, EveryEntryComesOutOnce) {
  std::mt19937 rng(11);
  QuadHeap heap;
  const std::uint32_t n = 4099;  // a last level partly filled
  for (std::uint32_t v = 0; v < n; ++v) heap.push(rng() % 100, v, v);
  std::vector<int> seen(n, 0);
  Weight previous = 0;
  while (!heap.empty()) {
    const QuadHeap::Entry e = heap.pop();
    ASSERT_GE(e.dist, previous);
    previous = e.dist;
    ASSERT_LT(e.node, n);
    ++seen[e.node];
  }
  for (std::uint32_t v = 0; v < n; ++v) EXPECT_EQ(seen[v], 1) << v;
  heap.clear();
  heap.push(5, 1, 1);
  EXPECT_EQ(heap.pop().node, 1u);
  EXPECT_GT(heap.top().dist, kInfinity);
}

}  // namespace
}  // namespace placedist::geo::roads::detail
