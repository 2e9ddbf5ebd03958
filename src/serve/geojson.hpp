#pragma once
// GeoJSON (RFC 7946: WGS84 lon/lat, 6 decimals, exterior rings counter-clockwise) from the
// British National Grid (EPSG:27700) polygons of shapes/, converted through geo/crs.
#include <nlohmann/json.hpp>

#include "geo/crs.hpp"
#include "shapes/polygons.hpp"

namespace placedist::serve {

// A MultiPolygon geometry object.
nlohmann::json multipolygon_geometry(const MultiPolygon& polygons, const BngTransformer& crs);
nlohmann::json point_geometry(LonLat position);

// The BngTransformer of the calling thread (PROJ contexts are per thread).
const BngTransformer& thread_crs();

}  // namespace placedist::serve
