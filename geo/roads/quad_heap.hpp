#pragma once
// The priority queue of the hierarchy searches: a 4-ary min-heap of (weight, node) with lazy
// deletion (a label lowered after its push leaves a stale entry that pop() returns and the
// caller skips). Four sentinel entries past the end let a sift-down compare all four children of
// a node without bounds checks. Nothing in a sift-down branches on the data: the least of the
// four children is picked by masks, and it takes one step per level, whether or not the entry has
// found its place (the comparisons are unpredictable: a branch per child was a quarter of a
// county query, the loop's data-dependent exit another 12%).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "geo/roads/metric.hpp"

namespace placedist::geo::roads::detail {

class QuadHeap {
 public:
  struct Entry {
    Weight dist;
    std::uint32_t node;
    std::uint32_t run;  // where the node's run of records starts (search_graph.hpp): free in the padding
  };
  QuadHeap() { clear(); }
  bool empty() const { return m_size == 0; }
  std::size_t size() const { return m_size; }
  // The least entry; when empty, a sentinel whose weight is above any (kInfinity included).
  const Entry& top() const { return m_h[0]; }
  std::size_t capacity_bytes() const { return m_h.capacity() * sizeof(Entry); }

  void clear() {
    m_size = 0;
    if (m_h.size() < 4) m_h.resize(4);
    for (std::size_t i = 0; i < 4; ++i) m_h[i] = kSentinel;
  }

  void push(Weight d, std::uint32_t v, std::uint32_t run) {
    // Before: [size, size + 4) are sentinels; after, [size + 1, size + 5) must be.
    if (m_h.size() < m_size + 5) m_h.resize(m_size + 5 > 2 * m_h.size() ? m_size + 5 : 2 * m_h.size(), kSentinel);
    m_h[m_size + 4] = kSentinel;
    std::size_t i = m_size++;
    while (i > 0) {
      std::size_t p = (i - 1) / 4;
      if (m_h[p].dist <= d) break;
      m_h[i] = m_h[p];
      i = p;
    }
    m_h[i] = {d, v, run};
  }

  Entry pop() {  // only when not empty
    const Entry top = m_h[0];
    const Entry last = m_h[--m_size];
    if (m_size == 0) {
      m_h[0] = kSentinel;
      return top;
    }
    // A fixed number of steps, one per level below the root, with no data-dependent branch:
    // once `last` has found its place, the remaining steps copy it onto itself. It stays at
    // m_size meanwhile (so a step copies from an index, never picks between values), and a node
    // past the last level reads its children as m_size and the sentinels after it.
    std::size_t i = 0;
    for (std::size_t span = m_size - 1; span > 0; span = (span - 1) >> 2) {
      const std::size_t c = std::min(4 * i + 1, m_size);
      const Entry* ch = &m_h[c];
      const std::size_t a = select(ch[1].dist < ch[0].dist, 1, 0);
      const std::size_t b = select(ch[3].dist < ch[2].dist, 3, 2);
      const std::size_t m = select(ch[b].dist < ch[a].dist, b, a);
      const std::size_t next = select(ch[m].dist < last.dist, c + m, i);
      m_h[i] = m_h[select(next == i, m_size, next)];
      i = next;
    }
    m_h[i] = last;
    m_h[m_size] = kSentinel;
    return top;
  }

 private:
  // x when `pick`, else y, by a mask rather than a branch (the compiler turns a ternary on
  // unpredictable comparisons into jumps).
  static std::size_t select(bool pick, std::size_t x, std::size_t y) {
    return y ^ ((x ^ y) & (std::size_t{0} - static_cast<std::size_t>(pick)));
  }
  static constexpr Entry kSentinel{~Weight{0}, 0, 0};
  std::vector<Entry> m_h;  // entries [0, m_size), then four sentinels
  std::size_t m_size = 0;
};

}  // namespace placedist::geo::roads::detail
