#pragma once
// The road network as loaded from a source, before contraction: junction nodes and edges
// between them with a polyline each.
//  - Coordinates: WGS84 (EPSG:4326) fixed point, 1e-7 degree units (about 1 cm).
//  - Distances: decimetres (integer). Drive times: milliseconds (integer).
// Each edge carries one distance and one time, the same in both directions, and a flag per
// direction saying whether cars may drive it. Loaders (OSM, OGR edge layers) fill this; the
// builder contracts it and writes the network file.
#include <cstdint>
#include <string>
#include <vector>

namespace placedist::geo::roads {

inline constexpr double kFixedPerDegree = 1e7;

struct FixedPoint {
  std::int32_t lon = 0;  // degrees * 1e7, WGS84
  std::int32_t lat = 0;
  friend bool operator==(const FixedPoint&, const FixedPoint&) = default;
};

inline FixedPoint to_fixed(double lon, double lat) {
  auto r = [](double v) { return static_cast<std::int32_t>(v * kFixedPerDegree + (v >= 0 ? 0.5 : -0.5)); };
  return {r(lon), r(lat)};
}

enum EdgeFlags : std::uint8_t {
  kForward = 1,   // cars may drive from a to b
  kBackward = 2,  // cars may drive from b to a
  kFerry = 4,     // a car ferry crossing: routed over, never snapped to
};

struct RoadEdge {
  std::uint32_t a = 0;        // node index
  std::uint32_t b = 0;        // node index
  std::uint32_t dist_dm = 0;  // length along the polyline, decimetres
  std::uint32_t time_ms = 0;  // drive time at the profile speed, milliseconds
  std::uint8_t flags = 0;     // EdgeFlags
  // Written raw into network files: named and zeroed so that no stack bytes reach the file
  // and two builds of the same input give the same bytes.
  std::uint8_t unused[3] = {};
};

// A directed edge: edge * 2 for driving a->b, edge * 2 + 1 for b->a.
inline std::uint32_t code_head(const RoadEdge& e, std::uint32_t code) { return (code & 1) ? e.a : e.b; }
inline std::uint32_t code_tail(const RoadEdge& e, std::uint32_t code) { return (code & 1) ? e.b : e.a; }

// A turn restriction at a junction: arriving by directed edge `from_code`, a car may not leave
// by `to_code` (only = 0), or may leave only by `to_code` (only = 1).
struct TurnRestriction {
  std::uint32_t from_code = 0;
  std::uint32_t to_code = 0;
  std::uint32_t only = 0;
  friend bool operator==(const TurnRestriction&, const TurnRestriction&) = default;
};

struct RoadEdges {
  std::vector<FixedPoint> nodes;
  std::vector<RoadEdge> edges;
  // Polyline of edge e: points[first_point[e] .. first_point[e+1]), from node a to node b
  // (endpoints included). first_point has edges.size() + 1 entries.
  std::vector<std::uint32_t> first_point{0};
  std::vector<FixedPoint> points;
  std::vector<TurnRestriction> restrictions;
  std::string source;   // what was read: file names and their timestamps
  std::string profile;  // how speeds and access were derived

  // Appends an edge with its polyline (first and last points are the nodes' positions).
  void add_edge(const RoadEdge& e, const std::vector<FixedPoint>& polyline) {
    edges.push_back(e);
    points.insert(points.end(), polyline.begin(), polyline.end());
    first_point.push_back(static_cast<std::uint32_t>(points.size()));
  }
};

// Great-circle length in metres of a polyline (haversine, mean Earth radius 6371008.8 m);
// good to a few parts in a thousand against the ellipsoid, far below road-length noise.
double polyline_metres(const FixedPoint* first, const FixedPoint* last);
double haversine_metres(FixedPoint a, FixedPoint b);

// Time in milliseconds to drive dist_m metres at speed_kmh; 0 when the speed is not positive.
std::uint32_t drive_time_ms(double dist_m, double speed_kmh);

}  // namespace placedist::geo::roads
