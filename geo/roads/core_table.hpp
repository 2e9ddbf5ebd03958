#pragma once
// Distances between the top nodes of a hierarchy (its core), for networks too big for hub labels.
// On the SYNTHETIC GB proxy (4.2 M nodes) a one-to-one query settles 307 nodes (fastest), 192
// of them among the top 1,024 search ids: every long search climbs into the same few motorway
// junctions and wanders among them. With a table of the core's pairwise distances a query settles
// only the nodes below the core, notes where each side enters it, and reads the table for the
// rest (the idea of CH-based transit node routing, Arz, Luxen and Sanders 2013, without access
// nodes per node).
//
// Why it is exact: search ids are ordered by level, and every up arc climbs a level, so the core
// (the top `size` ids) is closed upwards. The shortest route's up-down path s -> top <- t leaves
// each side's part below the core at most once: if its top node is below the core, both searches
// meet there as before; otherwise it enters the core at some a on the way up and b on the way
// down, and the route is dist(s, a) + table(a, b) + dist(b, t), each term found exactly.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "geo/roads/contraction.hpp"
#include "geo/roads/metric.hpp"

namespace placedist::geo::roads::detail {

struct CoreTable {
  std::uint32_t first = 0;   // the core is search ids [first, first + size)
  std::uint32_t size = 0;    // 0: no table
  std::vector<Weight> dist;  // size x size, row-major: from core node first + i to first + j
  bool empty() const { return size == 0; }
  bool in_core(std::uint32_t search_id) const { return search_id - first < size; }
  const Weight* row(std::uint32_t search_id) const { return dist.data() + std::size_t{search_id - first} * size; }
  Weight at(std::uint32_t from, std::uint32_t to) const { return row(from)[to - first]; }
  std::size_t bytes() const { return dist.size() * sizeof(Weight); }
};

// The table of the top min(size, n) nodes of a hierarchy by search id (its layout's numbering),
// computed with that hierarchy's own many-to-many search.
CoreTable build_core_table(const ChView& ch, std::uint32_t size);

// What build_core_table(ch, size) takes for a hierarchy of `nodes` nodes.
inline std::uint64_t core_table_bytes(std::uint64_t nodes, std::uint32_t size) {
  const std::uint64_t side = std::min<std::uint64_t>(size, nodes);
  return side * side * sizeof(Weight);
}

// Core nodes of the hierarchies that networks without hub labels get for their first query
// (RoadNetwork::query_data()):
// 32 MiB a metric. On the proxy (fastest, p50): 1,024 nodes left 31 entries a side and 21 us;
// 2,048, 22 entries and 17-20 us; 4,096 (128 MiB) no faster than 2,048.
inline constexpr std::uint32_t kCoreTableSize = 2048;

}  // namespace placedist::geo::roads::detail
