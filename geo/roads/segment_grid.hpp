#pragma once
// The snapper's index: every snappable road segment filed under each cell of a flat uniform
// lon/lat grid (cells about square in metres) that it passes through, with the segment's
// end points copied beside it so that a query reads one contiguous run per cell. A query scans
// rings of cells outward from its own cell and stops as soon as nothing outside the rings seen
// can be nearer than the best segment so far, or farther than the radius. A coarse level, each
// cell's distance in rings to the nearest cell holding a segment, lets a query far from roads
// (sea, moorland, outside the network) skip the empty rings at once instead of scanning them cell
// by cell. No allocation per query.
#include <cstdint>
#include <optional>
#include <vector>

#include "geo/coords.hpp"
#include "geo/roads/network_data.hpp"
#include "geo/roads/segment_distance.hpp"

namespace placedist::geo::roads::detail {

class SegmentGrid {
 public:
  struct Nearest {
    std::uint32_t point = 0;  // index in NetworkData::points of the segment's first end
    SegmentOffset offset;
  };

  SegmentGrid() = default;
  // cell_m: the cells' side in metres; 0 picks one from the segments' density.
  explicit SegmentGrid(const NetworkData& d, double cell_m = 0);

  // The segment with the least segment_offset() distance (ties: the lowest point index, i.e. the
  // lowest edge and segment), if within radius_m. kx, ky: metres per degree at `where`.
  std::optional<Nearest> nearest(LonLat where, double kx, double ky, double radius_m) const;

  std::size_t memory_bytes() const;
  std::size_t segment_count() const { return m_segment_count; }
  std::size_t entry_count() const { return m_entries.size(); }
  double cell_metres() const { return m_cell_m; }

 private:
  struct Entry {
    FixedPoint a, b;
    std::uint32_t point;
  };
  struct Query;
  void scan_cell(std::int64_t x, std::int64_t y, Query& q) const;

  std::int64_t m_lon0 = 0, m_lat0 = 0;          // south-west corner, 1e-7 degrees
  std::int64_t m_cell_lon = 1, m_cell_lat = 1;  // cell size, 1e-7 degrees
  std::int64_t m_nx = 0, m_ny = 0;
  // Cells are numbered tile by tile (kTile x kTile cells, row-major inside): the few dozen cells a
  // query scans share a few cache lines of m_first and neighbouring runs of m_entries.
  static constexpr std::int64_t kTile = 8;
  std::int64_t m_tiles_x = 0;
  std::size_t cell_index(std::int64_t x, std::int64_t y) const {
    return static_cast<std::size_t>(((y / kTile) * m_tiles_x + x / kTile) * kTile * kTile + (y % kTile) * kTile +
                                    x % kTile);
  }
  double m_cell_m = 0;
  std::size_t m_segment_count = 0;
  std::vector<std::uint32_t> m_first;  // per cell (numbered by cell_index), then one past the end
  std::vector<Entry> m_entries;
  // Per cell (by cell_index): how many rings around it hold no segment (the Chebyshev distance in
  // cells to the nearest cell that holds one; 0 for such a cell), at most kMaxEmptyRings.
  static constexpr std::uint8_t kMaxEmptyRings = 255;
  std::vector<std::uint8_t> m_empty_rings;
  void count_empty_rings();
};

}  // namespace placedist::geo::roads::detail
