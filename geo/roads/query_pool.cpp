#include "geo/roads/query_pool.hpp"

#include <algorithm>
#include <thread>

namespace placedist::geo::roads {

RoadQueryPool::RoadQueryPool(std::shared_ptr<const RoadNetwork> network, QueryOptions options, unsigned size) {
  if (size == 0) size = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < size; ++i) {
    m_all.push_back(std::make_unique<RoadQuery>(network, options));
    m_free.push_back(m_all.back().get());
  }
}

RoadQueryPool::Lease RoadQueryPool::acquire() {
  std::unique_lock lock(m_mutex);
  m_returned.wait(lock, [&] { return !m_free.empty(); });
  RoadQuery* q = m_free.back();
  m_free.pop_back();
  return Lease(this, q);
}

void RoadQueryPool::give_back(RoadQuery* q) {
  {
    std::lock_guard lock(m_mutex);
    m_free.push_back(q);
  }
  m_returned.notify_one();
}

}  // namespace placedist::geo::roads
