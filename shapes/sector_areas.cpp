#include "shapes/sector_areas.hpp"

#include <geos_c.h>

#include <algorithm>
#include <map>
#include <memory>
#include <stdexcept>

#include "geo/detail/geos_context.hpp"
#include "shapes/detail/geos_util.hpp"

namespace placedist::shapes {
namespace {

struct GeomDeleter {
  GEOSContextHandle_t ctx;
  void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(ctx, g); }
};
using Geom = std::unique_ptr<GEOSGeometry, GeomDeleter>;

// Every council of `land` read into this context, as one polygonal geometry.
Geom land_union(GEOSContextHandle_t ctx, const Boundaries& land) {
  GEOSWKBReader* reader = GEOSWKBReader_create_r(ctx);
  std::vector<GEOSGeometry*> parts;
  for (std::size_t i = 0; i < land.size(); ++i) {
    const std::vector<std::uint8_t> wkb = land.wkb(i);
    if (GEOSGeometry* g = GEOSWKBReader_read_r(ctx, reader, wkb.data(), wkb.size())) parts.push_back(g);
  }
  GEOSWKBReader_destroy_r(ctx, reader);
  GEOSGeometry* all = GEOSGeom_createCollection_r(ctx, GEOS_GEOMETRYCOLLECTION, parts.data(),
                                                  static_cast<unsigned>(parts.size()));
  Geom all_owned(all, {ctx});
  GEOSGeometry* u = GEOSUnaryUnion_r(ctx, all);
  if (!u) throw std::runtime_error("sector areas: the union of the council polygons failed");
  return Geom(u, {ctx});
}

GEOSGeometry* ring_of(GEOSContextHandle_t ctx, const std::vector<geo::GridRef>& ring) {
  std::vector<double> xy;
  xy.reserve(ring.size() * 2);
  for (const geo::GridRef& g : ring) xy.push_back(g.easting), xy.push_back(g.northing);
  GEOSCoordSequence* seq = GEOSCoordSeq_copyFromBuffer_r(ctx, xy.data(), static_cast<unsigned>(ring.size()), 0, 0);
  return seq ? GEOSGeom_createLinearRing_r(ctx, seq) : nullptr;
}

// A MultiPolygon in this context; null when a ring is degenerate.
GEOSGeometry* to_geos(GEOSContextHandle_t ctx, const MultiPolygon& area) {
  std::vector<GEOSGeometry*> polygons;
  for (const Polygon& p : area) {
    if (p.rings.empty()) continue;
    GEOSGeometry* shell = ring_of(ctx, p.rings.front());
    std::vector<GEOSGeometry*> holes;
    for (std::size_t r = 1; r < p.rings.size(); ++r)
      if (GEOSGeometry* h = ring_of(ctx, p.rings[r])) holes.push_back(h);
    if (!shell) {
      for (GEOSGeometry* h : holes) GEOSGeom_destroy_r(ctx, h);
      continue;
    }
    polygons.push_back(GEOSGeom_createPolygon_r(ctx, shell, holes.data(), static_cast<unsigned>(holes.size())));
  }
  return GEOSGeom_createCollection_r(ctx, GEOS_MULTIPOLYGON, polygons.data(), static_cast<unsigned>(polygons.size()));
}

}  // namespace

MultiPolygon simplified_area(const MultiPolygon& area, double tolerance_m) {
  geo::detail::GeosContext context;
  GEOSContextHandle_t ctx = context.get();
  Geom whole(to_geos(ctx, area), {ctx});
  if (!whole) return area;
  Geom simple(GEOSTopologyPreserveSimplify_r(ctx, whole.get(), tolerance_m), {ctx});
  if (!simple || GEOSisValid_r(ctx, simple.get()) != 1) return area;
  return detail::to_multipolygon(ctx, simple.get());
}

