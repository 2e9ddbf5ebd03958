#include "src/serve/geojson.hpp"

#include <cmath>

namespace placedist::serve {

namespace {
double round6(double v) { return std::round(v * 1e6) / 1e6; }
}  // namespace

nlohmann::json multipolygon_geometry(const MultiPolygon& polygons, const BngTransformer& crs) {
  nlohmann::json coordinates = nlohmann::json::array();
  for (const Polygon& polygon : polygons) {
    nlohmann::json rings = nlohmann::json::array();
    for (const auto& ring : polygon.rings) {
      std::vector<LonLat> out(ring.size());
      crs.to_wgs84(ring, out);
      nlohmann::json points = nlohmann::json::array();
      for (const LonLat& p : out) points.push_back({round6(p.lon), round6(p.lat)});
      rings.push_back(std::move(points));
    }
    coordinates.push_back(std::move(rings));
  }
  return {{"type", "MultiPolygon"}, {"coordinates", std::move(coordinates)}};
}

nlohmann::json point_geometry(LonLat position) {
  return {{"type", "Point"}, {"coordinates", {round6(position.lon), round6(position.lat)}}};
}

const BngTransformer& thread_crs() {
  thread_local BngTransformer crs;
  return crs;
}

}  // namespace placedist::serve
