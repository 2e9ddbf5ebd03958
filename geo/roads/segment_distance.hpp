#pragma once
// The snapping metric: the point of a road segment nearest a query point, in the query point's
// local equirectangular plane (metres). Shared by the snapper's index and its brute-force test
// oracle, so that both rank segments by exactly the same arithmetic.
#include <algorithm>

#include "geo/coords.hpp"
#include "geo/roads/road_edges.hpp"

namespace placedist::geo::roads::detail {

struct SegmentOffset {
  double t = 0;         // position along the segment a -> b, 0..1
  double x = 0, y = 0;  // nearest point, metres east / north of the query point
  double d2 = 0;        // its squared distance, m^2
};

// kx, ky: metres per degree of longitude and latitude at the query point (LocalPlane).
inline SegmentOffset segment_offset(FixedPoint a, FixedPoint b, LonLat where, double kx, double ky) {
  double ax = (a.lon / kFixedPerDegree - where.lon) * kx, ay = (a.lat / kFixedPerDegree - where.lat) * ky;
  double bx = (b.lon / kFixedPerDegree - where.lon) * kx, by = (b.lat / kFixedPerDegree - where.lat) * ky;
  double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
  SegmentOffset o;
  o.t = len2 > 0 ? std::clamp(-(ax * dx + ay * dy) / len2, 0.0, 1.0) : 0.0;
  o.x = ax + o.t * dx;
  o.y = ay + o.t * dy;
  o.d2 = o.x * o.x + o.y * o.y;
  return o;
}

}  // namespace placedist::geo::roads::detail
