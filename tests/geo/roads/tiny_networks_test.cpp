// Small networks drawn as ASCII maps: one-way rules, speeds, access, islands, snapping mid-edge.
#include <gtest/gtest.h>

#include <cmath>

#include "geo/roads/car_profile.hpp"
#include "geo/roads/road_query.hpp"
#include "tests/geo/roads/ascii_map.hpp"

using namespace placedist::geo;

namespace placedist::geo::roads {
namespace {

using testing::AsciiMap;
using testing::AsciiWay;
using Tags = std::map<std::string, std::string>;

// Nudges a point off the road by about 5 m (north), so it snaps onto the road below it.
LonLat near(LonLat p) { return {p.lon, p.lat + 0.000045}; }

const char* kLine = R"(
a   b   c   d
)";

TEST(TinyNetworks, TwoWayRoadRoutesBothWays) {
  AsciiMap map(kLine);
  auto net = map.build({{"abcd", {{"highway", "residential"}}}});
  RoadQuery q(net);
  RoadResult ab = q.route(map.at('a'), map.at('d')), ba = q.route(map.at('d'), map.at('a'));
  ASSERT_EQ(ab.status, RoadStatus::ok);
  ASSERT_EQ(ba.status, RoadStatus::ok);
  EXPECT_NEAR(ab.shortest_metres, 12 * AsciiMap::kColDeg * 111195 * std::cos(52 * M_PI / 180), 1.0);
  EXPECT_DOUBLE_EQ(ab.shortest_metres, ba.shortest_metres);
  // residential without maxspeed: 25 km/h.
  EXPECT_NEAR(ab.fastest_seconds, ab.fastest_metres / (25 / 3.6), 0.01);
}

// a-b is a dead-end spur onto the one-way b-c; with a two-way loop b-d-e-c back.
const char* kLoop = R"(
a---b---c---f
    |   |
    d---e
)";

TEST(TinyNetworks, OnewayForcesTheDetour) {
  AsciiMap map(kLoop);
  for (auto [tags, forward_direct] : {std::pair{Tags{{"highway", "residential"}, {"oneway", "yes"}}, true},
                                      std::pair{Tags{{"highway", "residential"}, {"oneway", "-1"}}, false},
                                      std::pair{Tags{{"highway", "residential"}, {"junction", "roundabout"}}, true},
                                      std::pair{Tags{{"highway", "motorway"}}, true},
                                      std::pair{Tags{{"highway", "motorway"}, {"oneway", "no"}}, true}}) {
    auto net = map.build({{"ab", {{"highway", "residential"}}},
                          {"bc", tags},
                          {"cf", {{"highway", "residential"}}},
                          {"bdec", {{"highway", "residential"}}}});
    RoadQuery q(net);
    RoadResult there = q.route(map.at('a'), map.at('f')), back = q.route(map.at('f'), map.at('a'));
    ASSERT_EQ(there.status, RoadStatus::ok);
    ASSERT_EQ(back.status, RoadStatus::ok);
    const double direct = 12 * AsciiMap::kColDeg * 111195 * std::cos(52 * M_PI / 180);
    bool two_way = tags.count("oneway") && tags.at("oneway") == "no";
    if (forward_direct)
      EXPECT_NEAR(there.shortest_metres, direct, 1.0);
    else
      EXPECT_GT(there.shortest_metres, direct + 40);
    if (two_way)
      EXPECT_NEAR(back.shortest_metres, direct, 1.0);
    else if (forward_direct)
      EXPECT_GT(back.shortest_metres, direct + 40);
    else
      EXPECT_NEAR(back.shortest_metres, direct, 1.0);
  }
}

