// Grid + edge-band point location (see grid_locator.hpp). Planar BNG metres.
#include "shapes/detail/grid_locator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace placedist::geo;

namespace placedist::shapes::detail {
namespace {

// Does segment (x1,y1)-(x2,y2) meet the closed box? Liang-Barsky clipping.
bool segment_meets_box(double x1, double y1, double x2, double y2, const Box& b) {
  double t0 = 0, t1 = 1;
  const double dx = x2 - x1, dy = y2 - y1;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {x1 - b.min_x, b.max_x - x1, y1 - b.min_y, b.max_y - y1};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0) {
      if (q[i] < 0) return false;
      continue;
    }
    const double t = q[i] / p[i];
    if (p[i] < 0) {
      if (t > t1) return false;
      t0 = std::max(t0, t);
    } else {
      if (t < t0) return false;
      t1 = std::min(t1, t);
    }
  }
  return true;
}

double squared_distance_to_segment(double x, double y, double x1, double y1, double x2, double y2) {
  const double dx = x2 - x1, dy = y2 - y1;
  const double px = x - x1, py = y - y1;
  const double len2 = dx * dx + dy * dy;
  const double t = px * dx + py * dy;
  if (t <= 0 || len2 == 0) return px * px + py * py;
  if (t >= len2) {
    const double qx = x - x2, qy = y - y2;
    return qx * qx + qy * qy;
  }
  const double cross = px * dy - py * dx;
  return cross * cross / len2;
}

template <typename F>
void for_each_edge(const Rings& rings, F&& f) {
  for (const Ring& ring : rings) {
    const std::size_t n = ring.size();
    if (n < 2) continue;
    for (std::size_t i = 0; i + 1 < n; ++i) f(ring[i], ring[i + 1]);
    if (!(ring.front() == ring.back())) f(ring.back(), ring.front());  // close open rings
  }
}

}  // namespace

EdgeBands::EdgeBands(const Rings& rings, double tolerance_m)
    : m_tolerance(tolerance_m), m_tolerance2(tolerance_m * tolerance_m) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  m_box = {inf, inf, -inf, -inf};
  std::vector<Edge> edges;
  for_each_edge(rings, [&](GridRef a, GridRef b) {
    if (a == b) return;
    const double dx_dy = a.northing == b.northing ? 0.0 : (b.easting - a.easting) / (b.northing - a.northing);
    edges.push_back({a.easting, a.northing, b.easting, b.northing, dx_dy});
    m_box.min_x = std::min({m_box.min_x, a.easting, b.easting});
    m_box.max_x = std::max({m_box.max_x, a.easting, b.easting});
    m_box.min_y = std::min({m_box.min_y, a.northing, b.northing});
    m_box.max_y = std::max({m_box.max_y, a.northing, b.northing});
  });
  m_edge_count = edges.size();
  if (edges.empty()) {
    m_box = {};
    m_band_start = {0, 0};
    return;
  }
  // About two edges per band: a band then holds the few edges a horizontal line crosses there.
  m_bands = static_cast<std::int32_t>(std::clamp<std::size_t>(edges.size() / 2, 1, 1u << 22));
  m_y0 = m_box.min_y - tolerance_m;
  const double height = (m_box.max_y + tolerance_m) - m_y0;
  m_inv_band = height > 0 ? m_bands / height : 0;
  auto band_of = [&](double y) {
    const double b = std::floor((y - m_y0) * m_inv_band);
    return static_cast<std::int32_t>(std::clamp(b, 0.0, static_cast<double>(m_bands - 1)));
  };
  // Counting pass, then fill: edges stay in ring order within a band.
  std::vector<std::uint32_t> count(m_bands + 1, 0);
  for (const Edge& e : edges) {
    const std::int32_t lo = band_of(std::min(e.y1, e.y2) - tolerance_m);
    const std::int32_t hi = band_of(std::max(e.y1, e.y2) + tolerance_m);
    for (std::int32_t b = lo; b <= hi; ++b) ++count[b + 1];
  }
  for (std::int32_t b = 0; b < m_bands; ++b) count[b + 1] += count[b];
  m_band_start = count;
  m_edges.resize(count[m_bands]);
  for (const Edge& e : edges) {
    const std::int32_t lo = band_of(std::min(e.y1, e.y2) - tolerance_m);
    const std::int32_t hi = band_of(std::max(e.y1, e.y2) + tolerance_m);
    for (std::int32_t b = lo; b <= hi; ++b) m_edges[count[b]++] = e;
  }
}

