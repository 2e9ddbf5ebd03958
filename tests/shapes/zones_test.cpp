// 20-mile zones: circles around homes and the buffered council, areas against geometry.
// British National Grid metres; 20 DfE miles = 32,186 m.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "geo/data_dir.hpp"
#include "shapes/boundaries.hpp"
#include "shapes/locate.hpp"
#include "shapes/zones.hpp"

using namespace placedist::geo;
using namespace placedist::shapes;

namespace placedist {
namespace {

constexpr double kR = kTwentyDfeMilesMetres;

TEST(Zones, TwentyDfeMiles) { EXPECT_DOUBLE_EQ(kR, 32186.0); }

TEST(Zones, OneCircleIsPiRSquared) {
  const GridRef aylesbury{482000, 213700};
  const Zone z = union_of_circles(std::span<const GridRef>(&aylesbury, 1));
  const double circle = std::numbers::pi * kR * kR;
  EXPECT_NEAR(z.area_m2 / circle, 1.0, 5e-4);  // a 128-gon is 0.04 % short
  EXPECT_LT(z.area_m2, circle);
  ASSERT_EQ(z.polygons.size(), 1u);
  ASSERT_EQ(z.polygons[0].rings.size(), 1u);
  for (GridRef p : z.polygons[0].rings[0])
    EXPECT_NEAR(std::hypot(p.easting - aylesbury.easting, p.northing - aylesbury.northing), kR, 1e-6 * kR);
  ASSERT_GT(z.wkb.size(), 9u);
  EXPECT_EQ(z.wkb[0], 1);  // little-endian
  EXPECT_EQ(z.wkb[1], 6);  // MultiPolygon
  // GEOS's default 8 segments per quadrant: 0.6 % short.
  ZoneOptions coarse;
  coarse.quadrant_segments = 8;
  const double a8 = union_of_circles(std::span<const GridRef>(&aylesbury, 1), coarse).area_m2;
  EXPECT_NEAR(a8 / circle, 16 * std::sin(std::numbers::pi / 16) / std::numbers::pi,
              1e-6);  // a 32-gon: (n/2) sin(2pi/n)
}

TEST(Zones, UnionOfCircles) {
  const std::vector<GridRef> far{{400000, 200000}, {500000, 200000}};               // 100 km apart: disjoint
  const std::vector<GridRef> same{{400000, 200000}, {400000, 200000}};              // one home twice
  const std::vector<GridRef> overlapping{{400000, 200000}, {400000 + kR, 200000}};  // one radius apart
  const double one = union_of_circles(std::span<const GridRef>(far.data(), 1)).area_m2;
  const Zone two = union_of_circles(far);
  EXPECT_NEAR(two.area_m2, 2 * one, 1e-6 * one);
  EXPECT_EQ(two.polygons.size(), 2u);
  EXPECT_NEAR(union_of_circles(same).area_m2, one, 1e-6 * one);
  // Two unit circles one radius apart overlap by (2pi/3 - sqrt(3)/2) r^2.
  const double lens = (2 * std::numbers::pi / 3 - std::sqrt(3.0) / 2) * kR * kR;
  const Zone o = union_of_circles(overlapping);
  EXPECT_EQ(o.polygons.size(), 1u);
  EXPECT_NEAR(o.area_m2, 2 * std::numbers::pi * kR * kR - lens, 2e-3 * o.area_m2);
  EXPECT_EQ(union_of_circles({}).area_m2, 0);
  EXPECT_TRUE(union_of_circles({}).polygons.empty());
}

TEST(Zones, BufferedCouncil) {
  const Boundaries b =
      Boundaries::load(data_file("boundaries/geography_bits/utla_bgc_bucks_and_neighbours_dissolved.geojson"));
  const std::size_t bucks = *b.find("E06000060");
  const Zone z = buffer_council(b, bucks);
  // Steiner: a convex shape grows by perimeter * r + pi r^2; Bucks is not convex, so less,
  // but never less than the area plus one circle.
  double perimeter = 0;
  for (const Polygon& p : b.polygons(bucks))
    for (const auto& ring : p.rings)
      for (std::size_t i = 0; i + 1 < ring.size(); ++i)
        perimeter += std::hypot(ring[i + 1].easting - ring[i].easting, ring[i + 1].northing - ring[i].northing);
  const double area = b.area_m2(bucks);
  EXPECT_GT(z.area_m2, area + std::numbers::pi * kR * kR);
  EXPECT_LT(z.area_m2, area + perimeter * kR + std::numbers::pi * kR * kR);
  ASSERT_EQ(z.polygons.size(), 1u);
  // The zone's outer ring reaches 20 miles beyond Bucks' western and eastern extremes.
  double min_e = 1e9, max_e = -1e9;
  for (GridRef p : z.polygons[0].rings[0]) {
    min_e = std::min(min_e, p.easting);
    max_e = std::max(max_e, p.easting);
  }
  double bmin = 1e9, bmax = -1e9;
  for (const Polygon& p : b.polygons(bucks))
    for (GridRef q : p.rings[0]) {
      bmin = std::min(bmin, q.easting);
      bmax = std::max(bmax, q.easting);
    }
  // A 128-gon's arcs fall short of the circle by up to r (1 - cos(pi/128)) = 9.7 m.
  const double sag = kR * (1 - std::cos(std::numbers::pi / 128));
  EXPECT_NEAR(bmin - min_e, kR - sag / 2, sag / 2 + 0.01);
  EXPECT_NEAR(max_e - bmax, kR - sag / 2, sag / 2 + 0.01);
  EXPECT_THROW(buffer_council(b, b.size()), std::out_of_range);
}

}  // namespace
}  // namespace placedist