TEST(TinyNetworks, SpeedsFromMaxspeedAndClass) {
  AsciiMap map(kLine);
  auto time_for = [&](Tags tags) {
    auto net = map.build({{"abcd", tags}});
    RoadQuery q(net);
    RoadResult r = q.route(map.at('a'), map.at('d'));
    EXPECT_EQ(r.status, RoadStatus::ok);
    return r.fastest_metres / r.fastest_seconds * 3.6;  // km/h
  };
  EXPECT_NEAR(time_for({{"highway", "primary"}}), 65, 0.1);
  EXPECT_NEAR(time_for({{"highway", "primary"}, {"maxspeed", "30 mph"}}), 30 * 1.609344 * 0.8, 0.1);
  EXPECT_NEAR(time_for({{"highway", "primary"}, {"maxspeed", "50"}}), 40, 0.1);
  EXPECT_NEAR(time_for({{"highway", "primary"}, {"maxspeed", "national"}}), 60 * 1.609344 * 0.8, 0.1);
  EXPECT_NEAR(time_for({{"highway", "trunk"}, {"maxspeed:type", "GB:nsl_dual"}}), 70 * 1.609344 * 0.8, 0.1);
  EXPECT_NEAR(time_for({{"highway", "motorway"}, {"oneway", "no"}}), 90, 0.1);
}

TEST(TinyNetworks, AccessAndIslands) {
  // c-d is a separate island of road; b-c is private.
  AsciiMap map(kLine);
  auto net = map.build({{"ab", {{"highway", "residential"}}},
                        {"bc", {{"highway", "residential"}, {"access", "private"}}},
                        {"cd", {{"highway", "residential"}}}});
  RoadQuery q(net);
  EXPECT_EQ(q.route(map.at('a'), map.at('b')).status, RoadStatus::ok);
  EXPECT_EQ(q.route(map.at('a'), map.at('d')).status, RoadStatus::no_route);
  // motorcar=yes overrides access=no.
  auto open = map.build({{"abcd", {{"highway", "residential"}, {"access", "no"}, {"motorcar", "yes"}}}});
  EXPECT_EQ(RoadQuery(open).route(map.at('a'), map.at('d')).status, RoadStatus::ok);
  // Nothing drivable: ferries not open to cars (ferries_test.cpp), footways.
  EXPECT_FALSE(car_way(std::vector<Tag>{{"route", "ferry"}}));
  EXPECT_FALSE(car_way(std::vector<Tag>{{"highway", "footway"}}));
  EXPECT_FALSE(car_way(std::vector<Tag>{{"highway", "track"}}));
}

TEST(TinyNetworks, SnapsOntoSegmentsAndReportsStatus) {
  AsciiMap map(kLine);
  auto net = map.build({{"abcd", {{"highway", "residential"}}}});
  RoadQuery q(net);
  // 20 m north of the middle of b-c: snaps onto the segment, not onto a node.
  LonLat mid{(map.at('b').lon + map.at('c').lon) / 2, map.at('b').lat + 20 / 111195.0};
  SnapResult s = q.snap(mid);
  ASSERT_EQ(s.status, RoadStatus::ok);
  EXPECT_NEAR(s.snap_m, 20, 0.1);
  EXPECT_NEAR(s.point.lon, mid.lon, 1e-7);
  // The route from there to a covers half of b-c plus a-b.
  RoadResult r = q.route(mid, map.at('a'));
  const double col = AsciiMap::kColDeg * 111195 * std::cos(52 * M_PI / 180);
  EXPECT_NEAR(r.shortest_metres, 4 * col + 2 * col, 0.5);
  EXPECT_NEAR(r.from_snap_m, 20, 0.1);
  // 2 km away, but in the network's area: no road within the default 1 km.
  EXPECT_EQ(q.snap({mid.lon, mid.lat + 0.018}).status, RoadStatus::no_road_within_radius);
  EXPECT_EQ(q.route({mid.lon, mid.lat + 0.018}, mid).status, RoadStatus::no_road_within_radius);
  // Far away: outside the network.
  EXPECT_EQ(q.route(mid, {-3.5, 50.7}).status, RoadStatus::outside_network);
  EXPECT_TRUE(std::isnan(q.route(mid, {-3.5, 50.7}).fastest_seconds));
  // A larger radius reaches the road.
  RoadQuery wide(net, {.snap_radius_m = 3000});
  EXPECT_EQ(wide.snap({mid.lon, mid.lat + 0.018}).status, RoadStatus::ok);
  // Bad input never crashes.
  EXPECT_EQ(q.route({NAN, 52}, mid).status, RoadStatus::outside_network);
}

