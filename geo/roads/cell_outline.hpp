#pragma once
// Raster masks of square cells as polygons: the growth of a mask by one cell all round, and the
// outline of a mask as polygons with holes, in cell units (corner (x, y) is the lower left
// corner of cell (x, y); x to the right, y up). Cells sharing a side belong to one polygon;
// cells touching only at a corner to separate polygons (or to one polygon that touches itself
// there, as a hole touching its shell), so every polygon is valid as OGC simple features.
// Masks are row-major from the bottom row: cell (x, y) is mask[y * width + x], non-zero filled.
#include <cstdint>
#include <vector>

namespace placedist::geo::roads::detail {

struct CellCorner {
  int x = 0, y = 0;
  bool operator==(const CellCorner&) const = default;
};

// rings[0] is the shell (anticlockwise), the rest are holes (clockwise). Only the corners where
// the outline turns are listed; rings are not closed (the last corner joins the first).
struct CellPolygon {
  std::vector<std::vector<CellCorner>> rings;
};

// The cells within one cell (of the eight around, or itself) of a filled cell.
std::vector<std::uint8_t> grow_one_cell(const std::vector<std::uint8_t>& mask, int width, int height);

std::vector<CellPolygon> cell_outline(const std::vector<std::uint8_t>& mask, int width, int height);

}  // namespace placedist::geo::roads::detail
