// Road distances from `placedist serve --roads`: GET /v1/distance on the Buckinghamshire road
// network (OSM 2016) over real HTTP, checked against the road library's own answer for the
// same two postcode locations; null numbers when the route is not ok.
#include <gtest/gtest.h>

#include <cmath>

#include <nlohmann/json.hpp>

#include "geo/distance.hpp"
#include "geo/roads/built_network.hpp"
#include "serve_fixture.hpp"

namespace placedist {
namespace {

using nlohmann::json;
using testing::RunningService;

const serve::ServiceData& roads_data() {
  static std::unique_ptr<serve::ServiceData> data =
      serve::ServiceData::load({testing::serve_gazetteer(), {}, {}, testing::built_bucks_roads(), {}}, {});
  return *data;
}

void expect_road_like_library(const std::string& from, const std::string& to, const json& answer) {
  const auto& data = roads_data();
  GeocodeResult a = data.gazetteer.lookup(from), b = data.gazetteer.lookup(to);
  ASSERT_TRUE(a.located() && b.located());
  roads::RoadResult want = roads::RoadQuery(data.roads).route(a.position, b.position);
  const json& road = answer["road"];
  ASSERT_TRUE(road.is_object()) << answer.dump();
  EXPECT_EQ(road["status"], std::string(roads::road_status_code(want.status)));
  if (want.status == roads::RoadStatus::ok) {
    EXPECT_NEAR(road["miles"].get<double>(), want.fastest_metres / kMetresPerMile, 0.0005);
    EXPECT_NEAR(road["minutes"].get<double>(), want.fastest_seconds / 60, 0.05);
    EXPECT_NEAR(road["shortest_miles"].get<double>(), want.shortest_metres / kMetresPerMile, 0.0005);
    EXPECT_LE(road["shortest_miles"].get<double>(), road["miles"].get<double>());
    // A road is never shorter than the straight line between the snapped ends, give or take the snaps.
    EXPECT_GT(road["shortest_miles"].get<double>() + (want.from_snap_m + want.to_snap_m) / kMetresPerMile,
              answer["geodesic_miles"].get<double>() - 0.01);
  } else {
    EXPECT_TRUE(road["miles"].is_null());
    EXPECT_TRUE(road["minutes"].is_null());
    EXPECT_TRUE(road["shortest_miles"].is_null());
  }
}

TEST(ServeRoads, DistanceCarriesTheRoadAnswer) {
  RunningService server({}, roads_data());
  auto c = server.client();
  for (const char* mode : {"", "&mode=road", "&mode=straight"}) {
    auto r = c.Get(std::string("/v1/distance?from=HP20%201AA&to=HP13%206AA") + mode);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    json d = json::parse(r->body);
    EXPECT_EQ(d["mode"], std::string(mode) == "&mode=road" ? "road" : "straight");
    expect_road_like_library("HP20 1AA", "HP13 6AA", d);
    // Aylesbury to High Wycombe: a real drive, longer than the straight line.
    EXPECT_EQ(d["road"]["status"], "ok");
    EXPECT_GT(d["road"]["miles"].get<double>(), d["geodesic_miles"].get<double>());
  }
  // Into Scotland (a terminated Aberdeen postcode): off this network, so no numbers.
  auto far = c.Get("/v1/distance?from=HP20%201AA&to=AB1%200AA&mode=road");
  ASSERT_TRUE(far);
  if (far->status == 200) {
    json d = json::parse(far->body);
    expect_road_like_library("HP20 1AA", "AB1 0AA", d);
    EXPECT_NE(d["road"]["status"], "ok");
  }
  auto health = c.Get("/v1/version");
  ASSERT_TRUE(health);
  EXPECT_EQ(json::parse(health->body)["loaded"]["roads"], true);
}

TEST(ServeRoads, AnalyseAddsTheRoadColumns) {
  RunningService server({}, roads_data());
  auto c = server.client();
  json list = json::array({{{"id", "1"}, {"home_postcode", "HP20 1AA"}, {"placement_postcode", "HP13 6AA"}},
                           {{"id", "2"}, {"home_postcode", "HP20 1AA"}, {"placement_postcode", "ZZ9 9ZZ"}}});
  auto r = c.Post("/v1/analyse?la=E06000060", list.dump(), "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  json rows = json::parse(r->body)["rows"];
  const auto& data = roads_data();
  roads::RoadResult want =
      roads::RoadQuery(data.roads).route(data.gazetteer.lookup("HP20 1AA").position, data.gazetteer.lookup("HP13 6AA").position);
  ASSERT_EQ(want.status, roads::RoadStatus::ok);
  EXPECT_EQ(rows[0]["road_status"], "ok");
  EXPECT_NEAR(rows[0]["road_miles"].get<double>(), want.fastest_metres / kMetresPerMile, 0.051);
  EXPECT_NEAR(rows[0]["road_minutes"].get<double>(), want.fastest_seconds / 60, 0.051);
  EXPECT_TRUE(rows[1]["road_miles"].is_null());
}

TEST(ServeRoads, RoadModeWithoutANetworkIs501) {
  RunningService server;
  auto c = server.client();
  auto r = c.Get("/v1/distance?from=HP20%201AA&to=HP13%206AA&mode=road");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 501);
  EXPECT_EQ(json::parse(r->body)["code"], "not_loaded");
  auto plain = c.Get("/v1/distance?from=HP20%201AA&to=HP13%206AA");
  ASSERT_TRUE(plain);
  EXPECT_FALSE(json::parse(plain->body).contains("road"));
}

}  // namespace
}  // namespace placedist
