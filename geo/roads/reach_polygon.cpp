#include "geo/roads/reach_polygon.hpp"

#include <geos_c.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "geo/detail/geos_context.hpp"
#include "geo/io/number_text.hpp"
#include "geo/roads/cell_outline.hpp"

namespace placedist::geo::roads {
namespace {

// A ring of cell corners as a closed GEOS ring in the local plane (metres).
GEOSGeometry* linear_ring(GEOSContextHandle_t h, const std::vector<detail::CellCorner>& corners, double x0, double y0,
                          double cell) {
  const auto n = static_cast<unsigned>(corners.size());
  GEOSCoordSequence* seq = GEOSCoordSeq_create_r(h, n + 1, 2);
  for (unsigned i = 0; i <= n; ++i) {
    const detail::CellCorner& c = corners[i % n];
    GEOSCoordSeq_setXY_r(h, seq, i, x0 + c.x * cell, y0 + c.y * cell);
  }
  return GEOSGeom_createLinearRing_r(h, seq);
}

// A GEOS ring in the local plane as degrees, to 6 places (about 0.1 m, as every output writes them).
LonLatRing degrees(GEOSContextHandle_t h, const GEOSGeometry* ring, const LocalPlane& plane) {
  const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, ring);
  unsigned n = 0;
  GEOSCoordSeq_getSize_r(h, seq, &n);
  LonLatRing out(n);
  for (unsigned i = 0; i < n; ++i) {
    double x = 0, y = 0;
    GEOSCoordSeq_getXY_r(h, seq, i, &x, &y);
    LonLat p = plane.to_lonlat(x, y);
    out[i] = {round_to(p.lon, 6), round_to(p.lat, 6)};
  }
  return out;
}

}  // namespace

LonLatMultiPolygon reach_polygon(const Reach& reach, const ReachPolygonOptions& options) {
  if (reach.status != RoadStatus::ok || reach.pieces.empty()) return {};
  double lon0 = 0, lat0 = 0;
  std::size_t n = 0;
  for (const auto& piece : reach.pieces)
    for (LonLat p : piece) lon0 += p.lon, lat0 += p.lat, ++n;
  if (n == 0) return {};
  ReachArea area({lon0 / n, lat0 / n}, options);
  area.add(reach);
  return area.polygon();
}

ReachArea::ReachArea(LonLat centre, const ReachPolygonOptions& options)
    : m_plane(centre), m_cell(options.cell_m > 0 ? options.cell_m : 250) {}

// Widens the grid to hold cells x0..x1, y0..y1 (inclusive), keeping what is marked.
void ReachArea::cover(std::int64_t x0, std::int64_t y0, std::int64_t x1, std::int64_t y1) {
  if (!m_crossed.empty()) {
    if (x0 >= m_x0 && y0 >= m_y0 && x1 < m_x0 + m_width && y1 < m_y0 + m_height) return;
    x0 = std::min(x0, m_x0), y0 = std::min(y0, m_y0);
    x1 = std::max(x1, m_x0 + m_width - 1), y1 = std::max(y1, m_y0 + m_height - 1);
  }
  // 2^28 cells (256 MB) is Great Britain at 50 m cells: a larger grid is a mistake, not a zone.
  if (x1 - x0 >= (1 << 20) || y1 - y0 >= (1 << 20) || (x1 - x0 + 1) * (y1 - y0 + 1) > (std::int64_t{1} << 28))
    throw std::invalid_argument("the reach is too far from the zone's centre");
  const int width = static_cast<int>(x1 - x0 + 1), height = static_cast<int>(y1 - y0 + 1);
  std::vector<std::uint8_t> cells(static_cast<std::size_t>(width) * height);
  for (int y = 0; y < m_height; ++y)
    std::copy_n(&m_crossed[static_cast<std::size_t>(y) * m_width], m_width,
                &cells[static_cast<std::size_t>(y + m_y0 - y0) * width + (m_x0 - x0)]);
  m_crossed = std::move(cells);
  m_x0 = x0, m_y0 = y0, m_width = width, m_height = height;
}

