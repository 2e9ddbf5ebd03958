// The Buckinghamshire + Milton Keynes car graph (OSM 2016, GraphHopper export): hierarchy against
// Dijkstra, matrix against one-to-one, and the reference distances in its README.
#include <gtest/gtest.h>

#include "geo/distance.hpp"
#include "tests/geo/roads/road_test_support.hpp"

namespace placedist::roads {
namespace {

using testing::bucks_network;

TEST(BucksRoads, LoadsTheWholeGraph) {
  auto net = bucks_network();
  EXPECT_EQ(net->edge_count(), 56965u);
  EXPECT_EQ(net->node_count(), 49215u);
}

TEST(BucksRoads, HierarchyEqualsDijkstra) { testing::expect_ch_equals_dijkstra(bucks_network(), 1000, 42); }

TEST(BucksRoads, MatrixEqualsOneToOne) {
  auto net = bucks_network();
  RoadQuery q(net);
  auto from = testing::random_points(*net, 30, 7), to = testing::random_points(*net, 40, 8);
  auto m = q.matrix(from, to);
  ASSERT_EQ(m.size(), from.size() * to.size());
  for (std::size_t i = 0; i < from.size(); ++i)
    for (std::size_t j = 0; j < to.size(); ++j) {
      RoadResult r = q.route(from[i], to[j]);
      const RoadResult& x = m[i * to.size() + j];
      ASSERT_EQ(r.status, x.status);
      if (r.status != RoadStatus::ok) continue;
      ASSERT_EQ(r.fastest_seconds, x.fastest_seconds);
      ASSERT_EQ(r.fastest_metres, x.fastest_metres);
      ASSERT_EQ(r.shortest_metres, x.shortest_metres);
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

}  // namespace
}  // namespace placedist::roads
