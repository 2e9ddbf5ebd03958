// Car ferries (route=ferry open to motor vehicles): which are used, their crossing times from
// `duration`, islands reached over them, and no location snapped onto the sea crossing.
#include <gtest/gtest.h>

#include <cmath>

#include "geo/roads/car_profile.hpp"
#include "geo/roads/road_query.hpp"
#include "tests/geo/roads/ascii_map.hpp"

namespace placedist::geo::roads {
namespace {

using testing::AsciiMap;
using Tags = std::map<std::string, std::string>;

TEST(Ferries, DurationFormats) {
  EXPECT_EQ(parse_duration_seconds("00:30"), 1800);
  EXPECT_EQ(parse_duration_seconds("1:15:30"), 4530);
  EXPECT_EQ(parse_duration_seconds("45"), 2700);  // minutes
  EXPECT_EQ(parse_duration_seconds("PT1H30M"), 5400);
  EXPECT_EQ(parse_duration_seconds("PT20M"), 1200);
  EXPECT_EQ(parse_duration_seconds("P0DT2H"), 7200);
  EXPECT_EQ(parse_duration_seconds(" 0:05 "), 300);
  EXPECT_FALSE(parse_duration_seconds(""));
  EXPECT_FALSE(parse_duration_seconds("soon"));
  EXPECT_FALSE(parse_duration_seconds("1:xx"));
  EXPECT_FALSE(parse_duration_seconds("1:2:3:4"));
  EXPECT_FALSE(parse_duration_seconds("PT"));
  EXPECT_FALSE(parse_duration_seconds("PT5X"));
}

TEST(Ferries, OnlyFerriesOpenToCars) {
  using V = std::vector<Tag>;
  EXPECT_FALSE(car_way(V{{"route", "ferry"}}));
  EXPECT_FALSE(car_way(V{{"route", "ferry"}, {"foot", "yes"}}));
  EXPECT_FALSE(car_way(V{{"route", "ferry"}, {"motor_vehicle", "yes"}, {"motorcar", "no"}}));  // most specific
  auto car = car_way(V{{"route", "ferry"}, {"motor_vehicle", "yes"}, {"duration", "00:20"}});
  ASSERT_TRUE(car);
  EXPECT_TRUE(car->ferry && car->forward && car->backward);
  EXPECT_EQ(car->ferry_seconds, 1200);
  auto untimed = car_way(V{{"route", "ferry"}, {"motorcar", "designated"}, {"oneway", "yes"}});
  ASSERT_TRUE(untimed);
  EXPECT_EQ(untimed->ferry_seconds, 0);
  EXPECT_EQ(untimed->speed_kmh, 5);
  EXPECT_FALSE(untimed->backward);
}

// A mainland road a-b (4 columns), a crossing b-c (21 columns), an island road c-d (4 columns).
const char* kCrossing = R"(
a---b--------------------c---d
)";

TEST(Ferries, IslandReachedOverTheCrossingInItsDuration) {
  AsciiMap map(kCrossing);
  const Tags road{{"highway", "residential"}};
  auto net = map.build(
      {{"ab", road}, {"bc", {{"route", "ferry"}, {"motor_vehicle", "yes"}, {"duration", "00:20"}}}, {"cd", road}});
  RoadQuery q(net);
  RoadResult ab = q.route(map.at('a'), map.at('b')), ad = q.route(map.at('a'), map.at('d'));
  RoadResult da = q.route(map.at('d'), map.at('a'));
  ASSERT_EQ(ab.status, RoadStatus::ok);
  ASSERT_EQ(ad.status, RoadStatus::ok);
  ASSERT_EQ(da.status, RoadStatus::ok);
  // Two equal road legs (25 km/h residential) and 20 minutes on the ferry.
  EXPECT_NEAR(ad.fastest_seconds, 2 * ab.fastest_seconds + 1200, 0.01);
  EXPECT_NEAR(da.fastest_seconds, ad.fastest_seconds, 0.01);
  const double col_m = AsciiMap::kColDeg * 111195 * std::cos(52 * M_PI / 180);
  EXPECT_NEAR(ad.shortest_metres, 29 * col_m, 1.0);
  // Halfway across, 10.5 columns from either shore: snapped to a shore road, not to the crossing.
  LonLat sea{(map.at('b').lon + map.at('c').lon) / 2, map.at('b').lat};
  SnapResult s = q.snap(sea);
  ASSERT_EQ(s.status, RoadStatus::ok);
  EXPECT_NEAR(s.snap_m, 10.5 * col_m, 1.0);
}

TEST(Ferries, UntimedCrossingAtFiveKmhAndFootFerriesNotUsed) {
  AsciiMap map(kCrossing);
  const Tags road{{"highway", "residential"}};
  auto untimed = map.build({{"ab", road}, {"bc", {{"route", "ferry"}, {"motorcar", "yes"}}}, {"cd", road}});
  RoadQuery q(untimed);
  RoadResult ab = q.route(map.at('a'), map.at('b')), ad = q.route(map.at('a'), map.at('d'));
  ASSERT_EQ(ad.status, RoadStatus::ok);
  const double col_m = AsciiMap::kColDeg * 111195 * std::cos(52 * M_PI / 180);
  EXPECT_NEAR(ad.fastest_seconds, 2 * ab.fastest_seconds + 21 * col_m / (5 / 3.6), 0.5);
  auto foot = map.build({{"ab", road}, {"bc", {{"route", "ferry"}, {"foot", "yes"}}}, {"cd", road}});
  EXPECT_NE(RoadQuery(foot).route(map.at('a'), map.at('d')).status, RoadStatus::ok);
}

}  // namespace
}  // namespace placedist::geo::roads
