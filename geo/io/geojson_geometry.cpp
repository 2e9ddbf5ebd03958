#include "geo/io/geojson_geometry.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "geo/io/number_text.hpp"

namespace placedist::geo {
namespace {

LonLat rounded(LonLat p) { return {round_to(p.lon, kGeoJsonDecimals), round_to(p.lat, kGeoJsonDecimals)}; }

// A polygon's rings as RFC 7946 wants them: closed, rounded, exterior counter-clockwise, holes
// clockwise. Orientation is judged after rounding, on what is written.
LonLatPolygon rfc7946_rings(const LonLatPolygon& polygon) {
  LonLatPolygon out;
  out.reserve(polygon.size());
  for (std::size_t r = 0; r < polygon.size(); ++r) {
    LonLatRing ring(polygon[r].size());
    std::transform(polygon[r].begin(), polygon[r].end(), ring.begin(), rounded);
    if (!ring.empty() && ring.front() != ring.back()) ring.push_back(ring.front());
    const bool counter_clockwise = twice_signed_area_degrees(ring) > 0;
    if (counter_clockwise != (r == 0)) std::reverse(ring.begin(), ring.end());
    out.push_back(std::move(ring));
  }
  return out;
}

void append_position(std::string& out, LonLat p) {
  out.push_back('[');
  append_trimmed(out, p.lon, kGeoJsonDecimals);
  out += ", ";
  append_trimmed(out, p.lat, kGeoJsonDecimals);
  out.push_back(']');
}

void append_positions(std::string& out, std::span<const LonLat> points) {
  out += "[ ";
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (i) out += ", ";
    append_position(out, points[i]);
  }
  out += " ]";
}

nlohmann::json position_json(LonLat p) {
  p = rounded(p);
  return nlohmann::json::array({p.lon, p.lat});
}

}  // namespace

void append_geojson_point(std::string& out, LonLat position) {
  out += "{ \"type\": \"Point\", \"coordinates\": ";
  append_position(out, position);
  out += " }";
}

void append_geojson_line_string(std::string& out, std::span<const LonLat> line) {
  out += "{ \"type\": \"LineString\", \"coordinates\": ";
  append_positions(out, line);
  out += " }";
}

void append_geojson_multipolygon(std::string& out, const LonLatMultiPolygon& polygons) {
  out += "{ \"type\": \"MultiPolygon\", \"coordinates\": [ ";
  for (std::size_t p = 0; p < polygons.size(); ++p) {
    if (p) out += ", ";
    out += "[ ";
    const LonLatPolygon rings = rfc7946_rings(polygons[p]);
    for (std::size_t r = 0; r < rings.size(); ++r) {
      if (r) out += ", ";
      append_positions(out, rings[r]);
    }
    out += " ]";
  }
  out += " ] }";
}

nlohmann::json geojson_point(LonLat position) { return {{"type", "Point"}, {"coordinates", position_json(position)}}; }

nlohmann::json geojson_multipolygon(const LonLatMultiPolygon& polygons) {
  nlohmann::json coordinates = nlohmann::json::array();
  for (const LonLatPolygon& polygon : polygons) {
    nlohmann::json rings = nlohmann::json::array();
    for (const LonLatRing& ring : rfc7946_rings(polygon)) {
      nlohmann::json points = nlohmann::json::array();
      for (LonLat p : ring) points.push_back(nlohmann::json::array({p.lon, p.lat}));
      rings.push_back(std::move(points));
    }
    coordinates.push_back(std::move(rings));
  }
  return {{"type", "MultiPolygon"}, {"coordinates", std::move(coordinates)}};
}

}  // namespace placedist::geo
