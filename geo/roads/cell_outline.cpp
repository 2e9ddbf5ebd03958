#include "geo/roads/cell_outline.hpp"

#include <cstddef>
#include <stdexcept>
#include <unordered_map>

namespace placedist::geo::roads::detail {
namespace {

// Directions along cell sides, anticlockwise: turning left is +1.
enum Direction { kEast, kNorth, kWest, kSouth };
constexpr int kDx[4] = {1, 0, -1, 0}, kDy[4] = {0, 1, 0, -1};

struct Mask {
  const std::vector<std::uint8_t>& cells;
  int width, height;

  bool filled(int x, int y) const {
    return x >= 0 && y >= 0 && x < width && y < height && cells[static_cast<std::size_t>(y) * width + x];
  }
  // The cell on the left of the unit side leaving corner (x, y) in direction d.
  CellCorner left(CellCorner c, int d) const {
    return {c.x - (d == kNorth || d == kWest), c.y - (d == kWest || d == kSouth)};
  }
  // Whether that side is on the outline: a filled cell on its left, an empty one on its right.
  bool outline(CellCorner c, int d) const {
    CellCorner l = left(c, d), r = left(c, (d + 2) % 4);
    r = {r.x + kDx[d], r.y + kDy[d]};  // the right cell is the left cell of the reverse side
    return filled(l.x, l.y) && !filled(r.x, r.y);
  }
  // Two filled cells touching only at this corner.
  bool pinch(CellCorner c) const {
    bool sw = filled(c.x - 1, c.y - 1), se = filled(c.x, c.y - 1), nw = filled(c.x - 1, c.y), ne = filled(c.x, c.y);
    return sw == ne && se == nw && sw != se;
  }
};

// 4-connected components of the filled cells: a label per cell, -1 where empty.
std::vector<int> components(const Mask& m, int& count) {
  std::vector<int> label(m.cells.size(), -1);
  std::vector<std::size_t> stack;
  count = 0;
  for (std::size_t start = 0; start < m.cells.size(); ++start) {
    if (!m.cells[start] || label[start] >= 0) continue;
    label[start] = count;
    stack.push_back(start);
    while (!stack.empty()) {
      std::size_t i = stack.back();
      stack.pop_back();
      int x = static_cast<int>(i % m.width), y = static_cast<int>(i / m.width);
      for (int d = 0; d < 4; ++d) {
        int nx = x + kDx[d], ny = y + kDy[d];
        std::size_t n = static_cast<std::size_t>(ny) * m.width + nx;
        if (m.filled(nx, ny) && label[n] < 0) label[n] = count, stack.push_back(n);
      }
    }
    ++count;
  }
  return label;
}

// Splits a ring that passes a corner twice (at a pinch) into simple rings.
void split_at_pinches(const Mask& m, const std::vector<CellCorner>& ring, std::vector<std::vector<CellCorner>>& out) {
  std::vector<CellCorner> stack;
  std::unordered_map<std::int64_t, std::size_t> at;  // pinch corner -> its place on the stack
  for (CellCorner c : ring) {
    if (m.pinch(c)) {
      std::int64_t key = static_cast<std::int64_t>(c.y) * (m.width + 1) + c.x;
      auto it = at.find(key);
      if (it != at.end() && it->second < stack.size() && stack[it->second] == c) {
        out.emplace_back(stack.begin() + static_cast<std::ptrdiff_t>(it->second), stack.end());
        stack.resize(it->second + 1);
        continue;
      }
      at[key] = stack.size();
    }
    stack.push_back(c);
  }
  out.push_back(std::move(stack));
}

std::int64_t twice_area(const std::vector<CellCorner>& ring) {
  std::int64_t a = 0;
  for (std::size_t i = 0; i < ring.size(); ++i) {
    const CellCorner &p = ring[i], &q = ring[(i + 1) % ring.size()];
    a += static_cast<std::int64_t>(p.x) * q.y - static_cast<std::int64_t>(q.x) * p.y;
  }
  return a;
}

}  // namespace

std::vector<std::uint8_t> grow_one_cell(const std::vector<std::uint8_t>& mask, int width, int height) {
  // A 3 x 3 maximum is a 3-wide maximum along the rows, then along the columns.
  std::vector<std::uint8_t> rows(mask.size()), out(mask.size());
  for (int y = 0; y < height; ++y) {
    const std::uint8_t* in = &mask[static_cast<std::size_t>(y) * width];
    std::uint8_t* row = &rows[static_cast<std::size_t>(y) * width];
    for (int x = 0; x < width; ++x) row[x] = in[x] || (x > 0 && in[x - 1]) || (x + 1 < width && in[x + 1]);
  }
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      std::size_t i = static_cast<std::size_t>(y) * width + x;
      out[i] = rows[i] || (y > 0 && rows[i - width]) || (y + 1 < height && rows[i + width]);
    }
  return out;
}

std::vector<CellPolygon> cell_outline(const std::vector<std::uint8_t>& mask, int width, int height) {
  if (mask.size() != static_cast<std::size_t>(width) * height) throw std::invalid_argument("cell_outline: mask size");
  Mask m{mask, width, height};
  int count = 0;
  std::vector<int> label = components(m, count);
  std::vector<CellPolygon> polygons(count);
  for (CellPolygon& p : polygons) p.rings.emplace_back();  // the shell, found below
  // Every ring has an eastward side; each eastward side on the outline starts one ring once.
  std::vector<std::uint8_t> east_done(static_cast<std::size_t>(width + 1) * (height + 1));
  std::vector<CellCorner> ring;
  std::vector<std::vector<CellCorner>> simple;
  for (int sy = 0; sy < height; ++sy)
    for (int sx = 0; sx < width; ++sx) {
      CellCorner start{sx, sy};
      if (east_done[static_cast<std::size_t>(sy) * (width + 1) + sx] || !m.outline(start, kEast)) continue;
      // Walk with the filled cells on the left, turning left where there is a choice (at a
      // pinch): each ring then keeps to one component's cells.
      ring.assign(1, start);
      CellCorner c = start;
      int d = kEast;
      for (;;) {
        if (d == kEast) east_done[static_cast<std::size_t>(c.y) * (width + 1) + c.x] = 1;
        c = {c.x + kDx[d], c.y + kDy[d]};
        int next = -1;
        for (int turn : {1, 0, 3})
          if (m.outline(c, (d + turn) % 4)) {
            next = (d + turn) % 4;
            break;
          }
        if (next < 0) throw std::logic_error("cell_outline: the outline does not continue");
        if (c == start && next == kEast) {
          if (d == kEast) ring.erase(ring.begin());  // the start is not a corner
          break;
        }
        if (next != d) ring.push_back(c);
        d = next;
      }
      simple.clear();
      split_at_pinches(m, ring, simple);
      for (auto& r : simple) {
        // The component: the cell on the left of the ring's first side.
        const CellCorner a = r[0], b = r[1];
        int dir = b.x > a.x ? kEast : b.y > a.y ? kNorth : b.x < a.x ? kWest : kSouth;
        CellCorner cell = m.left(a, dir);
        CellPolygon& p = polygons[label[static_cast<std::size_t>(cell.y) * width + cell.x]];
        if (twice_area(r) > 0)
          p.rings[0] = std::move(r);
        else
          p.rings.push_back(std::move(r));
      }
    }
  return polygons;
}

}  // namespace placedist::geo::roads::detail