// Both ends on one one-way edge a-d (b and c are only shape points), with a way back below.
const char* kOnewayLoop = R"(
a   b   c   d
|           |
e-----------f
)";

TEST(TinyNetworks, SameEdgeRoutes) {
  AsciiMap map(kOnewayLoop);
  auto net =
      map.build({{"abcd", {{"highway", "residential"}, {"oneway", "yes"}}}, {"aefd", {{"highway", "residential"}}}});
  RoadQuery q(net);
  const double col = AsciiMap::kColDeg * 111195 * std::cos(52 * M_PI / 180);
  LonLat p{map.at('a').lon + AsciiMap::kColDeg, map.at('a').lat};
  LonLat r{map.at('a').lon + 3 * AsciiMap::kColDeg, map.at('a').lat};
  RoadResult ok = q.route(near(p), near(r));
  ASSERT_EQ(ok.status, RoadStatus::ok);
  EXPECT_NEAR(ok.shortest_metres, 2 * col, 0.5);
  // Against the one-way: round the loop (to d, down, along, up to a, then to p).
  RoadResult back = q.route(near(r), near(p));
  ASSERT_EQ(back.status, RoadStatus::ok);
  EXPECT_NEAR(back.shortest_metres, 9 * col + 2 * 2 * 0.0003 * 111195 + 12 * col + col, 1.0);
  RouteGeometry g = q.route_geometry(near(p), near(r));
  ASSERT_EQ(g.status, RoadStatus::ok);
  EXPECT_EQ(g.points.size(), 2u);
  RouteGeometry gb = q.route_geometry(near(r), near(p));
  ASSERT_EQ(gb.status, RoadStatus::ok);
  EXPECT_EQ(gb.points.size(), 8u);  // r, b, c (shape points), d, f, e, a, p
}

TEST(TinyNetworks, RouteGeometryFollowsTheRoads) {
  AsciiMap map(kLoop);
  auto net = map.build({{"ab", {{"highway", "residential"}}},
                        {"bc", {{"highway", "residential"}, {"oneway", "-1"}}},
                        {"cf", {{"highway", "residential"}}},
                        {"bdec", {{"highway", "residential"}}}});
  RoadQuery q(net);
  RouteGeometry g = q.route_geometry(map.at('a'), map.at('f'), Metric::shortest);
  ASSERT_EQ(g.status, RoadStatus::ok);
  std::vector<LonLat> expect{map.at('a'), map.at('b'), map.at('d'), map.at('e'), map.at('c'), map.at('f')};
  ASSERT_EQ(g.points.size(), expect.size());
  for (std::size_t i = 0; i < expect.size(); ++i) {
    EXPECT_NEAR(g.points[i].lon, expect[i].lon, 1e-6) << i;
    EXPECT_NEAR(g.points[i].lat, expect[i].lat, 1e-6) << i;
  }
  double len = 0;
  for (std::size_t i = 1; i < g.points.size(); ++i) {
    double dx = (g.points[i].lon - g.points[i - 1].lon) * 111195 * std::cos(52 * M_PI / 180);
    double dy = (g.points[i].lat - g.points[i - 1].lat) * 111195;
    len += std::hypot(dx, dy);
  }
  EXPECT_NEAR(len, g.metres, 1.0);
}

TEST(TinyNetworks, ReachStopsAtTheLimit) {
  AsciiMap map(kLine);
  auto net = map.build({{"abcd", {{"highway", "residential"}}}});
  RoadQuery q(net);
  const double col = AsciiMap::kColDeg * 111195 * std::cos(52 * M_PI / 180);
  Reach r = q.reach(map.at('a'), 6 * col);  // halfway along the road
  ASSERT_EQ(r.status, RoadStatus::ok);
  double east = -180;
  for (auto& piece : r.pieces)
    for (LonLat p : piece) east = std::max(east, p.lon);
  EXPECT_NEAR(east, (map.at('b').lon + map.at('c').lon) / 2, 2e-6);
}

}  // namespace
}  // namespace placedist::geo::roads
