#pragma once
// Plain polygon value types in British National Grid (EPSG:27700, OSGB36 / Airy 1830),
// metres; no GEOS or GDAL types. Used to hand geometry to writers (GeoJSON, GeoPackage)
// and to geo/crs for conversion to WGS84.
#include <vector>

#include "geo/coords.hpp"

namespace placedist::shapes {

// rings[0] is the exterior ring, any further rings are holes. Rings are closed
// (first point == last point), exterior counter-clockwise and holes clockwise
// (the orientation RFC 7946 asks for; GEOS normalises to this on output).
struct Polygon {
  std::vector<std::vector<geo::GridRef>> rings;
};

using MultiPolygon = std::vector<Polygon>;

}  // namespace placedist::shapes
