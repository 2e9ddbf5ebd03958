#include "src/serve/geojson.hpp"

#include <vector>

#include "geo/io/geojson_geometry.hpp"
#include "geo/io/number_text.hpp"

using namespace placedist::geo;
using namespace placedist::shapes;

namespace placedist::serve {

nlohmann::json multipolygon_geometry(const MultiPolygon& polygons, const BngTransformer& crs) {
  LonLatMultiPolygon out;
  out.reserve(polygons.size());
  for (const Polygon& polygon : polygons) {
    LonLatPolygon& rings = out.emplace_back();
    for (const auto& ring : polygon.rings) crs.to_wgs84_or_helmert(ring, rings.emplace_back(ring.size()));
  }
  return geojson_multipolygon(out);
}

nlohmann::json point_geometry(LonLat position) { return geojson_point(position); }

nlohmann::json zone_feature(const analysis::RoadZone& zone, nlohmann::json properties) {
  properties["area_km2"] = round_to(zone.area_m2 / 1e6, 3);
  return {{"type", "Feature"}, {"properties", std::move(properties)}, {"geometry", geojson_multipolygon(zone.polygon)}};
}

const BngTransformer& thread_crs() {
  thread_local BngTransformer crs;
  return crs;
}

}  // namespace placedist::serve
