#pragma once
// Road distances and drive times between WGS84 locations on a RoadNetwork. One RoadQuery per
// thread (it owns search arrays sized to the graph); the network itself is shared.
// Units: seconds and metres (double, from integer milliseconds and decimetres).
// Both ends are snapped onto the nearest drivable segment within the snap radius; the route
// starts and ends at the snapped points, part way along their edges.
#include <memory>
#include <span>
#include <vector>

#include "geo/coords.hpp"
#include "geo/roads/metric.hpp"
#include "geo/roads/road_network.hpp"
#include "geo/roads/road_status.hpp"

namespace placedist::geo::roads {

struct QueryOptions {
  double snap_radius_m = 1000;  // how far from a road a location may lie, metres (>= 0)
  // Answer distances from the network's hub labels when it has them (the same weights, several
  // times faster); false searches the hierarchy, for tests and benchmarks that compare the two.
  bool hub_labels = true;
};

// Values are NaN unless status is ok (snap distances are set whenever that end snapped).
struct RoadResult {
  RoadStatus status = RoadStatus::no_route;
  double fastest_seconds = 0;  // drive time of the fastest route
  double fastest_metres = 0;   // length of that fastest route
  double shortest_metres = 0;  // length of the shortest route
  double from_snap_m = 0;      // distance from the origin to the road it snapped to
  double to_snap_m = 0;
};

struct RouteGeometry {
  RoadStatus status = RoadStatus::no_route;
  double seconds = 0, metres = 0;
  std::vector<LonLat> points;  // from the snapped origin to the snapped destination
};

// Roads reachable within a distance: the reached piece of each edge, as polylines.
struct Reach {
  RoadStatus status = RoadStatus::no_route;
  double from_snap_m = 0;
  std::vector<std::vector<LonLat>> pieces;
};

// Where a location snaps to.
struct SnapResult {
  RoadStatus status = RoadStatus::no_road_within_radius;
  LonLat point;
  double snap_m = 0;
  std::uint32_t edge = 0;
};

// Flat, row-major output of RoadQuery::matrix_into(): one entry per cell (from x to) in each
// cell span, one per origin / destination in the snap spans; no per-cell objects (for compact
// columnar matrices). Figures are NaN unless the cell's status is ok; snap distances NaN where
// that end did not snap.
struct MatrixColumns {
  std::span<RoadStatus> status;
  std::span<double> fastest_seconds, fastest_metres, shortest_metres;
  std::span<double> from_snap_m, to_snap_m;
};

class RoadQuery {
 public:
  explicit RoadQuery(std::shared_ptr<const RoadNetwork> network, QueryOptions options = {});
  ~RoadQuery();
  RoadQuery(RoadQuery&&) noexcept;

  SnapResult snap(LonLat where) const;
  RoadResult route(LonLat from, LonLat to);
  // Row-major from.size() x to.size() results, by the bucket method on the hierarchies.
  std::vector<RoadResult> matrix(std::span<const LonLat> from, std::span<const LonLat> to);
  // The same figures written into caller-owned columns; throws std::invalid_argument when a
  // span's size does not match.
  void matrix_into(std::span<const LonLat> from, std::span<const LonLat> to, const MatrixColumns& out);
  RouteGeometry route_geometry(LonLat from, LonLat to, Metric metric = Metric::fastest);
  // Every road piece within limit_m metres (shortest metric) of `from`.
  Reach reach(LonLat from, double limit_m);
  // Within limit_m of the nearest of `from` (one multi-source search): the union of their
  // reaches. from_snap_m is the smallest snap; ok when any point snapped.
  Reach reach(std::span<const LonLat> from, double limit_m);

  // The same as route() by plain Dijkstra on the uncontracted graph (the test oracle).
  RoadResult route_dijkstra(LonLat from, LonLat to);

  const RoadNetwork& network() const { return *m_network; }
  const QueryOptions& options() const;

 private:
  struct Impl;
  std::shared_ptr<const RoadNetwork> m_network;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace placedist::geo::roads
