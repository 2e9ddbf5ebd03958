#pragma once
// The road network's extent: where routes can start and end, as a polygon to draw under the road
// zones, so that a map shows where "not routed" comes from (a county network ends at the county
// edge). Grid cells (cell_m square, reach_polygon.hpp's ReachArea) crossed by the snappable
// edges (those in a large enough connected component, as snapping uses), grown by one cell,
// outlined, and holes smaller than min_hole_km2 filled (fields and woods between roads are not
// "outside the network"). WGS84 degrees, to 6 places; areas km².
#include "geo/lonlat_polygon.hpp"

namespace placedist::geo::roads {

class RoadNetwork;

struct NetworkExtentOptions {
  double cell_m = 1000;      // coarse: an extent, not a zone
  double min_hole_km2 = 25;  // holes smaller than this are filled
};

// Computed from every snappable edge (a second or so for a county, more for Great Britain):
// build it once per loaded network and keep it. None for a network without edges.
LonLatMultiPolygon network_extent(const RoadNetwork& network, const NetworkExtentOptions& options = {});

// Removes the holes of `polygons` whose area (local plane about each hole) is below min_hole_m2;
// returns how many were removed. For zones drawn from grid cells, whose pin-holes are fields.
std::size_t fill_holes_below(LonLatMultiPolygon& polygons, double min_hole_m2);

}  // namespace placedist::geo::roads
