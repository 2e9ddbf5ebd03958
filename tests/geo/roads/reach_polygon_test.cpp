// The road zone's polygon: the outline of a cell mask against GEOS's union of the same squares
// (the previous method) on random masks full of corner contacts and holes; and the zone
// from Aylesbury against the zone's definition recomputed here (cells crossed by the reached
// roads, sampled every half cell, grown by one cell).
#include <gtest/gtest.h>

#include <geos_c.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <unordered_set>

#include "geo/distance.hpp"
#include "geo/roads/cell_outline.hpp"
#include "geo/roads/reach_polygon.hpp"
#include "tests/geo/roads/geos_polygon.hpp"
#include "tests/geo/roads/road_test_support.hpp"

using namespace placedist::geo;

namespace placedist::geo::roads {
namespace {

using detail::CellCorner;
using detail::CellPolygon;

struct Geos {
  geo::detail::GeosContext context;
  GEOSContextHandle_t h = context.get();
};

double signed_area(const std::vector<CellCorner>& ring) {
  double a = 0;
  for (std::size_t i = 0; i < ring.size(); ++i) {
    const CellCorner &p = ring[i], &q = ring[(i + 1) % ring.size()];
    a += static_cast<double>(p.x) * q.y - static_cast<double>(q.x) * p.y;
  }
  return a / 2;
}

GEOSGeometry* ring_geometry(GEOSContextHandle_t h, const std::vector<CellCorner>& ring) {
  GEOSCoordSequence* seq = GEOSCoordSeq_create_r(h, static_cast<unsigned>(ring.size() + 1), 2);
  for (std::size_t i = 0; i <= ring.size(); ++i)
    GEOSCoordSeq_setXY_r(h, seq, static_cast<unsigned>(i), ring[i % ring.size()].x, ring[i % ring.size()].y);
  return GEOSGeom_createLinearRing_r(h, seq);
}

GEOSGeometry* outline_geometry(GEOSContextHandle_t h, const std::vector<CellPolygon>& polygons) {
  std::vector<GEOSGeometry*> parts;
  for (const CellPolygon& p : polygons) {
    std::vector<GEOSGeometry*> holes;
    for (std::size_t i = 1; i < p.rings.size(); ++i) holes.push_back(ring_geometry(h, p.rings[i]));
    parts.push_back(
        GEOSGeom_createPolygon_r(h, ring_geometry(h, p.rings[0]), holes.data(), static_cast<unsigned>(holes.size())));
  }
  return GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts.data(), static_cast<unsigned>(parts.size()));
}

// The previous method: a unit square per filled cell, merged by GEOS; by the general union, as
// the coverage union (GEOS 3.11) refuses some masks with corner contacts ("overlapping inputs").
GEOSGeometry* union_of_squares(GEOSContextHandle_t h, const std::vector<std::uint8_t>& mask, int width) {
  std::vector<GEOSGeometry*> boxes;
  for (std::size_t i = 0; i < mask.size(); ++i)
    if (mask[i]) {
      double x = static_cast<double>(i % width), y = static_cast<double>(i / width);
      boxes.push_back(GEOSGeom_createRectangle_r(h, x, y, x + 1, y + 1));
    }
  GEOSGeometry* all =
      GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, boxes.data(), static_cast<unsigned>(boxes.size()));
  GEOSGeometry* merged = GEOSUnaryUnion_r(h, all);
  GEOSGeom_destroy_r(h, all);
  return merged;
}

std::vector<std::uint8_t> parse(const std::vector<std::string>& rows_top_down, int& width, int& height) {
  height = static_cast<int>(rows_top_down.size());
  width = static_cast<int>(rows_top_down[0].size());
  std::vector<std::uint8_t> mask(static_cast<std::size_t>(width) * height);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      mask[static_cast<std::size_t>(y) * width + x] = rows_top_down[height - 1 - y][x] == '#';
  return mask;
}

TEST(CellOutline, OneCellIsAnAnticlockwiseSquare) {
  int w = 0, h = 0;
  auto mask = parse({"...", ".#.", "..."}, w, h);
  auto polygons = detail::cell_outline(mask, w, h);
  ASSERT_EQ(polygons.size(), 1u);
  ASSERT_EQ(polygons[0].rings.size(), 1u);
  std::vector<CellCorner> want = {{1, 1}, {2, 1}, {2, 2}, {1, 2}};
  EXPECT_EQ(polygons[0].rings[0], want);
}

