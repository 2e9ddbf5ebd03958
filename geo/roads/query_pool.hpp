#pragma once
// RoadQuery objects shared by many threads (e.g. an HTTP server's workers): a handful, about one
// per core, lent out for one request at a time, so that query memory follows the cores that
// compute rather than the threads that wait. acquire() blocks while all are lent out.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "geo/roads/road_query.hpp"

namespace placedist::geo::roads {

class RoadQueryPool {
 public:
  // size 0: one per hardware thread (at least one).
  explicit RoadQueryPool(std::shared_ptr<const RoadNetwork> network, QueryOptions options = {}, unsigned size = 0);

  class Lease {
   public:
    Lease(Lease&& other) noexcept : m_pool(other.m_pool), m_query(other.m_query) { other.m_pool = nullptr; }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (m_pool) m_pool->give_back(m_query);
    }
    RoadQuery& operator*() const { return *m_query; }
    RoadQuery* operator->() const { return m_query; }

   private:
    friend class RoadQueryPool;
    Lease(RoadQueryPool* pool, RoadQuery* query) : m_pool(pool), m_query(query) {}
    RoadQueryPool* m_pool;
    RoadQuery* m_query;
  };

  Lease acquire();
  unsigned size() const { return static_cast<unsigned>(m_all.size()); }

 private:
  void give_back(RoadQuery* q);
  std::vector<std::unique_ptr<RoadQuery>> m_all;
  std::vector<RoadQuery*> m_free;
  std::mutex m_mutex;
  std::condition_variable m_returned;
};

}  // namespace placedist::geo::roads
