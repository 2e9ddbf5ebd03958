#pragma once
// The one GeoJSON geometry writer (RFC 7946): WGS84 positions [lon, lat] to 6 places (about
// 0.1 m), polygon rings closed, exterior rings counter-clockwise and holes clockwise. Text in
// GDAL's layout ({ "type": ..., "coordinates": ... }, as the layers are written) for streams,
// and the same geometry as a nlohmann::json value for answers built as documents.
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>

#include "geo/coords.hpp"
#include "geo/lonlat_polygon.hpp"

namespace placedist::geo {

inline constexpr int kGeoJsonDecimals = 6;

void append_geojson_point(std::string& out, LonLat position);
void append_geojson_line_string(std::string& out, std::span<const LonLat> line);
void append_geojson_multipolygon(std::string& out, const LonLatMultiPolygon& polygons);

nlohmann::json geojson_point(LonLat position);
nlohmann::json geojson_multipolygon(const LonLatMultiPolygon& polygons);

}  // namespace placedist::geo