void ReachArea::mark(double x, double y) {
  auto cx = static_cast<std::int64_t>(std::floor(x / m_cell)), cy = static_cast<std::int64_t>(std::floor(y / m_cell));
  m_crossed[static_cast<std::size_t>(cy - m_y0) * m_width + (cx - m_x0)] = 1;
}

void ReachArea::add(const Reach& reach) {
  if (reach.status != RoadStatus::ok) return;
  const double cell = m_cell;
  // The bounding box first (every sample lies between two points), one spare cell all round.
  double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
  for (const auto& piece : reach.pieces)
    for (LonLat p : piece) {
      double x = m_plane.x(p.lon), y = m_plane.y(p.lat);
      x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x), y1 = std::max(y1, y);
    }
  if (!(x0 <= x1 && y0 <= y1)) return;
  auto index = [cell](double v) { return static_cast<std::int64_t>(std::floor(v / cell)); };
  cover(index(x0) - 1, index(y0) - 1, index(x1) + 1, index(y1) + 1);
  // The cells at each point and at samples every half cell between.
  for (const auto& piece : reach.pieces)
    for (std::size_t i = 0; i < piece.size(); ++i) {
      double x = m_plane.x(piece[i].lon), y = m_plane.y(piece[i].lat);
      mark(x, y);
      if (i + 1 == piece.size()) break;
      double x2 = m_plane.x(piece[i + 1].lon), y2 = m_plane.y(piece[i + 1].lat);
      int steps = static_cast<int>(std::sqrt((x2 - x) * (x2 - x) + (y2 - y) * (y2 - y)) / (cell / 2));
      for (int s = 1; s <= steps; ++s) mark(x + (x2 - x) * s / (steps + 1), y + (y2 - y) * s / (steps + 1));
    }
}

std::vector<std::uint8_t> ReachArea::grown() const { return detail::grow_one_cell(m_crossed, m_width, m_height); }

std::size_t ReachArea::cells() const {
  std::vector<std::uint8_t> g = grown();
  return static_cast<std::size_t>(std::count(g.begin(), g.end(), 1));
}

LonLatMultiPolygon ReachArea::polygon() const {
  std::vector<detail::CellPolygon> outline = detail::cell_outline(grown(), m_width, m_height);
  if (outline.empty()) return {};
  const double cell = m_cell, x0 = m_x0 * cell, y0 = m_y0 * cell;
  GEOSContextHandle_t h = geo::detail::thread_geos_context();
  std::vector<GEOSGeometry*> polygons;
  std::vector<GEOSGeometry*> holes;
  for (const detail::CellPolygon& p : outline) {
    holes.clear();
    for (std::size_t i = 1; i < p.rings.size(); ++i) holes.push_back(linear_ring(h, p.rings[i], x0, y0, cell));
    polygons.push_back(GEOSGeom_createPolygon_r(h, linear_ring(h, p.rings[0], x0, y0, cell), holes.data(),
                                                static_cast<unsigned>(holes.size())));
  }
  GEOSGeometry* area = polygons.size() == 1 ? polygons[0]
                                            : GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polygons.data(),
                                                                          static_cast<unsigned>(polygons.size()));
  std::unique_ptr<GEOSGeometry, geo::detail::GeosGeometryDeleter> simple(
      GEOSTopologyPreserveSimplify_r(h, area, cell / 2), {h});
  GEOSGeom_destroy_r(h, area);
  if (!simple) throw std::runtime_error("GEOS could not simplify the reach polygon");
  LonLatMultiPolygon out;
  const int parts = GEOSGetNumGeometries_r(h, simple.get());
  for (int i = 0; i < parts; ++i) {
    const GEOSGeometry* part = GEOSGetGeometryN_r(h, simple.get(), i);
    if (GEOSGeomTypeId_r(h, part) != GEOS_POLYGON || GEOSisEmpty_r(h, part)) continue;
    LonLatPolygon& rings = out.emplace_back();
    rings.push_back(degrees(h, GEOSGetExteriorRing_r(h, part), m_plane));
    for (int k = 0; k < GEOSGetNumInteriorRings_r(h, part); ++k)
      rings.push_back(degrees(h, GEOSGetInteriorRingN_r(h, part, k), m_plane));
  }
  return out;
}

}  // namespace placedist::geo::roads
