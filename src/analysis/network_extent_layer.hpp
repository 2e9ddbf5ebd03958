#pragma once
// The road network's extent as a GeoJSON Feature (RFC 7946, WGS84 degrees to 6 places): drawn
// under road zones so that the map shows where routing stops (geo/roads/network_extent.hpp).
// Built once per loaded network by whoever serves it, never per request.
#include <string>

namespace placedist::geo::roads {
class RoadNetwork;
}

namespace placedist::analysis {

// A Feature: MultiPolygon geometry; properties area_km2 (0.1 km²), cell_m, min_hole_km2, method,
// source (the files the network was built from).
std::string network_extent_geojson(const geo::roads::RoadNetwork& network);

}  // namespace placedist::analysis
