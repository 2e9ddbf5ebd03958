// Turn restrictions (via node) drawn as ASCII maps: no_* and only_* relations, "except", and the
// hierarchy agreeing with Dijkstra on the split junctions.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "geo/data_dir.hpp"

#include "geo/roads/road_query.hpp"
#include "tests/geo/roads/ascii_map.hpp"
#include "tests/geo/roads/road_test_support.hpp"

using namespace placedist::geo;

namespace placedist::geo::roads {
namespace {

using testing::AsciiMap;
using testing::AsciiRestriction;
using testing::AsciiWay;

// A crossroads at b; d and e are dead ends where a car may turn round.
const char* kCross = R"(
    c

a   b   d

    e
)";

const double kCol = AsciiMap::kColDeg * 111195 * std::cos(52 * M_PI / 180);
const double kRow = AsciiMap::kRowDeg * 111195;

std::vector<AsciiWay> cross_ways() {
  return {{"ab", {{"highway", "residential"}}},
          {"bc", {{"highway", "residential"}}},
          {"bd", {{"highway", "residential"}}},
          {"be", {{"highway", "residential"}}}};
}

RoadResult both(RoadQuery& q, LonLat a, LonLat b) {
  RoadResult ch = q.route(a, b), dj = q.route_dijkstra(a, b);
  EXPECT_EQ(ch.status, dj.status);
  if (ch.status == RoadStatus::ok) {
    EXPECT_EQ(ch.shortest_metres, dj.shortest_metres);
    EXPECT_EQ(ch.fastest_seconds, dj.fastest_seconds);
  }
  return ch;
}

TEST(TurnRestrictions, NoLeftTurnForcesATurnRound) {
  AsciiMap map(kCross);
  OsmRestrictionReport report;
  auto net = map.build(cross_ways(), {{0, 'b', 1, "no_left_turn"}}, &report);
  EXPECT_EQ(report.applied, 1u);
  RoadQuery q(net);
  // a->c would turn left at b: instead, right to e (the nearest dead end), turn round, back to b
  // and straight over to c.
  RoadResult ac = both(q, map.at('a'), map.at('c'));
  ASSERT_EQ(ac.status, RoadStatus::ok);
  EXPECT_NEAR(ac.shortest_metres, 4 * kCol + 2 * 2 * kRow + 2 * kRow, 1.0);
  // Other turns are untouched, and so is the opposite direction c->a.
  EXPECT_NEAR(both(q, map.at('a'), map.at('e')).shortest_metres, 4 * kCol + 2 * kRow, 1.0);
  EXPECT_NEAR(both(q, map.at('c'), map.at('a')).shortest_metres, 4 * kCol + 2 * kRow, 1.0);
  // Without the restriction the turn is direct.
  RoadQuery plain(map.build(cross_ways()));
  EXPECT_NEAR(plain.route(map.at('a'), map.at('c')).shortest_metres, 4 * kCol + 2 * kRow, 1.0);
}

TEST(TurnRestrictions, OnlyStraightOn) {
  AsciiMap map(kCross);
  auto net = map.build(cross_ways(), {{0, 'b', 2, "only_straight_on"}});
  RoadQuery q(net);
  EXPECT_NEAR(both(q, map.at('a'), map.at('d')).shortest_metres, 8 * kCol, 1.0);
  // To c or e: straight on to d, turn round, then turn.
  EXPECT_NEAR(both(q, map.at('a'), map.at('c')).shortest_metres, 4 * kCol + 8 * kCol + 2 * kRow, 1.0);
  EXPECT_NEAR(both(q, map.at('a'), map.at('e')).shortest_metres, 4 * kCol + 8 * kCol + 2 * kRow, 1.0);
  // Matrix agrees with one-to-one through the split junction.
  std::vector<LonLat> pts{map.at('a'), map.at('c'), map.at('d'), map.at('e')};
  auto m = q.matrix(pts, pts);
  for (std::size_t i = 0; i < pts.size(); ++i)
    for (std::size_t j = 0; j < pts.size(); ++j)
      EXPECT_EQ(m[i * pts.size() + j].shortest_metres, q.route(pts[i], pts[j]).shortest_metres) << i << "," << j;
}

TEST(TurnRestrictions, ExceptMotorcarIsNotForCars) {
  AsciiMap map(kCross);
  OsmRestrictionReport report;
  auto net = map.build(cross_ways(), {{0, 'b', 1, "no_left_turn", {{"except", "motorcar"}}}}, &report);
  EXPECT_EQ(report.applied, 0u);
  EXPECT_NEAR(RoadQuery(net).route(map.at('a'), map.at('c')).shortest_metres, 4 * kCol + 2 * kRow, 1.0);
}

TEST(TurnRestrictions, NoUTurnAndNoTurnsLeaveNoRoute) {
  // From a, every way on at b is banned and so is turning back: nothing beyond b can be reached.
  AsciiMap map(kCross);
  auto net = map.build(cross_ways(), {{0, 'b', 0, "no_u_turn"},
                                      {0, 'b', 1, "no_left_turn"},
                                      {0, 'b', 2, "no_straight_on"},
                                      {0, 'b', 3, "no_right_turn"}});
  RoadQuery q(net);
  EXPECT_EQ(both(q, map.at('a'), map.at('d')).status, RoadStatus::no_route);
  EXPECT_EQ(both(q, map.at('c'), map.at('a')).status, RoadStatus::ok);
  // Without the U-turn ban, a car could at least come back to where it started.
  LonLat mid_ab{(map.at('a').lon + map.at('b').lon) / 2, map.at('a').lat};
  EXPECT_EQ(both(q, mid_ab, map.at('a')).status, RoadStatus::ok);  // directly, no junction
}

// Random restrictions on a real county: the hierarchy over the split junctions must still equal
// Dijkstra over the same routing graph, and the matrix must equal one-to-one.
TEST(TurnRestrictions, RandomRestrictionsOnRutland) {
  OsmRoadReader reader;
  reader.add_file(testing::rutland_extract());
  RoadEdges g = reader.finish();
  std::mt19937 rng(77);
  std::vector<std::vector<std::uint32_t>> in(g.nodes.size()), out(g.nodes.size());
  for (std::uint32_t e = 0; e < g.edges.size(); ++e) {
    const RoadEdge& r = g.edges[e];
    if (r.flags & kForward) in[r.b].push_back(e * 2), out[r.a].push_back(e * 2);
    if (r.flags & kBackward) in[r.a].push_back(e * 2 + 1), out[r.b].push_back(e * 2 + 1);
  }
  for (int k = 0; k < 400; ++k) {
    std::uint32_t v = std::uniform_int_distribution<std::uint32_t>(0, g.nodes.size() - 1)(rng);
    if (in[v].empty() || out[v].size() < 2) continue;
    std::uint32_t from = in[v][rng() % in[v].size()], to = out[v][rng() % out[v].size()];
    g.restrictions.push_back({from, to, static_cast<std::uint32_t>(rng() % 4 == 0)});
  }
  BuildReport report;
  auto net = RoadNetwork::from_edges(g, &report);
  EXPECT_GT(report.junction_copies, 300u);
  RoadQuery q(net);
  std::mt19937 pick(5);
  std::uniform_int_distribution<std::size_t> node(0, g.nodes.size() - 1);
  int differ = 0;
  auto plain = RoadNetwork::from_edges([&] {
    RoadEdges c = g;
    c.restrictions.clear();
    return c;
  }());
  RoadQuery qp(plain);
  std::vector<LonLat> pts;
  for (int i = 0; i < 1500; ++i) {
    FixedPoint a = g.nodes[node(pick)], b = g.nodes[node(pick)];
    LonLat la{a.lon / 1e7, a.lat / 1e7}, lb{b.lon / 1e7, b.lat / 1e7};
    if (pts.size() < 40) pts.push_back(la);
    RoadResult r = both(q, la, lb);
    RoadResult p = qp.route(la, lb);
    if (r.status == RoadStatus::ok && p.status == RoadStatus::ok) {
      EXPECT_GE(r.shortest_metres, p.shortest_metres);  // restrictions never shorten a route
      EXPECT_GE(r.fastest_seconds, p.fastest_seconds);
      differ += r.shortest_metres > p.shortest_metres;
    }
  }
  EXPECT_GT(differ, 10);
  auto m = q.matrix(pts, pts);
  for (std::size_t i = 0; i < pts.size(); ++i)
    for (std::size_t j = 0; j < pts.size(); ++j) {
      RoadResult r = q.route(pts[i], pts[j]);
      ASSERT_EQ(m[i * pts.size() + j].status, r.status);
      if (r.status == RoadStatus::ok) {
        ASSERT_EQ(m[i * pts.size() + j].fastest_seconds, r.fastest_seconds);
      }
    }
}

TEST(TurnRestrictions, RouteGeometryTurnsRound) {
  AsciiMap map(kCross);
  auto net = map.build(cross_ways(), {{0, 'b', 1, "no_left_turn"}});
  RoadQuery q(net);
  RouteGeometry g = q.route_geometry(map.at('a'), map.at('c'), Metric::shortest);
  ASSERT_EQ(g.status, RoadStatus::ok);
  std::vector<LonLat> expect{map.at('a'), map.at('b'), map.at('e'), map.at('b'), map.at('c')};
  ASSERT_EQ(g.points.size(), expect.size());
  for (std::size_t i = 0; i < expect.size(); ++i) {
    EXPECT_NEAR(g.points[i].lon, expect[i].lon, 1e-6) << i;
    EXPECT_NEAR(g.points[i].lat, expect[i].lat, 1e-6) << i;
  }
}

}  // namespace
}  // namespace placedist::geo::roads
