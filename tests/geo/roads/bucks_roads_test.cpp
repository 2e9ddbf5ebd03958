// The Buckinghamshire + Milton Keynes car graph (OSM 2016, GraphHopper export): hierarchy against
// Dijkstra, matrix against one-to-one, and the reference distances in its README.
#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "geo/distance.hpp"
#include "geo/roads/reach_polygon.hpp"
#include "tests/geo/roads/geos_polygon.hpp"
#include "tests/geo/roads/road_test_support.hpp"

using namespace placedist::geo;

namespace placedist::geo::roads {
namespace {

using testing::bucks_network;

TEST(BucksRoads, LoadsTheWholeGraph) {
  auto net = bucks_network();
  EXPECT_EQ(net->edge_count(), 56965u);
  EXPECT_EQ(net->node_count(), 49215u);
}

TEST(BucksRoads, HierarchyEqualsDijkstra) { testing::expect_routes_equal_dijkstra(bucks_network(), 1000, 42); }

// Matrices by hub labels and by the hierarchy's buckets equal one-to-one routes.
TEST(BucksRoads, MatrixEqualsOneToOne) {
  auto net = bucks_network();
  ASSERT_GT(net->hub_label_bytes(), 0u);
  testing::expect_matrices_equal_routes(net, 30, 40, 7);
}

// One shared network, one query object per thread: the same answers as one thread alone.
TEST(BucksRoads, ThreadsShareTheNetwork) {
  auto net = bucks_network();
  auto pts = testing::random_points(*net, 400, 31);
  std::vector<double> alone(200), threaded(200);
  RoadQuery q(net);
  for (std::size_t i = 0; i < 200; ++i) alone[i] = q.route(pts[2 * i], pts[2 * i + 1]).fastest_seconds;
  std::vector<std::thread> workers;
  for (int t = 0; t < 4; ++t)
    workers.emplace_back([&, t] {
      RoadQuery mine(net);
      for (std::size_t i = t; i < 200; i += 4) threaded[i] = mine.route(pts[2 * i], pts[2 * i + 1]).fastest_seconds;
    });
  for (auto& w : workers) w.join();
  for (std::size_t i = 0; i < 200; ++i)
    if (!std::isnan(alone[i])) {
      EXPECT_EQ(alone[i], threaded[i]) << i;
    }
}

struct Town {
  const char* name;
  LonLat where;
};
// Town centres (WGS84, from OpenStreetMap place nodes, rounded).
const Town kAylesbury{"Aylesbury", {-0.8131, 51.8168}};
const Town kHighWycombe{"High Wycombe", {-0.7487, 51.6287}};
const Town kCentralMK{"Central Milton Keynes", {-0.7594, 52.0406}};
const Town kAmersham{"Amersham", {-0.6077, 51.6740}};
const Town kBuckingham{"Buckingham", {-0.9868, 51.9995}};
const Town kBeaconsfield{"Beaconsfield", {-0.6455, 51.6094}};

double miles(double metres) { return metres / kMetresPerMile; }

TEST(BucksRoads, ReadmeReferenceDistances) {
  RoadQuery q(bucks_network());
  struct Case {
    Town a, b;
    double shortest_mi;
  };
  // README: Aylesbury-High Wycombe 15.0 mi, Aylesbury-Central MK 19.0 mi, High Wycombe-Amersham
  // 8.2 mi, Buckingham-Beaconsfield 35.2 mi (between its chosen town-centre nodes; ours are
  // nearby points, hence the tolerance).
  for (const Case& c : {Case{kAylesbury, kHighWycombe, 15.0}, Case{kAylesbury, kCentralMK, 19.0},
                        Case{kHighWycombe, kAmersham, 8.2}, Case{kBuckingham, kBeaconsfield, 35.2}}) {
    RoadResult r = q.route(c.a.where, c.b.where);
    ASSERT_EQ(r.status, RoadStatus::ok) << c.a.name << "-" << c.b.name;
    EXPECT_NEAR(miles(r.shortest_metres), c.shortest_mi, 0.3) << c.a.name << "-" << c.b.name;
    EXPECT_LT(r.from_snap_m, 200);
  }
  // Aylesbury-Central MK fastest: 22.0 mi, 28 min.
  RoadResult r = q.route(kAylesbury.where, kCentralMK.where);
  EXPECT_NEAR(miles(r.fastest_metres), 22.0, 0.3);
  EXPECT_NEAR(r.fastest_seconds / 60, 28, 1);
}

// The road 20-mile zone from Aylesbury: towns nearer than 20 road miles lie inside it, towns
// much further outside. (How fast it is built is a benchmark's business, not this test's.)
TEST(BucksRoads, TwentyMileZoneFromAylesbury) {
  RoadQuery q(bucks_network());
  Reach reach = q.reach(kAylesbury.where, 20 * kMetresPerMile);
  ASSERT_EQ(reach.status, RoadStatus::ok);
  LonLatMultiPolygon polygon = reach_polygon(reach);
  ASSERT_FALSE(polygon.empty());
  testing::GeosPolygon zone(polygon);
  ASSERT_NE(zone.g, nullptr);
  auto inside = [&](LonLat p) { return zone.contains(p); };
  for (const Town& t : {kHighWycombe, kCentralMK, kAmersham}) {
    EXPECT_LT(miles(q.route(kAylesbury.where, t.where).shortest_metres), 19.5) << t.name;
    EXPECT_TRUE(inside(t.where)) << t.name;
  }
  // Olney, north of Milton Keynes: 27 road miles.
  LonLat olney{-0.7013, 52.1530};
  EXPECT_GT(miles(q.route(kAylesbury.where, olney).shortest_metres), 24);
  EXPECT_FALSE(inside(olney));
  EXPECT_FALSE(inside({-0.2, 51.9}));  // Hertfordshire, off the network
}

}  // namespace
}  // namespace placedist::geo::roads

namespace placedist::geo::roads {
namespace {

// A multi-source reach (analyse's road zone from every home) covers the union of the single
// reaches: the same grid cells, give or take the few a piece's end point falls into.
using testing::bucks_network;

TEST(BucksRoads, ReachFromManyPointsIsTheUnionOfTheirReaches) {
  RoadQuery q(bucks_network());
  std::vector<LonLat> homes = {{-0.8095, 51.8186}, {-0.7703, 52.0372}, {-0.7480, 51.6290}};  // Aylesbury, MK, Wycombe
  const double limit = 8 * 1609.344;
  ReachArea one({-0.78, 51.83}), many({-0.78, 51.83});
  for (LonLat h : homes) one.add(q.reach(h, limit));
  Reach all = q.reach(homes, limit);
  ASSERT_EQ(all.status, RoadStatus::ok);
  many.add(all);
  EXPECT_GT(one.cells(), 1000u);
  EXPECT_NEAR(static_cast<double>(many.cells()), static_cast<double>(one.cells()), 0.01 * one.cells());
  EXPECT_LE(all.from_snap_m, q.reach(homes[0], limit).from_snap_m);
  std::vector<LonLat> nowhere = {{-3.53, 50.72}};  // Exeter
  EXPECT_EQ(q.reach(nowhere, limit).status, RoadStatus::outside_network);
}

}  // namespace
}  // namespace placedist::geo::roads