void EdgeBands::test(double x, double y, bool& inside, bool& near) const {
  inside = false;
  near = false;
  if (m_edges.empty()) return;
  if (x < m_box.min_x - m_tolerance || x > m_box.max_x + m_tolerance || y < m_box.min_y - m_tolerance ||
      y > m_box.max_y + m_tolerance)
    return;
  const double bf = std::floor((y - m_y0) * m_inv_band);
  const std::int32_t band = static_cast<std::int32_t>(std::clamp(bf, 0.0, static_cast<double>(m_bands - 1)));
  const Edge* e = m_edges.data() + m_band_start[band];
  const Edge* end = m_edges.data() + m_band_start[band + 1];
  bool parity = false, close = false;
  for (; e != end; ++e) {
    // Crossing number (W. R. Franklin): half-open in y, so a shared vertex counts once.
    if ((e->y1 > y) != (e->y2 > y) && x < e->x1 + (y - e->y1) * e->dx_dy) parity = !parity;
    if (!close) {
      const double lo_x = e->x1 < e->x2 ? e->x1 : e->x2, hi_x = e->x1 < e->x2 ? e->x2 : e->x1;
      const double lo_y = e->y1 < e->y2 ? e->y1 : e->y2, hi_y = e->y1 < e->y2 ? e->y2 : e->y1;
      if (x >= lo_x - m_tolerance && x <= hi_x + m_tolerance && y >= lo_y - m_tolerance && y <= hi_y + m_tolerance &&
          squared_distance_to_segment(x, y, e->x1, e->y1, e->x2, e->y2) <= m_tolerance2)
        close = true;
    }
  }
  inside = parity;
  near = close;
}

