#include "geo/roads/reach_polygon.hpp"

#include <geos_c.h>

#include <array>
#include <cmath>
#include <memory>
#include <unordered_set>
#include <stdexcept>
#include <vector>

namespace placedist::roads {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kMetresPerDegree = 6371008.8 * kPi / 180.0;

struct Context {
  GEOSContextHandle_t h = GEOS_init_r();
  ~Context() { GEOS_finish_r(h); }
};

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

void ReachArea::mark(double x, double y) {
  auto key = [](std::int64_t x, std::int64_t y) {
    return static_cast<std::uint64_t>(x + (1 << 30)) << 32 | static_cast<std::uint64_t>(y + (1 << 30));
  };
  std::int64_t cx = static_cast<std::int64_t>(std::floor(x / m_cell)), cy = static_cast<std::int64_t>(std::floor(y / m_cell));
  for (int dx = -1; dx <= 1; ++dx)
    for (int dy = -1; dy <= 1; ++dy) m_cells.insert(key(cx + dx, cy + dy));
}

void ReachArea::add(const Reach& reach) {
  if (reach.status != RoadStatus::ok) return;
  const double cell = m_cell;
  for (const auto& piece : reach.pieces)
    for (std::size_t i = 0; i < piece.size(); ++i) {
      double x = (piece[i].lon - m_lon0) * m_kx, y = (piece[i].lat - m_lat0) * m_ky;
      mark(x, y);
      if (i + 1 == piece.size()) break;
      double x2 = (piece[i + 1].lon - m_lon0) * m_kx, y2 = (piece[i + 1].lat - m_lat0) * m_ky;
      int steps = static_cast<int>(std::hypot(x2 - x, y2 - y) / (cell / 2));
      for (int s = 1; s <= steps; ++s) mark(x + (x2 - x) * s / (steps + 1), y + (y2 - y) * s / (steps + 1));
    }
}

std::string ReachArea::wkt() const {
  if (m_cells.empty()) return {};
  const double cell = m_cell, lon0 = m_lon0, lat0 = m_lat0, kx = m_kx, ky = m_ky;
  const auto& cells = m_cells;
  Context ctx;
  std::vector<GEOSGeometry*> boxes;
  boxes.reserve(cells.size());
  for (std::uint64_t k : cells) {
    double x = (static_cast<std::int64_t>(k >> 32) - (1 << 30)) * cell, y = (static_cast<std::int64_t>(k & 0xFFFFFFFFu) - (1 << 30)) * cell;
    boxes.push_back(GEOSGeom_createRectangle_r(ctx.h, x, y, x + cell, y + cell));
  }
  GEOSGeometry* all = GEOSGeom_createCollection_r(ctx.h, GEOS_MULTIPOLYGON, boxes.data(), static_cast<unsigned>(boxes.size()));
  GEOSGeometry* area = GEOSCoverageUnion_r(ctx.h, all);
  GEOSGeom_destroy_r(ctx.h, all);
  if (!area) throw std::runtime_error("GEOS could not merge the reach cells");
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
      std::array<double, 4>{lon0, lat0, kx, ky}.data());
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

}  // namespace placedist::roads
