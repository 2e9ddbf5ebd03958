#pragma once
// A small thread-safe least-recently-used cache for answers that are expensive to build (road
// zones): at most `capacity` entries; the oldest unused is dropped first. Two threads that miss
// the same key at once both build it; the later put wins (the values are equal).
#include <cstddef>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

namespace placedist::serve {

template <class Key, class Value>
class LruCache {
 public:
  explicit LruCache(std::size_t capacity) : m_capacity(capacity > 0 ? capacity : 1) {}

  std::optional<Value> get(const Key& key) {
    std::lock_guard lock(m_mutex);
    auto it = m_index.find(key);
    if (it == m_index.end()) return std::nullopt;
    m_order.splice(m_order.begin(), m_order, it->second);  // now the most recent
    return it->second->second;
  }

  void put(const Key& key, Value value) {
    std::lock_guard lock(m_mutex);
    if (auto it = m_index.find(key); it != m_index.end()) {
      it->second->second = std::move(value);
      m_order.splice(m_order.begin(), m_order, it->second);
      return;
    }
    m_order.emplace_front(key, std::move(value));
    m_index[key] = m_order.begin();
    if (m_order.size() > m_capacity) {
      m_index.erase(m_order.back().first);
      m_order.pop_back();
    }
  }

  std::size_t size() const {
    std::lock_guard lock(m_mutex);
    return m_order.size();
  }

 private:
  std::size_t m_capacity;
  mutable std::mutex m_mutex;
  std::list<std::pair<Key, Value>> m_order;  // most recent first
  std::map<Key, typename std::list<std::pair<Key, Value>>::iterator> m_index;
};

}  // namespace placedist::serve
