#pragma once
// The hand-written point locator behind shapes/locate.hpp. Plain planar geometry in
// British National Grid metres (EPSG:27700); no GEOS, so it can be read by many threads.
//
// Two levels:
//  - a uniform grid over all councils. A cell that no edge comes within the tolerance of is
//    "uniform": every point in it has the same answer (inside council k, or outside all),
//    found once at build time. Other cells list their candidate councils: those with an
//    edge within the tolerance of the cell, plus those containing the cell's centre (a
//    council containing part of a cell without an edge in it contains all of it).
//  - per council, its edges (all rings of all parts) bucketed by horizontal bands, each
//    edge listed in every band its y-range, widened by the tolerance, overlaps. One band
//    then answers both the crossing-number parity (ray towards +x) and "is an edge within
//    the tolerance".
#include <cstdint>
#include <vector>

#include "geo/coords.hpp"
#include "shapes/locate.hpp"

namespace placedist::shapes::detail {

using Ring = std::vector<geo::GridRef>;
using Rings = std::vector<Ring>;  // every ring of one council, exterior and holes alike

struct LocateHit {
  std::int32_t council = -1;
  Where where = Where::outside;
};

struct Box {
  double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
};

class EdgeBands {
 public:
  EdgeBands(const Rings& rings, double tolerance_m);

  // inside: odd number of edge crossings to the right of (x, y).
  // near: some edge within the tolerance (closest approach) of (x, y).
  void test(double x, double y, bool& inside, bool& near) const;

  const Box& box() const { return m_box; }  // of the vertices, not widened
  std::size_t edge_count() const { return m_edge_count; }

 private:
  struct Edge {
    double x1, y1, x2, y2;
    double dx_dy;  // (x2 - x1) / (y2 - y1), 0 for horizontal edges
  };
  Box m_box;
  double m_tolerance = 0, m_tolerance2 = 0;
  double m_y0 = 0, m_inv_band = 0;
  std::int32_t m_bands = 1;
  std::size_t m_edge_count = 0;
  std::vector<std::uint32_t> m_band_start;  // m_bands + 1 offsets into m_edges
  std::vector<Edge> m_edges;
};

class GridLocator {
 public:
  GridLocator() = default;
  // rings_by_council[k] are council k's rings. cell_size_m <= 0 chooses one from the
  // number of edges (about 16 cells per edge, between 2^16 and 2^21 cells).
  GridLocator(const std::vector<Rings>& rings_by_council, double tolerance_m, double cell_size_m = 0);

  LocateHit locate(double x, double y) const;

  double cell_size_m() const { return m_cell; }
  std::size_t cell_count() const { return m_cells.size(); }
  std::size_t mixed_cell_count() const { return m_mixed_start.empty() ? 0 : m_mixed_start.size() - 1; }

 private:
  static constexpr std::uint32_t kMixed = 0x80000000u;
  std::vector<EdgeBands> m_councils;
  double m_x0 = 0, m_y0 = 0, m_x1 = 0, m_y1 = 0, m_cell = 1, m_inv_cell = 1;
  std::int32_t m_nx = 0, m_ny = 0;
  // Uniform cell: 0 = outside every council, k + 1 = inside council k.
  // Mixed cell: kMixed | i, its candidates m_candidates[m_mixed_start[i] .. m_mixed_start[i+1]).
  std::vector<std::uint32_t> m_cells;
  std::vector<std::uint32_t> m_mixed_start;
  std::vector<std::uint32_t> m_candidates;
};

}  // namespace placedist::shapes::detail
