#pragma once
// The area reachable by road within a limit (e.g. the road 20-mile zone) as a polygon: grid
// cells (cell_m square) crossed by the reached road pieces (RoadQuery::reach), grown by one cell
// all round, merged by GEOS coverage union and simplified. Cells rather than a buffer of every
// road: a union of tens of thousands of buffered lines takes minutes, the cells milliseconds.
// Input and output in WGS84 degrees; the grid lies in a local plane in metres (equirectangular
// about the pieces' centre; under 0.5% scale error within 50 km).
#include <string>

#include "geo/roads/road_query.hpp"

namespace placedist::roads {

struct ReachPolygonOptions {
  double cell_m = 250;  // grid cell side: the zone reaches one to two cells beyond the roads
};

// WKT (MULTI)POLYGON in lon/lat, or an empty string when nothing was reached.
std::string reach_polygon_wkt(const Reach& reach, const ReachPolygonOptions& options = {});

}  // namespace placedist::roads
