// 20-mile zones through GEOS buffers (see zones.hpp).
#include "shapes/zones.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "geo/detail/geos_context.hpp"
#include "shapes/boundaries.hpp"
#include "shapes/detail/boundaries_impl.hpp"
#include "shapes/detail/geos_util.hpp"

using namespace placedist::geo;

namespace placedist::shapes {
namespace {

GEOSGeometry* buffer(GEOSContextHandle_t ctx, const GEOSGeometry* g, const ZoneOptions& options) {
  GEOSBufferParams* params = GEOSBufferParams_create_r(ctx);
  GEOSBufferParams_setQuadrantSegments_r(ctx, params, options.quadrant_segments);
  GEOSGeometry* out = GEOSBufferWithParams_r(ctx, g, params, options.radius_m);
  GEOSBufferParams_destroy_r(ctx, params);
  if (!out) throw std::runtime_error("GEOS buffer failed: " + geo::detail::last_geos_error());
  return out;
}

Zone to_zone(GEOSContextHandle_t ctx, GEOSGeometry* g) {
  g = detail::polygonal_part(ctx, g);  // keeps polygons; takes ownership
  Zone zone;
  if (!g) return zone;
  // Always hand out a MultiPolygon, so that writers see one geometry type.
  if (GEOSGeomTypeId_r(ctx, g) == GEOS_POLYGON) {
    GEOSGeometry* parts[1] = {g};
    g = GEOSGeom_createCollection_r(ctx, GEOS_MULTIPOLYGON, parts, 1);
  }
  zone.polygons = detail::to_multipolygon(ctx, g);
  zone.wkb = detail::to_wkb(ctx, g);
  GEOSArea_r(ctx, g, &zone.area_m2);
  GEOSGeom_destroy_r(ctx, g);
  return zone;
}

}  // namespace

Zone buffer_council(const Boundaries& boundaries, std::size_t council, const ZoneOptions& options) {
  const Boundaries::Impl& impl = boundaries.impl();
  if (council >= impl.polygons.size()) throw std::out_of_range("buffer_council: no council " + std::to_string(council));
  geo::detail::GeosContext ctx;
  return to_zone(ctx.get(), buffer(ctx.get(), impl.polygons[council], options));
}

Zone union_of_circles(std::span<const GridRef> centres, const ZoneOptions& options) {
  geo::detail::GeosContext ctx;
  // Homes often share a postcode (or a sector centroid): one circle each.
  std::vector<GridRef> unique;
  unique.reserve(centres.size());
  for (GridRef c : centres)
    if (std::isfinite(c.easting) && std::isfinite(c.northing)) unique.push_back(c);
  std::sort(unique.begin(), unique.end(), [](GridRef a, GridRef b) {
    return a.easting != b.easting ? a.easting < b.easting : a.northing < b.northing;
  });
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  if (unique.empty()) return {};
  // One circle per home, then a cascaded unary union. (Buffering the MultiPoint in one call
  // is far slower: GEOS nodes all the circles' edges at once.)
  std::vector<GEOSGeometry*> circles;
  circles.reserve(unique.size());
  for (GridRef c : unique) {
    GEOSGeometry* point = GEOSGeom_createPointFromXY_r(ctx.get(), c.easting, c.northing);
    circles.push_back(buffer(ctx.get(), point, options));
    GEOSGeom_destroy_r(ctx.get(), point);
  }
  GEOSGeometry* all = GEOSGeom_createCollection_r(ctx.get(), GEOS_GEOMETRYCOLLECTION, circles.data(),
                                                  static_cast<unsigned>(circles.size()));
  GEOSGeometry* zone = GEOSUnaryUnion_r(ctx.get(), all);
  GEOSGeom_destroy_r(ctx.get(), all);
  if (!zone) throw std::runtime_error("GEOS union of circles failed: " + geo::detail::last_geos_error());
  return to_zone(ctx.get(), zone);
}

}  // namespace placedist::shapes
