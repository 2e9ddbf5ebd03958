// GEOS helpers (see geos_util.hpp).
#include "shapes/detail/geos_util.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <unordered_map>

#include "shapes/detail/boundaries_impl.hpp"

using namespace placedist::geo;

namespace placedist::shapes::detail {
namespace {

std::vector<GridRef> ring_points(GEOSContextHandle_t ctx, const GEOSGeometry* ring) {
  std::vector<GridRef> out;
  const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx, ring);
  unsigned int n = 0;
  if (!seq || !GEOSCoordSeq_getSize_r(ctx, seq, &n) || n == 0) return out;
  std::vector<double> xy(2 * static_cast<std::size_t>(n));
  GEOSCoordSeq_copyToBuffer_r(ctx, seq, xy.data(), 0, 0);
  out.reserve(n);
  for (unsigned int i = 0; i < n; ++i) out.push_back({xy[2 * i], xy[2 * i + 1]});
  return out;
}

// Twice the signed area: positive when counter-clockwise.
double signed_area2(const std::vector<GridRef>& r) {
  double a = 0;
  for (std::size_t i = 0; i + 1 < r.size(); ++i)
    a += r[i].easting * r[i + 1].northing - r[i + 1].easting * r[i].northing;
  return a;
}

template <typename F>
void for_each_polygon(GEOSContextHandle_t ctx, const GEOSGeometry* g, F&& f) {
  const int type = GEOSGeomTypeId_r(ctx, g);
  if (type == GEOS_POLYGON) {
    f(g);
  } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
    const int n = GEOSGetNumGeometries_r(ctx, g);
    for (int i = 0; i < n; ++i) for_each_polygon(ctx, GEOSGetGeometryN_r(ctx, g, i), f);
  }
}

void ignore_item(void*, void*) {}

// GEOS may cache envelopes on first use; compute every one now so that later concurrent
// readers (zones, locators in several threads) never write to a shared geometry.
void force_envelopes(GEOSContextHandle_t ctx, const GEOSGeometry* g) {
  double v = 0;
  GEOSGeom_getXMin_r(ctx, g, &v);
  const int type = GEOSGeomTypeId_r(ctx, g);
  if (type == GEOS_POLYGON) {
    force_envelopes(ctx, GEOSGetExteriorRing_r(ctx, g));
    for (int h = 0; h < GEOSGetNumInteriorRings_r(ctx, g); ++h) force_envelopes(ctx, GEOSGetInteriorRingN_r(ctx, g, h));
  } else if (type == GEOS_MULTIPOLYGON || type == GEOS_MULTILINESTRING || type == GEOS_GEOMETRYCOLLECTION) {
    for (int i = 0; i < GEOSGetNumGeometries_r(ctx, g); ++i) force_envelopes(ctx, GEOSGetGeometryN_r(ctx, g, i));
  }
}

}  // namespace

MultiPolygon to_multipolygon(GEOSContextHandle_t ctx, const GEOSGeometry* g) {
  MultiPolygon out;
  for_each_polygon(ctx, g, [&](const GEOSGeometry* poly) {
    Polygon p;
    auto shell = ring_points(ctx, GEOSGetExteriorRing_r(ctx, poly));
    if (shell.empty()) return;
    if (signed_area2(shell) < 0) std::reverse(shell.begin(), shell.end());
    p.rings.push_back(std::move(shell));
    const int holes = GEOSGetNumInteriorRings_r(ctx, poly);
    for (int h = 0; h < holes; ++h) {
      auto hole = ring_points(ctx, GEOSGetInteriorRingN_r(ctx, poly, h));
      if (hole.empty()) continue;
      if (signed_area2(hole) > 0) std::reverse(hole.begin(), hole.end());
      p.rings.push_back(std::move(hole));
    }
    out.push_back(std::move(p));
  });
  return out;
}

Rings to_rings(GEOSContextHandle_t ctx, const GEOSGeometry* g) {
  Rings out;
  for_each_polygon(ctx, g, [&](const GEOSGeometry* poly) {
    out.push_back(ring_points(ctx, GEOSGetExteriorRing_r(ctx, poly)));
    const int holes = GEOSGetNumInteriorRings_r(ctx, poly);
    for (int h = 0; h < holes; ++h) out.push_back(ring_points(ctx, GEOSGetInteriorRingN_r(ctx, poly, h)));
  });
  return out;
}

std::vector<std::uint8_t> to_wkb(GEOSContextHandle_t ctx, const GEOSGeometry* g) {
  GEOSWKBWriter* writer = GEOSWKBWriter_create_r(ctx);
  GEOSWKBWriter_setOutputDimension_r(ctx, writer, 2);
  GEOSWKBWriter_setByteOrder_r(ctx, writer, GEOS_WKB_NDR);
  GEOSWKBWriter_setFlavor_r(ctx, writer, GEOS_WKB_ISO);
  std::size_t size = 0;
  unsigned char* bytes = GEOSWKBWriter_write_r(ctx, writer, g, &size);
  std::vector<std::uint8_t> out(bytes, bytes + (bytes ? size : 0));
  if (bytes) GEOSFree_r(ctx, bytes);
  GEOSWKBWriter_destroy_r(ctx, writer);
  return out;
}

