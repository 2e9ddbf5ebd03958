#include "src/serve/geojson.hpp"

#include <geos_c.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <stdexcept>
#include <vector>

using namespace placedist::geo;
using namespace placedist::shapes;

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

namespace {

struct GeosContext {
  GEOSContextHandle_t h = GEOS_init_r();
  ~GeosContext() { GEOS_finish_r(h); }
};

// One ring's points, counter-clockwise when `ccw` (exterior) else clockwise (holes); its
// signed shoelace area in the local plane (k = metres per degree of lon, lat) is added to area.
nlohmann::json ring_json(GEOSContextHandle_t h, const GEOSGeometry* ring, bool ccw, double kx, double ky,
                         double& area) {
  const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, ring);
  unsigned n = 0;
  GEOSCoordSeq_getSize_r(h, seq, &n);
  std::vector<LonLat> points(n);
  for (unsigned i = 0; i < n; ++i) GEOSCoordSeq_getXY_r(h, seq, i, &points[i].lon, &points[i].lat);
  double twice = 0;
  for (unsigned i = 0; i + 1 < n; ++i)
    twice += (points[i].lon * kx) * (points[i + 1].lat * ky) - (points[i + 1].lon * kx) * (points[i].lat * ky);
  if ((twice > 0) != ccw) std::reverse(points.begin(), points.end());
  area += std::abs(twice) / 2 * (ccw ? 1 : -1);
  nlohmann::json out = nlohmann::json::array();
  for (const LonLat& p : points) out.push_back({round6(p.lon), round6(p.lat)});
  return out;
}

}  // namespace

nlohmann::json wkt_multipolygon_geometry(const std::string& wkt, double& area_m2) {
  area_m2 = 0;
  nlohmann::json coordinates = nlohmann::json::array();
  if (wkt.empty()) return {{"type", "MultiPolygon"}, {"coordinates", std::move(coordinates)}};
  GeosContext ctx;
  GEOSWKTReader* reader = GEOSWKTReader_create_r(ctx.h);
  GEOSGeometry* g = GEOSWKTReader_read_r(ctx.h, reader, wkt.c_str());
  GEOSWKTReader_destroy_r(ctx.h, reader);
  if (!g) throw std::runtime_error("the zone is not valid WKT");
  std::unique_ptr<GEOSGeometry, std::function<void(GEOSGeometry*)>> owned(
      g, [&](GEOSGeometry* p) { GEOSGeom_destroy_r(ctx.h, p); });
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  GEOSGeom_getXMin_r(ctx.h, g, &x0);
  GEOSGeom_getXMax_r(ctx.h, g, &x1);
  GEOSGeom_getYMin_r(ctx.h, g, &y0);
  GEOSGeom_getYMax_r(ctx.h, g, &y1);
  constexpr double kMetresPerDegree = 6371008.8 * M_PI / 180.0;
  const double ky = kMetresPerDegree, kx = kMetresPerDegree * std::cos((y0 + y1) / 2 * M_PI / 180);
  const int parts = GEOSGetNumGeometries_r(ctx.h, g);
  for (int i = 0; i < parts; ++i) {
    const GEOSGeometry* polygon = GEOSGetGeometryN_r(ctx.h, g, i);
    if (GEOSGeomTypeId_r(ctx.h, polygon) != GEOS_POLYGON) throw std::runtime_error("the zone holds a non-polygon");
    if (GEOSisEmpty_r(ctx.h, polygon)) continue;
    nlohmann::json rings = nlohmann::json::array();
    rings.push_back(ring_json(ctx.h, GEOSGetExteriorRing_r(ctx.h, polygon), true, kx, ky, area_m2));
    const int holes = GEOSGetNumInteriorRings_r(ctx.h, polygon);
    for (int k = 0; k < holes; ++k)
      rings.push_back(ring_json(ctx.h, GEOSGetInteriorRingN_r(ctx.h, polygon, k), false, kx, ky, area_m2));
    coordinates.push_back(std::move(rings));
  }
  return {{"type", "MultiPolygon"}, {"coordinates", std::move(coordinates)}};
}

const BngTransformer& thread_crs() {
  thread_local BngTransformer crs;
  return crs;
}

nlohmann::json polygon_feature(const std::string& wkt, nlohmann::json properties) {
  double area_m2 = 0;
  nlohmann::json geometry = wkt_multipolygon_geometry(wkt, area_m2);
  properties["area_km2"] = std::round(area_m2 / 1e3) / 1e3;
  return {{"type", "Feature"}, {"properties", std::move(properties)}, {"geometry", std::move(geometry)}};
}

}  // namespace placedist::serve
