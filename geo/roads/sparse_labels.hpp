#pragma once
// Labels of one search keyed by node (or directed edge), in an open-addressing table sized by
// what the search touches rather than by the graph: a query object on a national network costs
// kilobytes, not a few hundred megabytes per thread, and a county query's labels stay in L1/L2.
// clear() is O(1) (a generation stamp); the table doubles when half full and keeps its size.
#include <cstdint>
#include <vector>

namespace placedist::geo::roads::detail {

template <class Label>
class SparseLabels {
 public:
  explicit SparseLabels(std::uint32_t initial_bits = 10) { rebuild(initial_bits); }

  void clear() {
    m_size = 0;
    if (++m_stamp != 0) return;
    for (Slot& s : m_slots) s.stamp = 0;  // wrapped after 2^32 searches
    m_stamp = 1;
  }

  const Label* find(std::uint32_t key) const {
    for (std::uint32_t i = slot_of(key);; i = (i + 1) & m_mask) {
      const Slot& s = m_slots[i];
      if (s.stamp != m_stamp) return nullptr;
      if (s.key == key) return &s.label;
    }
  }

  // The label of `key`, set to `fresh` when the key is new (then `inserted` is true). The
  // reference is valid until the next get().
  Label& get(std::uint32_t key, const Label& fresh, bool& inserted) {
    if (2 * (m_size + 1) > m_slots.size()) rebuild(m_bits + 1);
    for (std::uint32_t i = slot_of(key);; i = (i + 1) & m_mask) {
      Slot& s = m_slots[i];
      if (s.stamp != m_stamp) {
        s.stamp = m_stamp;
        s.key = key;
        s.label = fresh;
        ++m_size;
        inserted = true;
        return s.label;
      }
      if (s.key == key) {
        inserted = false;
        return s.label;
      }
    }
  }

  std::uint32_t size() const { return m_size; }
  std::size_t capacity_bytes() const { return m_slots.capacity() * sizeof(Slot); }

 private:
  struct Slot {
    std::uint32_t key = 0, stamp = 0;
    Label label{};
  };
  std::uint32_t slot_of(std::uint32_t key) const { return (key * 0x9E3779B1u) >> (32 - m_bits); }

  void rebuild(std::uint32_t bits) {
    std::vector<Slot> old;
    old.swap(m_slots);
    m_bits = bits;
    m_mask = (1u << bits) - 1;
    m_slots.assign(std::size_t{1} << bits, Slot{});
    const std::uint32_t stamp = m_stamp;
    m_stamp = 1;
    m_size = 0;
    bool inserted;
    for (const Slot& s : old)
      if (s.stamp == stamp && stamp != 0) get(s.key, s.label, inserted);
  }

  std::vector<Slot> m_slots;
  std::uint32_t m_bits = 0, m_mask = 0, m_stamp = 1, m_size = 0;
};

}  // namespace placedist::geo::roads::detail
