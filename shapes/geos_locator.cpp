// Point location through GEOS (see geos_locator.hpp), mirroring the rules of locate.hpp.
#include "shapes/geos_locator.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "geo/detail/geos_context.hpp"
#include "shapes/boundaries.hpp"
#include "shapes/detail/boundaries_impl.hpp"
#include "shapes/detail/geos_util.hpp"

using namespace placedist::geo;

namespace placedist::shapes {

const char* to_string(GeosMethod method) { return method == GeosMethod::prepared ? "prepared" : "simple"; }

struct GeosLocator::Impl {
  const Boundaries::Impl* boundaries;
  GeosMethod method;
  geo::detail::GeosContext context;  // the locator's own: one per thread
  GEOSContextHandle_t ctx = context.get();
  std::vector<std::uint32_t> candidates;

  Impl(const Boundaries::Impl* b, GeosMethod m) : boundaries(b), method(m) {}
};

namespace {
void collect(void* item, void* out) {
  static_cast<std::vector<std::uint32_t>*>(out)->push_back(
      static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(item)));
}
}  // namespace

GeosLocator::GeosLocator(const Boundaries& boundaries, GeosMethod method)
    : m_impl(std::make_unique<Impl>(&boundaries.impl(), method)) {}
GeosLocator::~GeosLocator() = default;
GeosLocator::GeosLocator(GeosLocator&&) noexcept = default;
GeosLocator& GeosLocator::operator=(GeosLocator&&) noexcept = default;

LocateResult GeosLocator::locate(GridRef point) {
  Impl& m = *m_impl;
  const Boundaries::Impl& b = *m.boundaries;
  LocateResult out;
  GEOSGeometry* pt = GEOSGeom_createPointFromXY_r(m.ctx, point.easting, point.northing);
  if (!pt) return out;
  m.candidates.clear();
  GEOSSTRtree_query_r(m.ctx, b.tree, pt, collect, &m.candidates);
  std::sort(m.candidates.begin(), m.candidates.end());  // lowest index wins, as in locate()
  const double tol = b.tolerance_m;
  std::int32_t inside_council = -1, near_council = -1;
  for (std::uint32_t k : m.candidates) {
    bool inside = false, near = false;
    if (m.method == GeosMethod::prepared) {
      inside = GEOSPreparedIntersects_r(m.ctx, b.prepared[k], pt) == 1;
      near = tol > 0 ? GEOSPreparedDistanceWithin_r(m.ctx, b.prepared_edges[k], pt, tol) == 1
                     : GEOSPreparedIntersects_r(m.ctx, b.prepared_edges[k], pt) == 1;
    } else {
      inside = GEOSIntersects_r(m.ctx, b.polygons[k], pt) == 1;
      near = tol > 0 ? GEOSDistanceWithin_r(m.ctx, b.edges[k], pt, tol) == 1
                     : GEOSIntersects_r(m.ctx, b.edges[k], pt) == 1;
    }
    if (inside && inside_council < 0) inside_council = static_cast<std::int32_t>(k);
    if (near && near_council < 0) near_council = static_cast<std::int32_t>(k);
  }
  GEOSGeom_destroy_r(m.ctx, pt);
  if (near_council >= 0) {
    out.council = inside_council >= 0 ? inside_council : near_council;
    out.where = Where::boundary;
  } else if (inside_council >= 0) {
    out.council = inside_council;
    out.where = Where::inside;
  }
  if (out.council >= 0) {
    const BoundaryCouncil& c = b.councils[static_cast<std::size_t>(out.council)];
    out.code = c.code;
    out.name = c.name;
  }
  return out;
}

}  // namespace placedist::shapes