GEOSGeometry* polygonal_part(GEOSContextHandle_t ctx, GEOSGeometry* g) {
  if (!g) return nullptr;
  const int type = GEOSGeomTypeId_r(ctx, g);
  if (type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON) return g;
  std::vector<GEOSGeometry*> parts;
  for_each_polygon(ctx, g, [&](const GEOSGeometry* p) { parts.push_back(GEOSGeom_clone_r(ctx, p)); });
  GEOSGeom_destroy_r(ctx, g);
  return GEOSGeom_createCollection_r(ctx, GEOS_MULTIPOLYGON, parts.data(), static_cast<unsigned>(parts.size()));
}

void build_geometries(Boundaries::Impl& impl, std::size_t count,
                      const std::function<FeatureView(std::size_t)>& feature) {
  GEOSContextHandle_t ctx = impl.geos;
  GEOSWKBReader* reader = GEOSWKBReader_create_r(ctx);
  std::vector<std::vector<GEOSGeometry*>> parts;  // per council
  for (std::size_t i = 0; i < count; ++i) {
    const FeatureView f = feature(i);
    GEOSGeometry* g = GEOSWKBReader_read_r(ctx, reader, f.wkb.data(), f.wkb.size());
    if (!g) {
      ++impl.skipped;
      continue;
    }
    if (GEOSisValid_r(ctx, g) != 1) {
      GEOSGeometry* valid = GEOSMakeValid_r(ctx, g);
      GEOSGeom_destroy_r(ctx, g);
      g = polygonal_part(ctx, valid);
      ++impl.repaired;
      if (!g || GEOSisEmpty_r(ctx, g)) {
        if (g) GEOSGeom_destroy_r(ctx, g);
        ++impl.skipped;
        continue;
      }
    }
    auto [it, added] = impl.by_code.emplace(std::string(f.code), impl.councils.size());
    if (added) {
      impl.councils.push_back({std::string(f.code), std::string(f.name)});
      parts.emplace_back();
    }
    parts[it->second].push_back(g);
  }
  GEOSWKBReader_destroy_r(ctx, reader);

  const double tol = impl.tolerance_m;
  impl.tree = GEOSSTRtree_create_r(ctx, 10);
  for (std::size_t k = 0; k < parts.size(); ++k) {
    GEOSGeometry* g = nullptr;
    if (parts[k].size() == 1) {
      g = parts[k][0];
    } else {  // several features with one code: merge them
      GEOSGeometry* all = GEOSGeom_createCollection_r(ctx, GEOS_GEOMETRYCOLLECTION, parts[k].data(),
                                                      static_cast<unsigned>(parts[k].size()));
      g = polygonal_part(ctx, GEOSUnaryUnion_r(ctx, all));
      GEOSGeom_destroy_r(ctx, all);
      if (!g)
        throw std::runtime_error("GEOS could not merge the polygons of " + impl.councils[k].code + ": " +
                                 geo::detail::last_geos_error());
    }
    impl.polygons.push_back(g);
    impl.edges.push_back(GEOSBoundary_r(ctx, g));
    impl.prepared.push_back(GEOSPrepare_r(ctx, g));
    impl.prepared_edges.push_back(GEOSPrepare_r(ctx, impl.edges.back()));

    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    GEOSGeom_getXMin_r(ctx, g, &x0);
    GEOSGeom_getYMin_r(ctx, g, &y0);
    GEOSGeom_getXMax_r(ctx, g, &x1);
    GEOSGeom_getYMax_r(ctx, g, &y1);
    impl.envelopes.push_back(GEOSGeom_createRectangle_r(ctx, x0 - tol, y0 - tol, x1 + tol, y1 + tol));
    GEOSSTRtree_insert_r(ctx, impl.tree, impl.envelopes.back(), reinterpret_cast<void*>(k));

    // Prepared geometries build their indexes on first use, without a lock: use each once
    // here, with a point inside the envelope so that the envelope short-cut does not skip it.
    GEOSGeometry* probe = GEOSGeom_createPointFromXY_r(ctx, (x0 + x1) / 2, (y0 + y1) / 2);
    GEOSPreparedContains_r(ctx, impl.prepared.back(), probe);
    GEOSPreparedIntersects_r(ctx, impl.prepared.back(), probe);
    GEOSPreparedIntersects_r(ctx, impl.prepared_edges.back(), probe);
    GEOSPreparedDistanceWithin_r(ctx, impl.prepared_edges.back(), probe, tol);
    GEOSGeom_destroy_r(ctx, probe);

    force_envelopes(ctx, g);
    force_envelopes(ctx, impl.edges.back());
    impl.rings.push_back(to_rings(ctx, g));
  }
  // The STR tree is built on the first query: do one now.
  GEOSGeometry* probe = GEOSGeom_createPointFromXY_r(ctx, 0, 0);
  GEOSSTRtree_query_r(ctx, impl.tree, probe, ignore_item, nullptr);
  GEOSGeom_destroy_r(ctx, probe);

  impl.grid = GridLocator(impl.rings, tol);
}

}  // namespace placedist::shapes::detail