TEST(CellOutline, ASquareWithAHoleHasAClockwiseHole) {
  int w = 0, h = 0;
  auto mask = parse({"###", "#.#", "###"}, w, h);
  auto polygons = detail::cell_outline(mask, w, h);
  ASSERT_EQ(polygons.size(), 1u);
  ASSERT_EQ(polygons[0].rings.size(), 2u);
  EXPECT_EQ(signed_area(polygons[0].rings[0]), 9);  // only the four corners: straight runs merged
  EXPECT_EQ(polygons[0].rings[0].size(), 4u);
  EXPECT_EQ(signed_area(polygons[0].rings[1]), -1);
}

TEST(CellOutline, CellsTouchingAtACornerAreSeparatePolygons) {
  int w = 0, h = 0;
  auto mask = parse({"#.", ".#"}, w, h);
  auto polygons = detail::cell_outline(mask, w, h);
  ASSERT_EQ(polygons.size(), 2u);
  for (const auto& p : polygons) EXPECT_EQ(signed_area(p.rings[0]), 1);
}

// A ring of cells closed by a corner contact: the hole touches the shell at that corner, (2, 1).
TEST(CellOutline, AHoleClosedAtACornerTouchesTheShell) {
  int w = 0, h = 0;
  auto mask = parse({"###", "#.#", "##."}, w, h);
  auto polygons = detail::cell_outline(mask, w, h);
  ASSERT_EQ(polygons.size(), 1u);
  ASSERT_EQ(polygons[0].rings.size(), 2u);
  EXPECT_EQ(signed_area(polygons[0].rings[0]), 8);
  EXPECT_EQ(signed_area(polygons[0].rings[1]), -1);
  Geos g;
  GEOSGeometry* mine = outline_geometry(g.h, polygons);
  GEOSGeometry* want = union_of_squares(g.h, mask, w);
  EXPECT_EQ(GEOSisValid_r(g.h, mine), 1);
  EXPECT_EQ(GEOSEquals_r(g.h, mine, want), 1);
  GEOSGeom_destroy_r(g.h, mine);
  GEOSGeom_destroy_r(g.h, want);
}

TEST(CellOutline, GrowOneCellIsThe3x3Neighbourhood) {
  int w = 0, h = 0;
  auto mask = parse({".....", ".....", "..#..", ".....", "#...."}, w, h);
  auto grown = detail::grow_one_cell(mask, w, h);
  int want_w = 0, want_h = 0;
  auto want = parse({".....", ".###.", ".###.", "####.", "##..."}, want_w, want_h);
  EXPECT_EQ(grown, want);
}

// Random masks, dense enough for many corner contacts, holes and islands in holes: the outline is
// valid, covers exactly the union of the squares, shells anticlockwise and holes clockwise.
TEST(CellOutline, EqualsTheUnionOfTheSquaresOnRandomMasks) {
  Geos g;
  std::mt19937 rng(20261201);
  for (int round = 0; round < 200; ++round) {
    int w = 3 + static_cast<int>(rng() % 30), h = 3 + static_cast<int>(rng() % 30);
    double density = 0.3 + 0.4 * (rng() % 100) / 100.0;
    std::bernoulli_distribution fill(density);
    std::vector<std::uint8_t> mask(static_cast<std::size_t>(w) * h);
    std::size_t filled = 0;
    for (auto& c : mask) filled += c = fill(rng);
    if (round % 3 == 0) mask = detail::grow_one_cell(mask, w, h);  // large blobs with holes
    filled = std::count(mask.begin(), mask.end(), 1);
    auto polygons = detail::cell_outline(mask, w, h);
    double area = 0;
    for (const auto& p : polygons) {
      ASSERT_GT(signed_area(p.rings[0]), 0) << "round " << round;
      for (std::size_t i = 1; i < p.rings.size(); ++i) ASSERT_LT(signed_area(p.rings[i]), 0) << "round " << round;
      for (const auto& r : p.rings) area += signed_area(r);
    }
    EXPECT_EQ(area, static_cast<double>(filled)) << "round " << round;
    if (filled == 0) continue;
    GEOSGeometry* mine = outline_geometry(g.h, polygons);
    GEOSGeometry* want = union_of_squares(g.h, mask, w);
    ASSERT_NE(want, nullptr);
    EXPECT_EQ(GEOSisValid_r(g.h, mine), 1) << "round " << round;
    EXPECT_EQ(GEOSEquals_r(g.h, mine, want), 1) << "round " << round;
    GEOSGeom_destroy_r(g.h, mine);
    GEOSGeom_destroy_r(g.h, want);
  }
}

