#pragma once
// Snapping a WGS84 location onto the nearest drivable road segment (not node) of a large strongly
// connected component, through a flat uniform grid of segments (geo/roads/segment_grid.hpp).
// Distances in metres, measured in a local equirectangular plane around the query point (error
// well under 0.1% within a few kilometres).
#include <cstdint>
#include <memory>
#include <optional>

#include "geo/coords.hpp"
#include "geo/roads/network_data.hpp"

namespace placedist::geo::roads::detail {

struct Snap {
  std::uint32_t edge = 0;
  double fraction = 0;        // position along the edge polyline from node a, 0..1 (by length)
  std::uint32_t segment = 0;  // polyline segment index within the edge
  double segment_t = 0;       // position within that segment, 0..1
  double snap_m = 0;          // distance from the query point to the road
  LonLat point;               // the snapped point
};

// Position (0..1, by length) along edge e of the point at `t` within polyline segment `segment`.
double edge_fraction(const NetworkData& d, std::uint32_t e, std::uint32_t segment, double t);

class Snapper {
 public:
  explicit Snapper(const NetworkData& d);
  ~Snapper();
  // Nearest snappable segment within radius_m, or nullopt. The nearest by segment_offset()'s
  // distance; of equal distances the lowest (edge, segment). Allocates nothing.
  std::optional<Snap> snap(LonLat where, double radius_m) const;
  // True when `where` lies in or next to a grid cell (about 2 km) holding network nodes.
  bool covers(LonLat where) const;
  // Heap bytes held by the index (segment grid and coverage cells).
  std::size_t memory_bytes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace placedist::geo::roads::detail
