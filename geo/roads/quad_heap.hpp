#pragma once
// The priority queue of the hierarchy searches: a 4-ary min-heap of (weight, node) with lazy
// deletion (a label lowered after its push leaves a stale entry that pop() returns and the
// caller skips). Four sentinel entries past the end let a sift-down compare all four children of
// a node without bounds checks, and the least of the four is picked by conditional moves: the
// comparisons are unpredictable, and a branch per child was a quarter of a county query.
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
    m_h[m_size] = kSentinel;
    if (m_size == 0) return top;
    std::size_t i = 0;
    while (true) {
      const std::size_t c = 4 * i + 1;
      if (c >= m_size) break;
      const Entry* ch = &m_h[c];
      const std::size_t a = ch[1].dist < ch[0].dist ? 1 : 0;
      const std::size_t b = ch[3].dist < ch[2].dist ? 3 : 2;
      const std::size_t m = ch[b].dist < ch[a].dist ? b : a;
      if (ch[m].dist >= last.dist) break;
      m_h[i] = ch[m];
      i = c + m;
    }
    m_h[i] = last;
    return top;
  }

 private:
  static constexpr Entry kSentinel{~Weight{0}, 0, 0};
  std::vector<Entry> m_h;  // entries [0, m_size), then four sentinels
  std::size_t m_size = 0;
};

}  // namespace placedist::geo::roads::detail
