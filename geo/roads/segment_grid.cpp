#include "geo/roads/segment_grid.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "geo/local_plane.hpp"

namespace placedist::geo::roads::detail {
namespace {

// Rounding in the bound below is some 1e-10 m; a millimetre keeps it safely conservative.
constexpr double kBoundMarginMetres = 1e-3;
// Auto cell size: about this many segments per cell over the network's bounding box.
constexpr double kSegmentsPerCell = 1.0;
// Query cells beyond this many cells from the grid are clamped (a point far outside the network).
constexpr double kFarCells = 1e12;

template <typename F>
void for_each_segment(const NetworkData& d, F&& f) {
  for (std::uint32_t e = 0; e < d.edges.size(); ++e) {
    if (!d.snappable[e]) continue;
    for (std::uint32_t p = d.first_point[e]; p + 1 < d.first_point[e + 1]; ++p) f(p, d.points[p], d.points[p + 1]);
  }
}

}  // namespace

SegmentGrid::SegmentGrid(const NetworkData& d, double cell_m) {
  std::int64_t lon0 = std::numeric_limits<std::int64_t>::max(), lat0 = lon0;
  std::int64_t lon1 = std::numeric_limits<std::int64_t>::min(), lat1 = lon1;
  for_each_segment(d, [&](std::uint32_t, FixedPoint a, FixedPoint b) {
    ++m_segment_count;
    lon0 = std::min<std::int64_t>({lon0, a.lon, b.lon});
    lon1 = std::max<std::int64_t>({lon1, a.lon, b.lon});
    lat0 = std::min<std::int64_t>({lat0, a.lat, b.lat});
    lat1 = std::max<std::int64_t>({lat1, a.lat, b.lat});
  });
  if (m_segment_count == 0) return;
  m_lon0 = lon0;
  m_lat0 = lat0;
  const double mid_lat = (lat0 + lat1) / 2.0 / kFixedPerDegree;
  const double cos_lat = std::max(0.01, std::cos(mid_lat * std::numbers::pi / 180.0));
  const double width_m = (lon1 - lon0) / kFixedPerDegree * kMetresPerDegreeLatitude * cos_lat;
  const double height_m = (lat1 - lat0) / kFixedPerDegree * kMetresPerDegreeLatitude;
  if (!(cell_m > 0)) cell_m = std::sqrt(width_m * height_m / m_segment_count * kSegmentsPerCell);
  cell_m = std::max(cell_m, 10.0);
  // Never more cells than a few per segment (a sparse network over a wide area), nor more entries
  // than a few per segment (long segments over small cells; a damaged file's lines across the globe).
  auto span = [](std::int64_t lo, std::int64_t hi, std::int64_t origin, std::int64_t size) {
    return (hi - origin) / size - (lo - origin) / size + 1;
  };
  for (;;) {
    m_cell_lat = std::max<std::int64_t>(1, std::llround(cell_m / kMetresPerDegreeLatitude * kFixedPerDegree));
    m_cell_lon = std::max<std::int64_t>(1, std::llround(m_cell_lat / cos_lat));
    m_nx = (lon1 - lon0) / m_cell_lon + 1;
    m_ny = (lat1 - lat0) / m_cell_lat + 1;
    const std::int64_t limit = 4 * static_cast<std::int64_t>(m_segment_count) + 1024;
    std::int64_t entries = 0;
    if (m_nx * m_ny <= limit)
      for_each_segment(d, [&](std::uint32_t, FixedPoint a, FixedPoint b) {
        // At most the box's cells; a line's cells are at most its rows plus 3 per column
        // (neighbouring columns share a row, and each column's rows are widened by one unit).
        const std::int64_t xs = span(std::min(a.lon, b.lon), std::max(a.lon, b.lon), m_lon0, m_cell_lon),
                           ys = span(std::min(a.lat, b.lat), std::max(a.lat, b.lat), m_lat0, m_cell_lat);
        entries += std::min(xs * ys, ys + 3 * xs);
      });
    if (m_nx * m_ny <= limit && entries <= limit) break;
    cell_m *= 1.5;
  }
  m_cell_m = cell_m;

  // Counting pass, then a scatter: entries grouped by cell (cells by tile), each cell's in input order.
  m_tiles_x = (m_nx + kTile - 1) / kTile;
  m_first.assign(static_cast<std::size_t>(m_tiles_x * ((m_ny + kTile - 1) / kTile) * kTile * kTile) + 1, 0);
  // The cells a segment passes through, not its whole box (a long diagonal road would fill cells
  // far from it, where a query would meet it for nothing and the coarse level would see no empty
  // ring): per column it spans, the rows its latitudes over that column's longitudes reach (a
  // closed interval: the column's east edge included), widened by one unit against rounding.
  // A segment not filed under any cell of a square of cells therefore does not touch the square,
  // which is what the search's bounds need.
  auto cells_of = [&](FixedPoint a, FixedPoint b, auto&& f) {
    if (a.lon > b.lon) std::swap(a, b);
    const std::int64_t x0 = (a.lon - m_lon0) / m_cell_lon, x1 = (b.lon - m_lon0) / m_cell_lon;
    const std::int64_t lat_lo = std::min(a.lat, b.lat), lat_hi = std::max(a.lat, b.lat);
    // In one row or one column the line's cells are its box's: no arithmetic (most segments).
    const bool diagonal = x0 < x1 && (lat_lo - m_lat0) / m_cell_lat < (lat_hi - m_lat0) / m_cell_lat;
    const double slope = diagonal ? (static_cast<double>(b.lat) - a.lat) / (static_cast<double>(b.lon) - a.lon) : 0;
    for (std::int64_t x = x0; x <= x1; ++x) {
      std::int64_t lo = lat_lo, hi = lat_hi;
      if (diagonal) {
        const double lon_in = std::max<double>(a.lon, static_cast<double>(m_lon0 + x * m_cell_lon));
        const double lon_out = std::min<double>(b.lon, static_cast<double>(m_lon0 + (x + 1) * m_cell_lon));
        const double lat_in = a.lat + slope * (lon_in - a.lon), lat_out = a.lat + slope * (lon_out - a.lon);
        lo = std::max(lat_lo, static_cast<std::int64_t>(std::floor(std::min(lat_in, lat_out))) - 1);
        hi = std::min(lat_hi, static_cast<std::int64_t>(std::ceil(std::max(lat_in, lat_out))) + 1);
      }
      for (std::int64_t y = (lo - m_lat0) / m_cell_lat, y1 = (hi - m_lat0) / m_cell_lat; y <= y1; ++y)
        f(cell_index(x, y));
    }
  };
  for_each_segment(
      d, [&](std::uint32_t, FixedPoint a, FixedPoint b) { cells_of(a, b, [&](std::size_t c) { ++m_first[c + 1]; }); });
  for (std::size_t c = 1; c < m_first.size(); ++c) m_first[c] += m_first[c - 1];
  m_entries.resize(m_first.back());
  std::vector<std::uint32_t> fill(m_first.begin(), m_first.end() - 1);
  for_each_segment(d, [&](std::uint32_t p, FixedPoint a, FixedPoint b) {
    cells_of(a, b, [&](std::size_t c) { m_entries[fill[c]++] = Entry{a, b, p}; });
  });
  count_empty_rings();
}

// The chessboard distance transform in two sequential passes (Rosenfeld and Pfaltz 1966: exact
// for this metric with the 3 x 3 neighbourhood), saturating at kMaxEmptyRings: a stored value is
// min(true distance, cap), so never more than the rings really empty.
void SegmentGrid::count_empty_rings() {
  // On a row-major copy (plain indices), then laid out tile by tile as the cells are.
  const std::size_t nx = static_cast<std::size_t>(m_nx), ny = static_cast<std::size_t>(m_ny);
  std::vector<std::uint8_t> rows(nx * ny);
  for (std::size_t y = 0; y < ny; ++y)
    for (std::size_t x = 0; x < nx; ++x) {
      const std::size_t c = cell_index(static_cast<std::int64_t>(x), static_cast<std::int64_t>(y));
      rows[y * nx + x] = m_first[c + 1] > m_first[c] ? 0 : kMaxEmptyRings;
    }
  auto relax = [](std::uint8_t& d, std::uint8_t n) {
    if (n + 1 < d) d = static_cast<std::uint8_t>(n + 1);
  };
  for (std::size_t y = 0; y < ny; ++y) {
    std::uint8_t* row = &rows[y * nx];
    const std::uint8_t* below = y > 0 ? row - nx : nullptr;
    for (std::size_t x = 0; x < nx; ++x) {
      std::uint8_t& d = row[x];
      if (d == 0) continue;
      if (x > 0) relax(d, row[x - 1]);
      if (!below) continue;
      relax(d, below[x]);
      if (x > 0) relax(d, below[x - 1]);
      if (x + 1 < nx) relax(d, below[x + 1]);
    }
  }
  for (std::size_t y = ny; y-- > 0;) {
    std::uint8_t* row = &rows[y * nx];
    const std::uint8_t* above = y + 1 < ny ? row + nx : nullptr;
    for (std::size_t x = nx; x-- > 0;) {
      std::uint8_t& d = row[x];
      if (d == 0) continue;
      if (x + 1 < nx) relax(d, row[x + 1]);
      if (!above) continue;
      relax(d, above[x]);
      if (x > 0) relax(d, above[x - 1]);
      if (x + 1 < nx) relax(d, above[x + 1]);
    }
  }
  m_empty_rings.assign(m_first.size() - 1, kMaxEmptyRings);
  for (std::size_t y = 0; y < ny; ++y)
    for (std::size_t x = 0; x < nx; ++x)
      m_empty_rings[cell_index(static_cast<std::int64_t>(x), static_cast<std::int64_t>(y))] = rows[y * nx + x];
}

std::size_t SegmentGrid::memory_bytes() const {
  return m_first.capacity() * sizeof(std::uint32_t) + m_entries.capacity() * sizeof(Entry) + m_empty_rings.capacity();
}

// A lower bound on the squared distance of a box of fixed-point coordinates from the query,
// computed without segment_offset's divisions; `slack` makes it conservative against rounding.
struct SegmentGrid::Query {
  LonLat where;
  double kx, ky;
  double fx, fy;  // the query point in 1e-7 degrees
  double sx, sy;  // metres per 1e-7 degree
  Nearest best;
  bool found = false;
  // The squared radius, then the best distance once one within it is found: anything farther
  // is never the answer (beyond the radius, the answer is none whichever segment is nearest).
  double limit_d2;
  void take(const Nearest& n) {
    best = n;
    found = true;
    limit_d2 = std::min(limit_d2, n.offset.d2);
  }
  // True when everything in [lon_lo, lon_hi] x [lat_lo, lat_hi] is certainly farther than limit_d2.
  bool beyond(double lon_lo, double lon_hi, double lat_lo, double lat_hi) const {
    double dx = std::max({0.0, lon_lo - fx, fx - lon_hi}) * sx, dy = std::max({0.0, lat_lo - fy, fy - lat_hi}) * sy;
    return dx * dx + dy * dy > limit_d2 * (1 + 1e-9) + 1e-9;
  }
};

void SegmentGrid::scan_cell(std::int64_t x, std::int64_t y, Query& q) const {
  const std::size_t c = cell_index(x, y);
  if (m_empty_rings[c] != 0) return;  // no segment here (a byte read instead of two offsets)
  if (q.beyond(static_cast<double>(m_lon0 + x * m_cell_lon), static_cast<double>(m_lon0 + (x + 1) * m_cell_lon),
               static_cast<double>(m_lat0 + y * m_cell_lat), static_cast<double>(m_lat0 + (y + 1) * m_cell_lat)))
    return;
  for (std::uint32_t i = m_first[c], end = m_first[c + 1]; i < end; ++i) {
    const Entry& s = m_entries[i];
    if (q.beyond(std::min(s.a.lon, s.b.lon), std::max(s.a.lon, s.b.lon), std::min(s.a.lat, s.b.lat),
                 std::max(s.a.lat, s.b.lat)))
      continue;
    SegmentOffset o = segment_offset(s.a, s.b, q.where, q.kx, q.ky);
    // A segment filed under several cells is met again with the same distance and index: kept once.
    if (q.found && (o.d2 > q.best.offset.d2 || (o.d2 == q.best.offset.d2 && s.point >= q.best.point))) continue;
    q.take(Nearest{s.point, o});
  }
}

std::optional<SegmentGrid::Nearest> SegmentGrid::nearest(LonLat where, double kx, double ky, double radius_m) const {
  if (m_entries.empty()) return std::nullopt;
  // The query's cell, which may lie outside the grid (clamped far enough to keep integers sane).
  auto cell = [](double v, std::int64_t origin, std::int64_t size) {
    return static_cast<std::int64_t>(
        std::clamp(std::floor((v * kFixedPerDegree - origin) / size), -kFarCells, kFarCells));
  };
  const std::int64_t qx = cell(where.lon, m_lon0, m_cell_lon), qy = cell(where.lat, m_lat0, m_cell_lat);
  // Rings nearer than the grid's edge hold no cells, nor do the rings that the coarse level says
  // are empty around the nearest grid cell: clamping to the grid brings no cell nearer in rings
  // (per axis, |q - p| >= |clamp(q) - p| for every p in the grid), so those are empty from q too.
  const std::int64_t outside = std::max({std::int64_t{0}, -qx, qx - (m_nx - 1), -qy, qy - (m_ny - 1)});
  const std::size_t nearest_cell =
      cell_index(std::clamp<std::int64_t>(qx, 0, m_nx - 1), std::clamp<std::int64_t>(qy, 0, m_ny - 1));
  // A query near roads reads this cell's offsets next: fetch them alongside its coarse byte, so
  // that the coarse level (another array, a cache and TLB miss of its own on a national
  // network) adds no latency to it (it did: +15-18% a snap near roads on the GB proxy).
  __builtin_prefetch(&m_first[nearest_cell]);
  const std::int64_t empty = m_empty_rings[nearest_cell];
  const std::int64_t k0 = std::max(outside, empty);
  // Every segment not yet seen after ring k lies wholly outside the square of rings 0..k: at
  // least this many metres away in the query's plane.
  auto beyond_rings = [&](std::int64_t k) {
    const double west = (where.lon - (m_lon0 + (qx - k) * m_cell_lon) / kFixedPerDegree) * kx;
    const double east = ((m_lon0 + (qx + k + 1) * m_cell_lon) / kFixedPerDegree - where.lon) * kx;
    const double south = (where.lat - (m_lat0 + (qy - k) * m_cell_lat) / kFixedPerDegree) * ky;
    const double north = ((m_lat0 + (qy + k + 1) * m_cell_lat) / kFixedPerDegree - where.lat) * ky;
    return std::min({west, east, south, north}) - kBoundMarginMetres;
  };
  // Far from every road: nothing within the radius, known without touching a segment.
  if (k0 > 0 && beyond_rings(k0 - 1) > radius_m) return std::nullopt;
  Query q{where,
          kx,
          ky,
          where.lon * kFixedPerDegree,
          where.lat * kFixedPerDegree,
          kx / kFixedPerDegree,
          ky / kFixedPerDegree,
          {},
          false,
          radius_m * radius_m};
  for (std::int64_t k = k0;; ++k) {
    const std::int64_t col_w = qx - k, col_e = qx + k, row_s = qy - k, row_n = qy + k;
    const std::int64_t cx0 = std::max<std::int64_t>(col_w, 0), cx1 = std::min(col_e, m_nx - 1);
    const std::int64_t cy0 = std::max<std::int64_t>(row_s + 1, 0), cy1 = std::min(row_n - 1, m_ny - 1);
    if (row_s >= 0 && row_s < m_ny)
      for (std::int64_t x = cx0; x <= cx1; ++x) scan_cell(x, row_s, q);
    if (k > 0 && row_n >= 0 && row_n < m_ny)
      for (std::int64_t x = cx0; x <= cx1; ++x) scan_cell(x, row_n, q);
    if (col_w >= 0 && col_w < m_nx)
      for (std::int64_t y = cy0; y <= cy1; ++y) scan_cell(col_w, y, q);
    if (k > 0 && col_e >= 0 && col_e < m_nx)
      for (std::int64_t y = cy0; y <= cy1; ++y) scan_cell(col_e, y, q);
    if (col_w <= 0 && row_s <= 0 && col_e >= m_nx - 1 && row_n >= m_ny - 1) break;  // every cell seen
    const double bound = beyond_rings(k);
    if (bound > radius_m) break;
    if (q.found && bound > 0 && q.best.offset.d2 < bound * bound) break;
  }
  if (!q.found || q.best.offset.d2 > radius_m * radius_m) return std::nullopt;
  return q.best;
}

}  // namespace placedist::geo::roads::detail
