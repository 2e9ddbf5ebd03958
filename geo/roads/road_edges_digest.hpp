#pragma once
// A 64-bit FNV-1a digest of everything a loader produced (nodes, edges, polylines, restrictions,
// source and profile text): two readers made the same graph when their digests agree. Used by
// the OSM reader's golden test and its benchmark.
#include <cstdint>
#include <cstring>

#include "geo/roads/road_edges.hpp"

namespace placedist::geo::roads {

inline std::uint64_t road_edges_digest(const RoadEdges& g) {
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&h](const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
  };
  auto u32 = [&](std::uint32_t v) { mix(&v, 4); };
  u32(static_cast<std::uint32_t>(g.nodes.size()));
  for (const FixedPoint& p : g.nodes) u32(static_cast<std::uint32_t>(p.lon)), u32(static_cast<std::uint32_t>(p.lat));
  u32(static_cast<std::uint32_t>(g.edges.size()));
  for (const RoadEdge& e : g.edges) u32(e.a), u32(e.b), u32(e.dist_dm), u32(e.time_ms), u32(e.flags);
  for (std::uint32_t f : g.first_point) u32(f);
  for (const FixedPoint& p : g.points) u32(static_cast<std::uint32_t>(p.lon)), u32(static_cast<std::uint32_t>(p.lat));
  u32(static_cast<std::uint32_t>(g.restrictions.size()));
  for (const TurnRestriction& r : g.restrictions) u32(r.from_code), u32(r.to_code), u32(r.only);
  mix(g.source.data(), g.source.size());
  mix(g.profile.data(), g.profile.size());
  return h;
}

}  // namespace placedist::geo::roads
