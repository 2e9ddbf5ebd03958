#pragma once
// The road zone, the one recipe behind the analysis layer zone_20_road_miles, GET /v1/coverage's
// road zone and the councils' road zones: the roads within a limit (shortest routes) of the
// nearest of some points, one multi-source search, as a polygon (geo/roads/reach_polygon.hpp:
// 250 m grid cells crossed by the reached roads, grown by one cell, on a local plane about the
// points' mean), with its area. Holes under kRoadZoneMinHoleKm2 are filled: a field or wood
// enclosed by reached roads is within reach, and pin-holes misread as unreachable places.
// Lon/lat WGS84 degrees; metres.
#include <span>

#include "geo/coords.hpp"
#include "geo/lonlat_polygon.hpp"
#include "geo/roads/road_status.hpp"

namespace placedist::geo::roads {
class RoadQuery;
}

namespace placedist::analysis {

inline constexpr double kRoadZoneMinHoleKm2 = 2;

struct RoadZone {
  geo::roads::RoadStatus status = geo::roads::RoadStatus::outside_network;  // of the search
  geo::LonLatMultiPolygon polygon;                                          // none when no point snapped to the network
  double area_m2 = 0;
};

// Points that are not finite, and repeats, are left out; no points give an empty zone.
RoadZone road_zone(geo::roads::RoadQuery& query, std::span<const geo::LonLat> from, double limit_m);

}  // namespace placedist::analysis