// The zone's definition, recomputed here: every point of the reached roads and samples every half
// cell between, the 3 x 3 cells around each, in the local plane about `centre`.
std::unordered_set<std::uint64_t> zone_cells(const Reach& reach, LonLat centre, double cell) {
  const double kx = 6371008.8 * M_PI / 180 * std::cos(centre.lat * M_PI / 180), ky = 6371008.8 * M_PI / 180;
  std::unordered_set<std::uint64_t> cells;
  auto mark = [&](double x, double y) {
    auto cx = static_cast<std::int64_t>(std::floor(x / cell)), cy = static_cast<std::int64_t>(std::floor(y / cell));
    for (int dx = -1; dx <= 1; ++dx)
      for (int dy = -1; dy <= 1; ++dy)
        cells.insert(static_cast<std::uint64_t>(cx + dx + (1 << 30)) << 32 |
                     static_cast<std::uint64_t>(cy + dy + (1 << 30)));
  };
  for (const auto& piece : reach.pieces)
    for (std::size_t i = 0; i < piece.size(); ++i) {
      double x = (piece[i].lon - centre.lon) * kx, y = (piece[i].lat - centre.lat) * ky;
      mark(x, y);
      if (i + 1 == piece.size()) break;
      double x2 = (piece[i + 1].lon - centre.lon) * kx, y2 = (piece[i + 1].lat - centre.lat) * ky;
      int steps = static_cast<int>(std::hypot(x2 - x, y2 - y) / (cell / 2));
      for (int s = 1; s <= steps; ++s) mark(x + (x2 - x) * s / (steps + 1), y + (y2 - y) * s / (steps + 1));
    }
  return cells;
}

TEST(ReachPolygon, TheZoneFromAylesburyCoversTheCellsOfItsDefinition) {
  RoadQuery q(testing::bucks_network());
  const LonLat aylesbury{-0.8131, 51.8168}, centre{-0.80, 51.82};
  Reach reach = q.reach(aylesbury, 20 * kMetresPerMile);
  ASSERT_EQ(reach.status, RoadStatus::ok);
  ASSERT_GT(reach.pieces.size(), 10000u);
  const double cell = 250;
  ReachArea area(centre, {.cell_m = cell});
  area.add(reach);
  auto want = zone_cells(reach, centre, cell);
  EXPECT_EQ(area.cells(), want.size());
  // Every reached piece's midpoint (half way along) lies inside; the area is that of the cells,
  // give or take what simplifying by half a cell changes.
  const LonLatMultiPolygon polygon = area.polygon();
  testing::GeosPolygon view(polygon);
  GEOSContextHandle_t h = view.context.get();
  const GEOSGeometry* zone = view.g;
  ASSERT_NE(zone, nullptr);
  EXPECT_EQ(GEOSisValid_r(h, zone), 1);
  const double kx = 6371008.8 * M_PI / 180 * std::cos(centre.lat * M_PI / 180), ky = 6371008.8 * M_PI / 180;
  auto metres = [&](LonLat a, LonLat b) { return std::hypot((b.lon - a.lon) * kx, (b.lat - a.lat) * ky); };
  const GEOSPreparedGeometry* inside = GEOSPrepare_r(h, zone);
  std::size_t outside = 0;
  for (const auto& piece : reach.pieces) {
    double length = 0;
    for (std::size_t i = 0; i + 1 < piece.size(); ++i) length += metres(piece[i], piece[i + 1]);
    LonLat mid = piece[0];
    double done = 0;
    for (std::size_t i = 0; i + 1 < piece.size(); ++i) {
      double d = metres(piece[i], piece[i + 1]);
      if (done + d >= length / 2 && d > 0) {
        double t = (length / 2 - done) / d;
        mid = {piece[i].lon + t * (piece[i + 1].lon - piece[i].lon),
               piece[i].lat + t * (piece[i + 1].lat - piece[i].lat)};
        break;
      }
      done += d;
    }
    GEOSGeometry* p = GEOSGeom_createPointFromXY_r(h, mid.lon, mid.lat);
    outside += GEOSPreparedContains_r(h, inside, p) != 1;
    GEOSGeom_destroy_r(h, p);
  }
  EXPECT_EQ(outside, 0u);
  // The zone's area in the same local plane, square metres.
  double degrees2 = 0;
  GEOSArea_r(h, zone, &degrees2);
  EXPECT_NEAR(degrees2 * kx * ky, want.size() * cell * cell, 0.03 * want.size() * cell * cell);
  // area_m2 (geo/lonlat_polygon) on its own plane agrees.
  EXPECT_NEAR(area_m2(polygon), degrees2 * kx * ky, 0.005 * degrees2 * kx * ky);
  GEOSPreparedGeom_destroy_r(h, inside);
}

}  // namespace
}  // namespace placedist::geo::roads