GridLocator::GridLocator(const std::vector<Rings>& rings_by_council, double tolerance_m, double cell_size_m) {
  if (!(tolerance_m >= 0)) tolerance_m = 0;
  m_councils.reserve(rings_by_council.size());
  std::size_t edges = 0;
  constexpr double inf = std::numeric_limits<double>::infinity();
  Box all{inf, inf, -inf, -inf};
  for (const Rings& rings : rings_by_council) {
    m_councils.emplace_back(rings, tolerance_m);
    const EdgeBands& c = m_councils.back();
    if (c.edge_count() == 0) continue;
    edges += c.edge_count();
    all.min_x = std::min(all.min_x, c.box().min_x);
    all.min_y = std::min(all.min_y, c.box().min_y);
    all.max_x = std::max(all.max_x, c.box().max_x);
    all.max_y = std::max(all.max_y, c.box().max_y);
  }
  if (edges == 0) return;  // no cells: everything is outside
  // Widen by the tolerance and a metre, so anything beyond the grid is outside and not near.
  const double margin = tolerance_m + 1.0;
  m_x0 = all.min_x - margin;
  m_y0 = all.min_y - margin;
  const double width = all.max_x + margin - m_x0, height = all.max_y + margin - m_y0;
  if (cell_size_m <= 0) {
    const double target = std::clamp<double>(16.0 * static_cast<double>(edges), 1 << 16, 1 << 21);
    cell_size_m = std::sqrt(width * height / target);
  }
  m_cell = cell_size_m;
  m_inv_cell = 1.0 / m_cell;
  m_nx = static_cast<std::int32_t>(std::ceil(width * m_inv_cell));
  m_ny = static_cast<std::int32_t>(std::ceil(height * m_inv_cell));
  m_x1 = m_x0 + m_nx * m_cell;
  m_y1 = m_y0 + m_ny * m_cell;

  auto cell_box = [&](std::int32_t i, std::int32_t j, double widen) {
    return Box{m_x0 + i * m_cell - widen, m_y0 + j * m_cell - widen, m_x0 + (i + 1) * m_cell + widen,
               m_y0 + (j + 1) * m_cell + widen};
  };
  auto clamp_i = [&](double v) {
    return static_cast<std::int32_t>(std::clamp(std::floor((v - m_x0) * m_inv_cell), 0.0, m_nx - 1.0));
  };
  auto clamp_j = [&](double v) {
    return static_cast<std::int32_t>(std::clamp(std::floor((v - m_y0) * m_inv_cell), 0.0, m_ny - 1.0));
  };

  // (cell, council) pairs where an edge of the council comes within the tolerance of the cell.
  std::vector<std::uint64_t> touched;
  for (std::size_t k = 0; k < rings_by_council.size(); ++k) {
    for_each_edge(rings_by_council[k], [&](GridRef a, GridRef b) {
      const std::int32_t i0 = clamp_i(std::min(a.easting, b.easting) - tolerance_m);
      const std::int32_t i1 = clamp_i(std::max(a.easting, b.easting) + tolerance_m);
      const std::int32_t j0 = clamp_j(std::min(a.northing, b.northing) - tolerance_m);
      const std::int32_t j1 = clamp_j(std::max(a.northing, b.northing) + tolerance_m);
      for (std::int32_t j = j0; j <= j1; ++j)
        for (std::int32_t i = i0; i <= i1; ++i)
          if (segment_meets_box(a.easting, a.northing, b.easting, b.northing, cell_box(i, j, tolerance_m)))
            touched.push_back((static_cast<std::uint64_t>(j) * m_nx + i) << 32 | k);
    });
  }
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());

  auto containing = [&](double x, double y, std::vector<std::uint32_t>& out) {
    for (std::size_t k = 0; k < m_councils.size(); ++k) {
      const Box& b = m_councils[k].box();
      if (x < b.min_x || x > b.max_x || y < b.min_y || y > b.max_y) continue;
      bool inside = false, near = false;
      m_councils[k].test(x, y, inside, near);
      if (inside) out.push_back(static_cast<std::uint32_t>(k));
    }
  };

  m_cells.assign(static_cast<std::size_t>(m_nx) * m_ny, 0);
  m_mixed_start.push_back(0);
  std::vector<std::uint32_t> candidates;
  auto add_mixed = [&](std::size_t cell) {
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    m_cells[cell] = kMixed | static_cast<std::uint32_t>(m_mixed_start.size() - 1);
    m_candidates.insert(m_candidates.end(), candidates.begin(), candidates.end());
    m_mixed_start.push_back(static_cast<std::uint32_t>(m_candidates.size()));
  };

  std::size_t t = 0;  // walks `touched`, which is in cell order
  for (std::int32_t j = 0; j < m_ny; ++j) {
    bool known = false;  // the previous cell in this row was uniform; its value carries over
    std::uint32_t value = 0;
    for (std::int32_t i = 0; i < m_nx; ++i) {
      const std::uint64_t cell = static_cast<std::uint64_t>(j) * m_nx + i;
      const double cx = m_x0 + (i + 0.5) * m_cell, cy = m_y0 + (j + 0.5) * m_cell;
      candidates.clear();
      if (t < touched.size() && (touched[t] >> 32) == cell) {
        for (; t < touched.size() && (touched[t] >> 32) == cell; ++t)
          candidates.push_back(static_cast<std::uint32_t>(touched[t] & 0xffffffffu));
        containing(cx, cy, candidates);
        add_mixed(cell);
        known = false;
        continue;
      }
      // No edge near this cell: neighbouring untouched cells in a row share their answer.
      if (!known) {
        containing(cx, cy, candidates);
        if (candidates.size() > 1) {  // overlapping polygons: let the query decide
          add_mixed(cell);
          continue;
        }
        value = candidates.empty() ? 0 : candidates[0] + 1;
        known = true;
      }
      m_cells[cell] = value;
    }
  }
}

LocateHit GridLocator::locate(double x, double y) const {
  // Written so that NaN fails the test: beyond the grid nothing is within the tolerance.
  if (!(x >= m_x0 && x < m_x1 && y >= m_y0 && y < m_y1)) return {};
  const auto i = static_cast<std::int32_t>((x - m_x0) * m_inv_cell);
  const auto j = static_cast<std::int32_t>((y - m_y0) * m_inv_cell);
  const std::uint32_t v = m_cells[static_cast<std::size_t>(std::min(j, m_ny - 1)) * m_nx + std::min(i, m_nx - 1)];
  if (!(v & kMixed)) return v == 0 ? LocateHit{} : LocateHit{static_cast<std::int32_t>(v - 1), Where::inside};
  const std::uint32_t m = v & ~kMixed;
  std::int32_t inside_council = -1, near_council = -1;
  for (std::uint32_t c = m_mixed_start[m]; c < m_mixed_start[m + 1]; ++c) {
    const std::uint32_t k = m_candidates[c];
    bool inside = false, near = false;
    m_councils[k].test(x, y, inside, near);
    if (inside && inside_council < 0) inside_council = static_cast<std::int32_t>(k);
    if (near && near_council < 0) near_council = static_cast<std::int32_t>(k);
  }
  if (near_council >= 0) return {inside_council >= 0 ? inside_council : near_council, Where::boundary};
  if (inside_council >= 0) return {inside_council, Where::inside};
  return {};
}

}  // namespace placedist::shapes::detail
