#pragma once
// GeoJSON (RFC 7946: WGS84 lon/lat, 6 decimals, exterior rings counter-clockwise) from the
// British National Grid (EPSG:27700) polygons of shapes/, converted through geo/crs.
#include <string>

#include <nlohmann/json.hpp>

#include "geo/crs.hpp"
#include "shapes/polygons.hpp"

namespace placedist::serve {

// A MultiPolygon geometry object.
nlohmann::json multipolygon_geometry(const shapes::MultiPolygon& polygons, const geo::BngTransformer& crs);
nlohmann::json point_geometry(geo::LonLat position);

// A MultiPolygon geometry from WKT (MULTI)POLYGON in lon/lat degrees (as geo/roads/reach_polygon
// writes it), rings turned to RFC 7946 orientation; `area_m2` gets its area on a local plane
// (equirectangular about the middle of its extent: under 0.5% error at these sizes). An empty
// string gives an empty MultiPolygon and area 0. Throws std::runtime_error for invalid WKT.
nlohmann::json wkt_multipolygon_geometry(const std::string& wkt, double& area_m2);
// A Feature of that geometry: `properties` plus area_km2 (to 0.001 km²).
nlohmann::json polygon_feature(const std::string& wkt, nlohmann::json properties);

// The BngTransformer of the calling thread (PROJ contexts are per thread).
const geo::BngTransformer& thread_crs();

}  // namespace placedist::serve
