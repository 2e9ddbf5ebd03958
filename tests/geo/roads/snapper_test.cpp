// The snapper's grid against its oracle: a brute-force scan of every snappable segment, with the
// same distance arithmetic (segment_offset), on thousands of points of the real extracts: near
// roads, anywhere over and around the network (outside it, on its border), exactly on junctions
// and polyline vertices, and half way between two roads (near ties). Same edge, segment,
// position, point, distance and fraction, bit for bit, or nullopt both.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <numbers>
#include <random>

#include "geo/local_plane.hpp"
#include "geo/roads/osm_reader.hpp"
#include "geo/roads/segment_grid.hpp"
#include "geo/roads/snapper.hpp"
#include "tests/geo/roads/road_test_support.hpp"

namespace placedist::geo::roads {
namespace {

using detail::NetworkData;
using detail::segment_offset;
using detail::SegmentGrid;
using detail::Snap;
using detail::Snapper;

struct Oracle {
  std::uint32_t point = 0;
  detail::SegmentOffset offset;
  int ties = 0;  // other segments at exactly the same distance
};

std::optional<Oracle> brute_force(const NetworkData& d, LonLat where, double radius_m) {
  if (!std::isfinite(where.lon) || !std::isfinite(where.lat) || std::abs(where.lat) > 89 || !(radius_m >= 0))
    return std::nullopt;
  const LocalPlane plane(where);
  std::optional<Oracle> best;
  for (std::uint32_t e = 0; e < d.edges.size(); ++e) {
    if (!d.snappable[e]) continue;
    for (std::uint32_t p = d.first_point[e]; p + 1 < d.first_point[e + 1]; ++p) {
      auto o = segment_offset(d.points[p], d.points[p + 1], where, plane.metres_per_degree_lon(),
                              plane.metres_per_degree_lat());
      if (best && o.d2 == best->offset.d2) ++best->ties;  // p rises: the first one found stays
      if (best && o.d2 >= best->offset.d2) continue;
      best = Oracle{p, o, 0};
    }
  }
  if (!best || best->offset.d2 > radius_m * radius_m) return std::nullopt;
  return best;
}

LonLat deg(FixedPoint p) { return {p.lon / kFixedPerDegree, p.lat / kFixedPerDegree}; }

struct Counts {
  std::size_t snapped = 0, none = 0, ties = 0;
};

// Points of every kind named above, fixed seed.
std::vector<LonLat> oracle_points(const NetworkData& d, std::size_t each, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::int32_t lon0 = INT32_MAX, lon1 = INT32_MIN, lat0 = INT32_MAX, lat1 = INT32_MIN;
  for (FixedPoint p : d.nodes) {
    lon0 = std::min(lon0, p.lon), lon1 = std::max(lon1, p.lon), lat0 = std::min(lat0, p.lat),
    lat1 = std::max(lat1, p.lat);
  }
  std::vector<LonLat> out;
  std::uniform_int_distribution<std::size_t> node(0, d.nodes.size() - 1), point(0, d.points.size() - 1);
  std::uniform_real_distribution<double> jitter(-0.004, 0.004);
  // Around the bounding box, 0.08 degrees (5-9 km) beyond it: outside the network and its border.
  std::uniform_real_distribution<double> lon(lon0 / kFixedPerDegree - 0.08, lon1 / kFixedPerDegree + 0.08),
      lat(lat0 / kFixedPerDegree - 0.08, lat1 / kFixedPerDegree + 0.08);
  for (std::size_t i = 0; i < each; ++i) {
    LonLat n = deg(d.nodes[node(rng)]);
    out.push_back({n.lon + jitter(rng), n.lat + jitter(rng) * 0.6});  // near roads
    out.push_back({lon(rng), lat(rng)});                              // anywhere over and around
    out.push_back(n);                                                 // exactly on a junction
    out.push_back(deg(d.points[point(rng)]));                         // on a polyline vertex
    // Five metres off a junction: several edges end at the same vertex, so several segments are
    // nearest at exactly the same distance whenever the vertex is the nearest point (ties).
    out.push_back({n.lon + 0.00007, n.lat + 0.00002});
    // Between two vertices of a polyline (on a road, up to rounding), and between two roads' vertices.
    std::size_t p = std::min(point(rng), d.points.size() - 2);
    LonLat a = deg(d.points[p]), b = deg(d.points[p + 1]), c = deg(d.points[point(rng)]);
    out.push_back({(a.lon + b.lon) / 2, (a.lat + b.lat) / 2});
    out.push_back({(a.lon + c.lon) / 2, (a.lat + c.lat) / 2});
  }
  return out;
}

void expect_same(const Snapper& snapper, const NetworkData& d, const std::vector<LonLat>& points, double radius,
                 Counts& counts) {
  for (std::size_t i = 0; i < points.size(); ++i) {
    LonLat w = points[i];
    std::optional<Snap> got = snapper.snap(w, radius);
    std::optional<Oracle> want = brute_force(d, w, radius);
    ASSERT_EQ(got.has_value(), want.has_value()) << "point " << i << " radius " << radius;
    if (!want) {
      ++counts.none;
      continue;
    }
    ++counts.snapped;
    counts.ties += want->ties > 0;
    std::uint32_t edge = 0;
    while (d.first_point[edge + 1] <= want->point) ++edge;
    const LocalPlane plane(w);
    ASSERT_EQ(got->edge, edge) << "point " << i;
    ASSERT_EQ(got->segment, want->point - d.first_point[edge]) << "point " << i;
    ASSERT_EQ(got->segment_t, want->offset.t) << "point " << i;
    ASSERT_EQ(got->snap_m, std::sqrt(want->offset.d2)) << "point " << i;
    ASSERT_EQ(got->point.lon, w.lon + want->offset.x / plane.metres_per_degree_lon()) << "point " << i;
    ASSERT_EQ(got->point.lat, w.lat + want->offset.y / plane.metres_per_degree_lat()) << "point " << i;
    ASSERT_EQ(got->fraction, detail::edge_fraction(d, edge, got->segment, want->offset.t)) << "point " << i;
  }
}

void check_extract(const RoadNetwork& net, std::size_t each, std::uint32_t seed) {
  const NetworkData& d = net.data();
  const Snapper& snapper = net.snapper();
  auto points = oracle_points(d, each, seed);
  Counts counts;
  expect_same(snapper, d, points, 1000, counts);
  // Small radii (only near points answer), none at all, and a wide one (every outside point).
  std::vector<LonLat> some(points.begin(), points.begin() + points.size() / 4);
  for (double r : {25.0, 0.0, 6000.0}) expect_same(snapper, d, some, r, counts);
  std::cout << counts.snapped << " snapped (" << counts.ties << " with ties), " << counts.none << " none\n";
  // Not a test that passes on empty answers: most near points snap, outside ones do not, ties seen.
  EXPECT_GT(counts.snapped, points.size() / 2);
  EXPECT_GT(counts.none, each / 4);
  EXPECT_GT(counts.ties, each / 10);
  // Off the globe or malformed: nothing, as before.
  for (LonLat w : {LonLat{NAN, 52}, LonLat{-0.7, INFINITY}, LonLat{-0.7, 89.5}, LonLat{1e300, 52}, LonLat{-0.7, 52}})
    EXPECT_FALSE(snapper.snap(w, w.lon == -0.7 && w.lat == 52 ? -1 : 1000).has_value());
  EXPECT_FALSE(snapper.snap({1e300, 52}, 1000).has_value());
}

RoadNetwork& rutland() { return const_cast<RoadNetwork&>(*testing::rutland_network()); }

// The grid's nearest segment within radius_m is the brute-force scan's: none for both, or the
// same point, squared distance and position along the segment. *found: there was one.
::testing::AssertionResult grid_equals_brute_force(const SegmentGrid& grid, const NetworkData& d, LonLat w,
                                                   double radius_m, bool* found = nullptr) {
  const LocalPlane at(w);
  auto got = grid.nearest(w, at.metres_per_degree_lon(), at.metres_per_degree_lat(), radius_m);
  auto want = brute_force(d, w, radius_m);
  if (found) *found = want.has_value();
  if (got.has_value() != want.has_value())
    return ::testing::AssertionFailure() << (want ? "the grid found none" : "the grid found one beyond the radius");
  if (!want) return ::testing::AssertionSuccess();
  if (got->point != want->point) return ::testing::AssertionFailure() << "another point";
  if (got->offset.d2 != want->offset.d2) return ::testing::AssertionFailure() << "another distance";
  if (got->offset.t != want->offset.t) return ::testing::AssertionFailure() << "another position along";
  return ::testing::AssertionSuccess();
}

TEST(Snapper, RutlandEqualsBruteForce) { check_extract(rutland(), 1000, 16); }

TEST(Snapper, BucksEqualsBruteForce) { check_extract(*testing::bucks_network(), 300, 20); }

// The grid's search is exact whatever its cell size: cells far smaller than segments (one
// segment filed under many cells, many rings) and far larger (one ring holds everything near).
TEST(Snapper, GridCellSizeDoesNotChangeAnswers) {
  const NetworkData& d = rutland().data();
  auto points = oracle_points(d, 150, 7);
  for (double cell_m : {10.0, 37.0, 300.0, 5000.0, 1e6}) {
    SegmentGrid grid(d, cell_m);
    for (double radius : {1000.0, 80.0}) {
      for (std::size_t i = 0; i < points.size(); ++i)
        ASSERT_TRUE(grid_equals_brute_force(grid, d, points[i], radius)) << "cell " << cell_m << " point " << i;
    }
  }
}

// Far from every road: Rutland with every road within 6 km of its middle taken out (a hole,
// like a sea or a moor) and points in the hole, on its rim and up to 0.5 degrees around the
// county. Such a query skips the empty rings around its cell at once (the grid's coarse level);
// the answer must be the brute-force one whatever the cell size, including cells so small that
// the empty rings outnumber what the level stores (10 m cells: 600 rings to the rim).
TEST(Snapper, FarFromRoadsEqualsBruteForce) {
  const NetworkData& full = rutland().data();
  std::int64_t lon_sum = 0, lat_sum = 0;
  for (FixedPoint p : full.nodes) lon_sum += p.lon, lat_sum += p.lat;
  const LonLat middle{lon_sum / double(full.nodes.size()) / kFixedPerDegree,
                      lat_sum / double(full.nodes.size()) / kFixedPerDegree};
  const LocalPlane plane(middle);
  auto metres_from_middle = [&](FixedPoint p) {
    double dx = (deg(p).lon - middle.lon) * plane.metres_per_degree_lon(),
           dy = (deg(p).lat - middle.lat) * plane.metres_per_degree_lat();
    return std::sqrt(dx * dx + dy * dy);
  };
  RoadEdges holed;
  holed.nodes.assign(full.nodes.begin(), full.nodes.end());
  std::vector<FixedPoint> line;
  for (std::uint32_t e = 0; e < full.edges.size(); ++e) {
    line.assign(full.points.begin() + full.first_point[e], full.points.begin() + full.first_point[e + 1]);
    if (std::any_of(line.begin(), line.end(), [&](FixedPoint p) { return metres_from_middle(p) < 6000; })) continue;
    holed.add_edge(full.edges[e], line);
  }
  ASSERT_LT(holed.edges.size(), full.edges.size() * 3 / 4);
  ASSERT_GT(holed.edges.size(), full.edges.size() / 10);
  auto net = RoadNetwork::from_edges(holed);
  const NetworkData& d = net->data();

  std::mt19937 rng(24);
  std::uniform_real_distribution<double> turn(0, 2 * std::numbers::pi), in_hole(0, 6000), around(-0.5, 0.5);
  std::vector<LonLat> points;
  for (int i = 0; i < 400; ++i) {
    double a = turn(rng), r = in_hole(rng);
    points.push_back({middle.lon + r * std::cos(a) / plane.metres_per_degree_lon(),
                      middle.lat + r * std::sin(a) / plane.metres_per_degree_lat()});
    points.push_back({middle.lon + around(rng), middle.lat + around(rng) * 0.6});
  }
  Counts counts;
  for (double radius : {1000.0, 3000.0, 8000.0, 60000.0}) expect_same(net->snapper(), d, points, radius, counts);
  std::cout << counts.snapped << " snapped, " << counts.none << " none\n";
  EXPECT_GT(counts.none, points.size() / 2);     // the hole's middle answers nothing within 3 km
  EXPECT_GT(counts.snapped, points.size() * 2);  // and everything at 60 km
  for (double cell_m : {10.0, 37.0, 300.0, 2000.0}) {
    SegmentGrid grid(d, cell_m);
    for (double radius : {1000.0, 5000.0, 60000.0}) {
      for (std::size_t i = 0; i < points.size(); ++i)
        ASSERT_TRUE(grid_equals_brute_force(grid, d, points[i], radius))
            << "cell " << cell_m << " radius " << radius << " point " << i;
    }
  }
}

// More empty rings than the coarse level counts (it saturates at 255): a thin strip of grid (one
// row of 200 m cells) with two clusters of short roads 2 degrees of longitude apart, some 680
// cells, and points all along and beside the strip.
TEST(Snapper, FarBeyondTheCoarseLevelEqualsBruteForce) {
  std::vector<FixedPoint> points;
  std::vector<std::uint32_t> first_point{0};
  for (double lon0 : {0.0, 2.0})
    for (int i = 0; i < 10; ++i) {
      points.push_back(to_fixed(lon0 + i * 0.001, 52.0 + (i % 3) * 0.0002));
      points.push_back(to_fixed(lon0 + i * 0.001 + 0.0007, 52.0003));
      first_point.push_back(static_cast<std::uint32_t>(points.size()));
    }
  std::vector<RoadEdge> edges(first_point.size() - 1);
  std::vector<std::uint8_t> snappable(edges.size(), 1);
  snappable[3] = 0;  // not a road to snap to: never the answer
  NetworkData d;
  d.edges = edges;
  d.first_point = first_point;
  d.points = points;
  d.snappable = snappable;
  std::mt19937 rng(255);
  std::uniform_real_distribution<double> lon(-0.3, 2.3), lat(51.95, 52.05);
  std::vector<LonLat> queries;
  for (int i = 0; i < 600; ++i) queries.push_back({lon(rng), lat(rng)});
  std::size_t snapped = 0, none = 0;
  for (double cell_m : {200.0, 0.0, 50.0}) {
    SegmentGrid grid(d, cell_m);
    if (cell_m == 200.0) {
      ASSERT_EQ(grid.cell_metres(), 200.0);  // the strip is one row of some 680 cells
    }
    for (double radius : {1000.0, 30000.0, 80000.0, 200000.0}) {
      for (std::size_t i = 0; i < queries.size(); ++i) {
        bool found = false;
        ASSERT_TRUE(grid_equals_brute_force(grid, d, queries[i], radius, &found))
            << "cell " << cell_m << " radius " << radius << " point " << i;
        ++(found ? snapped : none);
      }
    }
  }
  EXPECT_GT(none, queries.size());     // at 1 and 30 km most of the strip is too far
  EXPECT_GT(snapped, queries.size());  // at 200 km every point snaps
}

// Segments are filed under the cells they pass through, not their boxes: long roads at every
// slope (and level, upright, very short) across hundreds of cells, with points near and on them,
// answer as a scan of every segment does, whatever the cell size.
TEST(Snapper, LongSegmentsAtEverySlopeEqualBruteForce) {
  std::mt19937 rng(2024);
  std::uniform_real_distribution<double> lon(-1.2, -0.7), lat(51.6, 52.0), len(-0.3, 0.3), tiny(-0.0003, 0.0003);
  std::vector<FixedPoint> points;
  std::vector<std::uint32_t> first_point{0};
  for (int i = 0; i < 3000; ++i) {
    const double x = lon(rng), y = lat(rng);
    const int kind = i % 6;
    double dx = len(rng), dy = len(rng);
    if (kind == 0) dx = 0;                          // upright
    if (kind == 1) dy = 0;                          // level
    if (kind == 5) dx = tiny(rng), dy = tiny(rng);  // very short
    points.push_back(to_fixed(x, y));
    points.push_back(to_fixed(x + dx, y + dy));
    first_point.push_back(static_cast<std::uint32_t>(points.size()));
  }
  std::vector<RoadEdge> edges(first_point.size() - 1);
  std::vector<std::uint8_t> snappable(edges.size(), 1);
  NetworkData d;
  d.edges = edges;
  d.first_point = first_point;
  d.points = points;
  d.snappable = snappable;
  std::vector<LonLat> queries;
  std::uniform_int_distribution<std::size_t> pick(0, edges.size() - 1);
  std::uniform_real_distribution<double> along(0, 1), off(-0.002, 0.002);
  for (int i = 0; i < 700; ++i) {
    const std::size_t e = pick(rng);
    const LonLat a = deg(points[2 * e]), b = deg(points[2 * e + 1]);
    const double t = along(rng);
    queries.push_back({a.lon + t * (b.lon - a.lon), a.lat + t * (b.lat - a.lat)});  // on the road
    queries.push_back({queries.back().lon + off(rng), queries.back().lat + off(rng)});
    queries.push_back({lon(rng) + len(rng), lat(rng) + len(rng)});
  }
  std::size_t snapped = 0;
  for (double cell_m : {0.0, 60.0, 250.0, 1500.0}) {
    SegmentGrid grid(d, cell_m);
    for (double radius : {40.0, 1000.0}) {
      for (std::size_t i = 0; i < queries.size(); ++i) {
        bool found = false;
        ASSERT_TRUE(grid_equals_brute_force(grid, d, queries[i], radius, &found))
            << "cell " << cell_m << " radius " << radius << " point " << i;
        snapped += found;
      }
    }
  }
  EXPECT_GT(snapped, queries.size() * 4);
}

}  // namespace
}  // namespace placedist::geo::roads
