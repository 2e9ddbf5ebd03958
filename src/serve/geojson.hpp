#pragma once
// GeoJSON (RFC 7946: WGS84 lon/lat, 6 decimals, exterior rings counter-clockwise) for answers
// built as nlohmann::json documents, through the one geometry writer (geo/io/geojson_geometry);
// British National Grid (EPSG:27700) polygons of shapes/ are converted through geo/crs.
#include <nlohmann/json.hpp>

#include "geo/crs.hpp"
#include "geo/lonlat_polygon.hpp"
#include "shapes/polygons.hpp"
#include "src/analysis/road_zone.hpp"

namespace placedist::serve {

// A MultiPolygon geometry object.
nlohmann::json multipolygon_geometry(const shapes::MultiPolygon& polygons, const geo::BngTransformer& crs);
nlohmann::json point_geometry(geo::LonLat position);

// A Feature of a road zone (src/analysis/road_zone.hpp): `properties` plus area_km2 (to
// 0.001 km²); no polygon gives an empty MultiPolygon and area 0.
nlohmann::json zone_feature(const analysis::RoadZone& zone, nlohmann::json properties);

// The BngTransformer of the calling thread (PROJ contexts are per thread).
const geo::BngTransformer& thread_crs();

}  // namespace placedist::serve
