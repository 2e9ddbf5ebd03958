#include "geo/roads/reach_polygon.hpp"

#include <geos_c.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "geo/roads/cell_outline.hpp"

namespace placedist::geo::roads {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kMetresPerDegree = 6371008.8 * kPi / 180.0;

struct Context {
  GEOSContextHandle_t h = GEOS_init_r();
  ~Context() { GEOS_finish_r(h); }
};

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

}  // namespace

std::string reach_polygon_wkt(const Reach& reach, const ReachPolygonOptions& options) {
  if (reach.status != RoadStatus::ok || reach.pieces.empty()) return {};
  double lon0 = 0, lat0 = 0;
  std::size_t n = 0;
  for (const auto& piece : reach.pieces)
    for (LonLat p : piece) lon0 += p.lon, lat0 += p.lat, ++n;
  if (n == 0) return {};
  ReachArea area({lon0 / n, lat0 / n}, options);
  area.add(reach);
  return area.wkt();
}

ReachArea::ReachArea(LonLat centre, const ReachPolygonOptions& options)
    : m_lon0(centre.lon),
      m_lat0(centre.lat),
      m_kx(kMetresPerDegree * std::cos(centre.lat * kPi / 180)),
      m_ky(kMetresPerDegree),
      m_cell(options.cell_m > 0 ? options.cell_m : 250) {}

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
      double x = (p.lon - m_lon0) * m_kx, y = (p.lat - m_lat0) * m_ky;
      x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x), y1 = std::max(y1, y);
    }
  if (!(x0 <= x1 && y0 <= y1)) return;
  auto index = [cell](double v) { return static_cast<std::int64_t>(std::floor(v / cell)); };
  cover(index(x0) - 1, index(y0) - 1, index(x1) + 1, index(y1) + 1);
  // The cells at each point and at samples every half cell between.
  for (const auto& piece : reach.pieces)
    for (std::size_t i = 0; i < piece.size(); ++i) {
      double x = (piece[i].lon - m_lon0) * m_kx, y = (piece[i].lat - m_lat0) * m_ky;
      mark(x, y);
      if (i + 1 == piece.size()) break;
      double x2 = (piece[i + 1].lon - m_lon0) * m_kx, y2 = (piece[i + 1].lat - m_lat0) * m_ky;
      int steps = static_cast<int>(std::sqrt((x2 - x) * (x2 - x) + (y2 - y) * (y2 - y)) / (cell / 2));
      for (int s = 1; s <= steps; ++s) mark(x + (x2 - x) * s / (steps + 1), y + (y2 - y) * s / (steps + 1));
    }
}

std::vector<std::uint8_t> ReachArea::grown() const { return detail::grow_one_cell(m_crossed, m_width, m_height); }

std::size_t ReachArea::cells() const {
  std::vector<std::uint8_t> g = grown();
  return static_cast<std::size_t>(std::count(g.begin(), g.end(), 1));
}

std::string ReachArea::wkt() const {
  std::vector<detail::CellPolygon> outline = detail::cell_outline(grown(), m_width, m_height);
  if (outline.empty()) return {};
  const double cell = m_cell, x0 = m_x0 * cell, y0 = m_y0 * cell;
  Context ctx;
  std::vector<GEOSGeometry*> polygons;
  std::vector<GEOSGeometry*> holes;
  for (const detail::CellPolygon& p : outline) {
    holes.clear();
    for (std::size_t i = 1; i < p.rings.size(); ++i) holes.push_back(linear_ring(ctx.h, p.rings[i], x0, y0, cell));
    polygons.push_back(GEOSGeom_createPolygon_r(ctx.h, linear_ring(ctx.h, p.rings[0], x0, y0, cell), holes.data(),
                                                static_cast<unsigned>(holes.size())));
  }
  GEOSGeometry* area = polygons.size() == 1 ? polygons[0]
                                            : GEOSGeom_createCollection_r(ctx.h, GEOS_MULTIPOLYGON, polygons.data(),
                                                                          static_cast<unsigned>(polygons.size()));
  GEOSGeometry* simple = GEOSTopologyPreserveSimplify_r(ctx.h, area, cell / 2);
  GEOSGeom_destroy_r(ctx.h, area);
  if (!simple) throw std::runtime_error("GEOS could not simplify the reach polygon");
  // Back to degrees.
  GEOSGeometry* degrees = GEOSGeom_transformXY_r(
      ctx.h, simple,
      [](double* x, double* y, void* data) {
        const double* k = static_cast<const double*>(data);
        *x = k[0] + *x / k[2];
        *y = k[1] + *y / k[3];
        return 1;
      },
      std::array<double, 4>{m_lon0, m_lat0, m_kx, m_ky}.data());
  GEOSGeom_destroy_r(ctx.h, simple);
  GEOSWKTWriter* writer = GEOSWKTWriter_create_r(ctx.h);
  GEOSWKTWriter_setRoundingPrecision_r(ctx.h, writer, 6);
  GEOSWKTWriter_setTrim_r(ctx.h, writer, 1);
  char* text = GEOSWKTWriter_write_r(ctx.h, writer, degrees);
  std::string wkt = text ? text : "";
  GEOSFree_r(ctx.h, text);
  GEOSWKTWriter_destroy_r(ctx.h, writer);
  GEOSGeom_destroy_r(ctx.h, degrees);
  return wkt;
}

}  // namespace placedist::geo::roads