std::vector<SectorArea> build_sector_areas(std::span<const SectorPoint> units, const Boundaries& land) {
  geo::detail::GeosContext context;
  GEOSContextHandle_t ctx = context.get();

  // One point per position (Voronoi merges coincident points): the first unit's sector.
  std::vector<std::size_t> order(units.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return units[a].at.easting != units[b].at.easting ? units[a].at.easting < units[b].at.easting
                                                      : units[a].at.northing < units[b].at.northing;
  });
  std::vector<std::size_t> kept;
  for (std::size_t i : order)
    if (kept.empty() || !(units[kept.back()].at == units[i].at)) kept.push_back(i);
  if (kept.empty()) return {};

  std::vector<GEOSGeometry*> points;
  points.reserve(kept.size());
  for (std::size_t i : kept) points.push_back(GEOSGeom_createPointFromXY_r(ctx, units[i].at.easting, units[i].at.northing));
  // The tree holds the points (owned by the multipoint); items are indexes into `kept`.
  GEOSSTRtree* tree = GEOSSTRtree_create_r(ctx, 10);
  for (std::size_t k = 0; k < points.size(); ++k)
    GEOSSTRtree_insert_r(ctx, tree, points[k], reinterpret_cast<void*>(k));
  Geom multipoint(GEOSGeom_createCollection_r(ctx, GEOS_MULTIPOINT, points.data(), static_cast<unsigned>(points.size())),
                  {ctx});

  Geom land_all = land_union(ctx, land);
  Geom frame(GEOSEnvelope_r(ctx, land_all.get()), {ctx});
  Geom cells(GEOSVoronoiDiagram_r(ctx, multipoint.get(), frame.get(), 0.0, 0), {ctx});
  if (!cells) {
    GEOSSTRtree_destroy_r(ctx, tree);
    throw std::runtime_error("sector areas: the Voronoi diagram failed");
  }

  // Each cell holds exactly one point: find it through the tree (GEOS does not keep the order).
  std::map<std::string, std::vector<const GEOSGeometry*>> by_sector;
  const int n = GEOSGetNumGeometries_r(ctx, cells.get());
  struct Query {
    GEOSContextHandle_t ctx;
    const GEOSGeometry* cell;
    const std::vector<GEOSGeometry*>* points;
    std::ptrdiff_t found = -1;
  };
  for (int c = 0; c < n; ++c) {
    const GEOSGeometry* cell = GEOSGetGeometryN_r(ctx, cells.get(), c);
    Query q{ctx, cell, &points};
    GEOSSTRtree_query_r(
        ctx, tree, cell,
        [](void* item, void* data) {
          auto* q = static_cast<Query*>(data);
          const auto k = reinterpret_cast<std::size_t>(item);
          if (q->found < 0 && GEOSIntersects_r(q->ctx, q->cell, (*q->points)[k]) == 1)
            q->found = static_cast<std::ptrdiff_t>(k);
        },
        &q);
    if (q.found >= 0) by_sector[units[kept[static_cast<std::size_t>(q.found)]].sector].push_back(cell);
  }
  GEOSSTRtree_destroy_r(ctx, tree);

  const GEOSPreparedGeometry* land_prepared = GEOSPrepare_r(ctx, land_all.get());
  std::vector<SectorArea> out;
  out.reserve(by_sector.size());
  for (auto& [sector, parts] : by_sector) {
    // The cells are a coverage (they share edges exactly): the coverage union is exact and fast.
    std::vector<GEOSGeometry*> clones;
    for (const GEOSGeometry* p : parts) clones.push_back(GEOSGeom_clone_r(ctx, p));
    Geom group(GEOSGeom_createCollection_r(ctx, GEOS_GEOMETRYCOLLECTION, clones.data(),
                                           static_cast<unsigned>(clones.size())),
               {ctx});
    GEOSGeometry* merged = GEOSCoverageUnion_r(ctx, group.get());
    if (!merged) merged = GEOSUnaryUnion_r(ctx, group.get());
    if (!merged) continue;
    Geom area(merged, {ctx});
    if (GEOSPreparedContains_r(ctx, land_prepared, area.get()) != 1) {
      GEOSGeometry* clipped = GEOSIntersection_r(ctx, area.get(), land_all.get());
      if (!clipped) continue;
      area.reset(detail::polygonal_part(ctx, clipped));
      if (!area || GEOSisEmpty_r(ctx, area.get()) == 1) continue;
    }
    SectorArea s;
    s.sector = sector;
    s.polygons = detail::to_multipolygon(ctx, area.get());
    GEOSArea_r(ctx, area.get(), &s.area_m2);
    out.push_back(std::move(s));
  }
  GEOSPreparedGeom_destroy_r(ctx, land_prepared);
  return out;
}

}  // namespace placedist::shapes
