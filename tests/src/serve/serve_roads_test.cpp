// Road distances from `placedist serve --roads`: GET /v1/distance on the Buckinghamshire road
// network (OSM 2016) over real HTTP, checked against the road library's own answer for the
// same two postcode locations; null numbers when the route is not ok. Road coverage (GET and
// POST /v1/coverage mode=road, la= cohorts), the road coverage layer (every sector centroid of a
// council) and road zones against the library's routes, matrices and reaches computed here.
#include <geos_c.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <thread>

#include <nlohmann/json.hpp>

#include "geo/detail/geos_context.hpp"
#include "geo/distance.hpp"
#include "geo/io/geojson_geometry.hpp"
#include "geo/io/number_text.hpp"
#include "geo/roads/built_network.hpp"
#include "geo/roads/reach_polygon.hpp"
#include "geo/roads/road_precision.hpp"
#include "serve_roads_fixture.hpp"
#include "src/analysis/pipeline.hpp"
#include "src/analysis/placement_input.hpp"
#include "src/analysis/road_columns.hpp"
#include "src/analysis/road_zone.hpp"
#include "src/serve/geojson.hpp"

using namespace placedist::geo;
using namespace placedist::shapes;
using namespace placedist::maps;
using namespace placedist::analysis;

namespace placedist {
namespace {

using nlohmann::json;
using testing::RunningService;

const serve::ServiceData& roads_data() {
  static std::unique_ptr<serve::ServiceData> data =
      serve::ServiceData::load({testing::serve_gazetteer(), {}, {}, testing::built_bucks_roads(), {}, {}, {}}, {});
  return *data;
}

// Roads with everything coverage needs: providers, boundaries and the synthetic cohort.
const serve::ServiceData& coverage_data() { return testing::serve_data_with_roads(); }

json get_json(const RunningService& server, const std::string& path, int status = 200) {
  auto response = server.client().Get(path);
  EXPECT_TRUE(response);
  if (!response) return {};
  EXPECT_EQ(response->status, status) << path << ": " << response->body.substr(0, 300);
  return json::parse(response->body);
}

json post_json(const RunningService& server, const std::string& path, const json& body, int status = 200) {
  auto response = server.client().Post(path, body.dump(), "application/json");
  EXPECT_TRUE(response);
  if (!response) return {};
  EXPECT_EQ(response->status, status) << path << ": " << response->body.substr(0, 300);
  return json::parse(response->body);
}

// The cohort's home postcodes, in the order its rows are read (the synthetic cohort: real
// Code-Point units); "" for the rows the reader finds unusable (bad_row: no home is taken).
std::vector<std::string> cohort_homes() {
  std::vector<std::string> out;
  for (const auto& row : analysis::read_placements(testing::serve_cohort_file(), {}).rows)
    out.push_back(row.problem.empty() ? row.home_postcode : "");
  return out;
}

// Each child's published home area ("" withheld): what a cohort's coverage counts from.
std::vector<std::string> published_homes(const serve::ServiceData& data) {
  std::vector<std::string> out;
  for (const auto& row : data.cohorts.at("E06000060").rows) out.push_back(row.home_located() ? row.home_sector : "");
  return out;
}

constexpr double kTwentyRoadMiles = 20 * kMetresPerMile;

// The library's numbers as every answer writes them (geo/roads/road_precision.hpp).
double road_miles(double metres) { return round_to(metres / kMetresPerMile, roads::kRoadMilesDecimals); }
double road_minutes(double seconds) { return round_to(seconds / 60, roads::kRoadMinutesDecimals); }

// GEOS view of a served GeoJSON geometry, for point-in-polygon checks.
struct GeosGeometry {
  geo::detail::GeosContext context;
  GEOSContextHandle_t h = context.get();
  GEOSGeometry* g = nullptr;
  explicit GeosGeometry(const json& geometry) {
    GEOSGeoJSONReader* reader = GEOSGeoJSONReader_create_r(h);
    g = GEOSGeoJSONReader_readGeometry_r(h, reader, geometry.dump().c_str());
    GEOSGeoJSONReader_destroy_r(h, reader);
  }
  ~GeosGeometry() {
    if (g) GEOSGeom_destroy_r(h, g);
  }
  bool covers(LonLat p) const {
    GEOSGeometry* point = GEOSGeom_createPointFromXY_r(h, p.lon, p.lat);
    bool in = GEOSIntersects_r(h, g, point) == 1;
    GEOSGeom_destroy_r(h, point);
    return in;
  }
};

// Twice the signed area of a ring in degrees (positive: counter-clockwise).
double signed_area(const json& ring) {
  double twice = 0;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i)
    twice += ring[i][0].get<double>() * ring[i + 1][1].get<double>() -
             ring[i + 1][0].get<double>() * ring[i][1].get<double>();
  return twice;
}

void expect_road_like_library(const std::string& from, const std::string& to, const json& answer) {
  const auto& data = roads_data();
  GeocodeResult a = data.gazetteer.lookup(from), b = data.gazetteer.lookup(to);
  ASSERT_TRUE(a.located() && b.located());
  roads::RoadResult want = roads::RoadQuery(data.roads).route(a.position, b.position);
  const json& road = answer["road"];
  ASSERT_TRUE(road.is_object()) << answer.dump();
  EXPECT_EQ(road["status"], std::string(to_string(want.status)));
  if (want.status == roads::RoadStatus::ok) {
    EXPECT_EQ(road["miles"].get<double>(), road_miles(want.fastest_metres));
    EXPECT_EQ(road["minutes"].get<double>(), road_minutes(want.fastest_seconds));
    EXPECT_EQ(road["shortest_miles"].get<double>(), road_miles(want.shortest_metres));
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
      roads::RoadQuery(data.roads)
          .route(data.gazetteer.lookup("HP20 1AA").position, data.gazetteer.lookup("HP13 6AA").position);
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

TEST(ServeRoads, RoadCoverageOfOneHomeIsTheProvidersWithinTwentyRoadMiles) {
  const auto& data = coverage_data();
  RunningService server({}, data);
  roads::RoadQuery q(data.roads);
  for (const char* postcode : {"HP20 1AA", "HP13 6AA"}) {
    json cov = get_json(server, std::string("/v1/coverage?postcode=") + postcode + "&miles=20&mode=road");
    ASSERT_EQ(cov["mode"], "road");
    ASSERT_EQ(cov["road_status"], "ok");
    GeocodeResult home = data.gazetteer.lookup(postcode);
    // Every located provider routed one by one: those whose shortest route is 20 road miles or less.
    std::map<std::string, roads::RoadResult> want;
    std::vector<std::string> want_unrouted;
    long long places = 0;
    for (const auto& p : data.providers->providers) {
      if (!p.located()) continue;
      roads::RoadResult r = q.route(home.position, p.position);
      if (r.status == roads::RoadStatus::ok && r.shortest_metres <= kTwentyRoadMiles) {
        want[p.urn] = r;
        places += std::max(p.places, 0);
      } else if (r.status != roads::RoadStatus::ok && dfe_miles(home.grid, p.grid) <= 20) {
        want_unrouted.push_back(p.urn);
      }
    }
    EXPECT_GT(want.size(), 5u) << postcode;
    EXPECT_EQ(cov["providers_within"].get<std::size_t>(), want.size()) << postcode;
    EXPECT_EQ(cov["places_within"].get<long long>(), places) << postcode;
    ASSERT_EQ(cov["providers"].size(), want.size());
    double last = 0;
    GeosGeometry zone(cov["zone"]["geometry"]);
    ASSERT_TRUE(zone.g);
    for (const json& p : cov["providers"]) {
      auto it = want.find(p["urn"].get<std::string>());
      ASSERT_NE(it, want.end()) << p["urn"];
      EXPECT_EQ(p["shortest_road_miles"].get<double>(), road_miles(it->second.shortest_metres));
      EXPECT_EQ(p["road_minutes"].get<double>(), road_minutes(it->second.fastest_seconds));
      EXPECT_GE(p["shortest_road_miles"].get<double>(), last);  // nearest by road first
      last = p["shortest_road_miles"].get<double>();
      // Its snapped point lies on a reached road, so inside the zone.
      EXPECT_TRUE(zone.covers(q.snap({p["lon"].get<double>(), p["lat"].get<double>()}).point)) << p["urn"];
    }
    // Providers within 20 straight miles that the roads cannot reach are counted, not dropped.
    std::vector<std::string> unrouted;
    for (const json& p : cov["not_routed"]) {
      unrouted.push_back(p["urn"]);
      EXPECT_NE(p["road_status"], "ok");
    }
    EXPECT_EQ(cov["providers_not_routed"].get<std::size_t>(), unrouted.size());
    for (const std::string& urn : want_unrouted)
      EXPECT_NE(std::find(unrouted.begin(), unrouted.end(), urn), unrouted.end()) << urn;
    EXPECT_GT(unrouted.size(), 0u) << postcode;  // the 20-mile circle runs off the county's network
    // The zone: a MultiPolygon, exterior rings counter-clockwise, smaller than the 20-mile circle.
    const json& geometry = cov["zone"]["geometry"];
    ASSERT_EQ(geometry["type"], "MultiPolygon");
    ASSERT_FALSE(geometry["coordinates"].empty());
    for (const json& polygon : geometry["coordinates"]) EXPECT_GT(signed_area(polygon[0]), 0);
    double area = cov["zone"]["properties"]["area_km2"].get<double>();
    double circle = M_PI * std::pow(20 * kMetresPerMile / 1000, 2);
    EXPECT_GT(area, 200);
    EXPECT_LT(area, circle);
    EXPECT_TRUE(zone.covers(home.position));
    // zone=false: the same answer without the polygon.
    json bare = get_json(server, std::string("/v1/coverage?postcode=") + postcode + "&miles=20&mode=road&zone=false");
    EXPECT_FALSE(bare.contains("zone"));
    json full = cov;
    full.erase("zone");
    EXPECT_EQ(bare, full);
  }
  EXPECT_EQ(get_json(server, "/v1/coverage?postcode=HP20%201AA&mode=road&zone=maybe", 400)["code"], "invalid_value");
  json straight = get_json(server, "/v1/coverage?postcode=HP20%201AA&zone=0");
  EXPECT_FALSE(straight.contains("zone"));
  EXPECT_GT(straight["providers_within"].get<int>(), 0);
}

TEST(ServeRoads, RoadCoverageOfAHomeOffTheNetworkSaysSo) {
  const auto& data = coverage_data();
  RunningService server({}, data);
  GeocodeResult guildford = data.gazetteer.lookup("GU1 1AA");
  ASSERT_TRUE(guildford.located());
  roads::RoadStatus want = roads::RoadQuery(data.roads).snap(guildford.position).status;
  ASSERT_NE(want, roads::RoadStatus::ok);
  json cov = get_json(server, "/v1/coverage?postcode=GU1%201AA&mode=road");
  EXPECT_EQ(cov["road_status"], std::string(to_string(want)));
  EXPECT_FALSE(cov["message"].get<std::string>().empty());
  EXPECT_EQ(cov["providers_within"], 0);
  EXPECT_TRUE(cov["home_snap_m"].is_null());
  EXPECT_TRUE(cov["zone"]["geometry"]["coordinates"].empty());
  EXPECT_EQ(cov["providers_not_routed"].get<std::size_t>(), cov["not_routed"].size());
  // Errors keep their codes in road mode.
  EXPECT_EQ(get_json(server, "/v1/coverage?postcode=ZZ9%209ZZ&mode=road", 404)["status"],
            to_string(data.gazetteer.lookup("ZZ9 9ZZ").status));
  EXPECT_EQ(get_json(server, "/v1/coverage?postcode=HP20%201AA&mode=bike", 400)["code"], "invalid_value");
  EXPECT_EQ(get_json(server, "/v1/coverage?postcode=HP20%201AA&mode=road&miles=500", 400)["code"], "invalid_value");
}

TEST(ServeRoads, RoadCoverageOfManyHomesMatchesOneLibraryMatrix) {
  const auto& data = coverage_data();
  RunningService server({}, data);
  std::vector<std::string> homes = cohort_homes();  // 300: two blocks of the service's matrices
  homes.push_back("nonsense");
  homes.push_back("GU1 1AA");  // off the network
  json cov = post_json(server, "/v1/coverage", {{"homes", homes}, {"miles", 20}, {"min_places", 30}, {"mode", "road"}});
  ASSERT_EQ(cov["homes"].size(), homes.size());
  EXPECT_EQ(cov["mode"], "road");
  // The library: one matrix from every located home to every located provider.
  std::vector<LonLat> from, to;
  std::vector<std::size_t> row_of;
  for (std::size_t i = 0; i < homes.size(); ++i) {
    GeocodeResult h = data.gazetteer.lookup(homes[i]);
    if (!h.located()) continue;
    from.push_back(h.position);
    row_of.push_back(i);
  }
  std::vector<int> places;
  for (const auto& p : data.providers->providers)
    if (p.located()) to.push_back(p.position), places.push_back(p.places);
  roads::RoadQuery q(data.roads);
  std::vector<roads::RoadResult> m = q.matrix(from, to);
  std::size_t routed = 0, with = 0;
  for (std::size_t k = 0; k < from.size(); ++k) {
    const json& row = cov["homes"][row_of[k]];
    roads::RoadStatus home = q.snap(from[k]).status;
    EXPECT_EQ(row["road_status"], std::string(to_string(home))) << row_of[k];
    if (home != roads::RoadStatus::ok) {
      EXPECT_FALSE(row.contains("places_within"));
      continue;
    }
    std::size_t providers = 0;
    long long sum = 0;
    for (std::size_t j = 0; j < to.size(); ++j) {
      const roads::RoadResult& r = m[k * to.size() + j];
      if (r.status != roads::RoadStatus::ok || r.shortest_metres > kTwentyRoadMiles) continue;
      ++providers;
      sum += std::max(places[j], 0);
    }
    ++routed;
    with += sum >= 30;
    EXPECT_EQ(row["providers_within"].get<std::size_t>(), providers) << row_of[k];
    EXPECT_EQ(row["places_within"].get<long long>(), sum) << row_of[k];
  }
  EXPECT_GT(routed, 250u);
  EXPECT_EQ(cov["summary"]["located"].get<std::size_t>(), from.size());
  EXPECT_EQ(cov["summary"]["routed"].get<std::size_t>(), routed);
  EXPECT_EQ(cov["summary"]["with_min_places"].get<std::size_t>(), with);
  EXPECT_NEAR(cov["summary"]["share_with_min_places"].get<double>(), double(with) / routed, 1e-12);
  EXPECT_FALSE(cov["homes"][homes.size() - 2].contains("road_status"));  // not located
  EXPECT_NE(cov["homes"][homes.size() - 1]["road_status"], "ok");
  EXPECT_GT(cov["timing"]["homes_per_second"].get<double>(), 0);
  // One home by GET gives the same counts as its row.
  json one = get_json(server, "/v1/coverage?postcode=" + homes[0].replace(homes[0].find(' '), 1, "%20") + "&mode=road");
  EXPECT_EQ(one["places_within"], cov["homes"][0]["places_within"]);
  EXPECT_EQ(one["providers_not_routed"], cov["homes"][0]["providers_not_routed"]);
  // Straight and road choropleths cover the same sectors here (every routed home has a sector).
  std::size_t choropleth_homes = 0;
  for (const json& f : cov["choropleth"]["features"]) choropleth_homes += f["properties"]["homes"].get<std::size_t>();
  EXPECT_EQ(choropleth_homes, routed);
}

TEST(ServeRoads, RoadCoverageOfACohortEqualsItsHomesSentAsAList) {
  const auto& data = coverage_data();
  RunningService server({}, data);
  json by_la = post_json(server, "/v1/coverage", {{"la", "E06000060"}, {"mode", "road"}, {"min_places", 30}});
  json by_list =
      post_json(server, "/v1/coverage", {{"homes", published_homes(data)}, {"mode", "road"}, {"min_places", 30}});
  for (const char* key : {"homes", "located", "routed", "with_min_places", "share_with_min_places"})
    EXPECT_EQ(by_la["summary"][key], by_list["summary"][key]) << key;
  ASSERT_EQ(by_la["homes"].size(), by_list["homes"].size());
  for (std::size_t i = 0; i < by_la["homes"].size(); ++i) {
    const json &a = by_la["homes"][i], &b = by_list["homes"][i];
    EXPECT_EQ(a.value("places_within", json()), b.value("places_within", json())) << i;
    EXPECT_EQ(a.value("road_status", json()), b.value("road_status", json())) << i;
    EXPECT_FALSE(a.contains("postcode") || a.contains("query")) << i;
    // Nor a precise measurement of the exact home (its distance to the road would single out
    // the unit postcode within the sector); the list of typed postcodes keeps it.
    EXPECT_FALSE(a.contains("home_snap_m")) << i;
    // A message only where the home is off the network: the road's fixed text, as for the list.
    if (a.contains("message")) {
      EXPECT_EQ(a["message"], b.value("message", json())) << i;
    }
    if (b.value("road_status", "") == "ok") {
      EXPECT_TRUE(b.contains("home_snap_m")) << i;
    }
  }
  // No home postcode anywhere in the answer.
  const std::string text = by_la.dump();
  for (const std::string& home : cohort_homes())
    if (!home.empty()) {
      EXPECT_EQ(text.find(home), std::string::npos) << "a home postcode in the answer";
    }
  EXPECT_EQ(by_la["la"]["code"], "E06000060");
}

TEST(ServeRoads, RoadZoneOfACouncilIsTheLibrarysReachFromItsSectors) {
  const auto& data = coverage_data();
  RunningService server({}, data);
  json zone = get_json(server, "/v1/layers/zones/E06000060?mode=road");
  // The library: one multi-source reach from the council's sector centroids (the road-zone
  // recipe, src/analysis/road_zone.hpp).
  std::vector<LonLat> from;
  for (std::size_t i : data.sectors_of("E06000060")) from.push_back(data.sectors[i].position);
  ASSERT_GT(from.size(), 50u);
  roads::RoadQuery q(data.roads);
  const analysis::RoadZone want = analysis::road_zone(q, from, kTwentyRoadMiles);
  ASSERT_EQ(want.status, roads::RoadStatus::ok);
  EXPECT_EQ(zone["geometry"], geojson_multipolygon(want.polygon));
  EXPECT_NEAR(zone["properties"]["area_km2"].get<double>(), want.area_m2 / 1e6, 0.0005);
  EXPECT_EQ(zone["properties"]["name"], "Buckinghamshire");
  EXPECT_EQ(zone["properties"]["sectors"].get<std::size_t>(), from.size());
  // Roads do not fill the plane: smaller than the council grown by 20 straight miles.
  json straight = get_json(server, "/v1/layers/zones/E06000060");
  EXPECT_LT(zone["properties"]["area_km2"].get<double>(), straight["properties"]["area_km2"].get<double>());
  EXPECT_GT(zone["properties"]["area_km2"].get<double>(), 1000);
  // The second time (from the cache) the same answer; its speed is serve-coverage-bench's business.
  json again = get_json(server, "/v1/layers/zones/E06000060?mode=road");
  EXPECT_EQ(again, zone);
  EXPECT_EQ(get_json(server, "/v1/layers/zones/E99999999?mode=road", 404)["code"], "not_found");
}

TEST(ServeRoads, RoadCoverageLayerIsTheLibrarysRoutesFromEachSectorCentroid) {
  const auto& data = coverage_data();
  RunningService server({}, data);
  json road = get_json(server, "/v1/layers/coverage?la=E06000060&miles=20&mode=road");
  json straight = get_json(server, "/v1/layers/coverage?la=E06000060&miles=20");
  EXPECT_EQ(road["properties"]["mode"], "road");
  EXPECT_EQ(straight["properties"]["mode"], "straight");
  EXPECT_NE(road["properties"]["distance"].get<std::string>().find("shortest route"), std::string::npos);
  // The library: one matrix from every sector centroid to every located provider.
  std::vector<std::size_t> sectors = data.sectors_of("E06000060");
  ASSERT_GT(sectors.size(), 50u);
  std::vector<LonLat> from, to;
  std::vector<const analysis::Provider*> providers;
  for (std::size_t i : sectors) from.push_back(data.sectors[i].position);
  for (const auto& p : data.providers->providers)
    if (p.located()) to.push_back(p.position), providers.push_back(&p);
  roads::RoadQuery q(data.roads);
  std::vector<roads::RoadResult> m = q.matrix(from, to);
  ASSERT_EQ(road["features"].size(), sectors.size());
  ASSERT_EQ(straight["features"].size(), sectors.size());
  std::map<std::string, json> straight_of;
  for (const json& f : straight["features"]) straight_of[f["properties"]["sector"]] = f["properties"];
  std::size_t snapped = 0, fewer = 0;
  for (std::size_t k = 0; k < sectors.size(); ++k) {
    const serve::SectorInfo& s = data.sectors[sectors[k]];
    const json& got = road["features"][k]["properties"];
    ASSERT_EQ(got["sector"], s.sector);
    roads::RoadStatus home = q.snap(s.position).status;
    EXPECT_EQ(got["road_status"], std::string(to_string(home))) << s.sector;
    if (home != roads::RoadStatus::ok) {
      EXPECT_TRUE(got["providers_within"].is_null() && got["places_within"].is_null()) << s.sector;
      continue;
    }
    ++snapped;
    std::size_t within = 0, unrouted_near = 0;
    long long places = 0;
    for (std::size_t j = 0; j < to.size(); ++j) {
      const roads::RoadResult& r = m[k * to.size() + j];
      if (r.status == roads::RoadStatus::ok && r.shortest_metres <= kTwentyRoadMiles) {
        ++within;
        places += std::max(providers[j]->places, 0);
      } else if (r.status != roads::RoadStatus::ok && dfe_miles(s.grid, providers[j]->grid) <= 20) {
        ++unrouted_near;  // a candidate the service must count as not routed
      }
    }
    EXPECT_EQ(got["providers_within"].get<std::size_t>(), within) << s.sector;
    EXPECT_EQ(got["places_within"].get<long long>(), places) << s.sector;
    EXPECT_GE(got["providers_not_routed"].get<std::size_t>(), unrouted_near) << s.sector;
    // Roads are never shorter than the straight line: no more providers by road.
    const json& line = straight_of.at(s.sector);
    EXPECT_LE(within, line["providers_within"].get<std::size_t>()) << s.sector;
    EXPECT_LE(places, line["places_within"].get<long long>()) << s.sector;
    fewer += within < line["providers_within"].get<std::size_t>();
  }
  EXPECT_GT(snapped, sectors.size() * 9 / 10);
  EXPECT_GT(fewer, 0u);
  // The second time from the cache, the same; other miles, another answer.
  EXPECT_EQ(get_json(server, "/v1/layers/coverage?la=E06000060&miles=20&mode=road"), road);
  auto providers_sum = [](const json& layer) {
    std::size_t sum = 0;
    for (const json& f : layer["features"])
      if (!f["properties"]["providers_within"].is_null()) sum += f["properties"]["providers_within"].get<std::size_t>();
    return sum;
  };
  json ten = get_json(server, "/v1/layers/coverage?la=E06000060&miles=10&mode=road");
  EXPECT_EQ(ten["properties"]["miles"], 10);
  EXPECT_LT(providers_sum(ten), providers_sum(road));
  EXPECT_EQ(get_json(server, "/v1/layers/coverage?la=E99999999&mode=road", 404)["code"], "not_found");
  EXPECT_EQ(get_json(server, "/v1/layers/coverage?la=E06000060&mode=bike", 400)["code"], "invalid_value");
}

TEST(ServeRoads, RoadCoverageAndZonesWithoutANetworkAre501) {
  RunningService server;  // providers and boundaries, no roads
  EXPECT_EQ(get_json(server, "/v1/coverage?postcode=HP20%201AA&mode=road", 501)["code"], "not_loaded");
  EXPECT_EQ(post_json(server, "/v1/coverage", {{"homes", {"HP20 1AA"}}, {"mode", "road"}}, 501)["code"], "not_loaded");
  EXPECT_EQ(get_json(server, "/v1/layers/zones/E06000060?mode=road", 501)["code"], "not_loaded");
  EXPECT_EQ(get_json(server, "/v1/layers/coverage?la=E06000060&mode=road", 501)["code"], "not_loaded");
  EXPECT_EQ(get_json(server, "/v1/layers/coverage?la=E06000060&mode=bike", 400)["code"], "invalid_value");
  EXPECT_EQ(get_json(server, "/v1/layers/zones/E06000060?mode=bike", 400)["code"], "invalid_value");
  EXPECT_EQ(
      post_json(server, "/v1/matrix", {{"from", {"HP20 1AA"}}, {"to", {"HP13 6AA"}}, {"mode", "road"}}, 501)["code"],
      "not_loaded");
}

TEST(ServeRoads, RoadMatrixCellsAreTheLibrarysRoutes) {
  const auto& data = roads_data();
  RunningService server({}, data);
  std::vector<std::string> from = {"HP20 1AA", "nonsense", "MK9 1AA"},
                           to = {"HP13 6AA", "GU1 1AA", "HP20 1AA", "SL9 0AA"};
  json m = post_json(server, "/v1/matrix", {{"from", from}, {"to", to}, {"mode", "road"}});
  EXPECT_EQ(m["mode"], "road");
  roads::RoadQuery q(data.roads);
  std::size_t ok = 0;
  for (std::size_t i = 0; i < from.size(); ++i)
    for (std::size_t j = 0; j < to.size(); ++j) {
      GeocodeResult a = data.gazetteer.lookup(from[i]), b = data.gazetteer.lookup(to[j]);
      if (!a.located() || !b.located()) {
        EXPECT_TRUE(m["road_status"][i][j].is_null());
        EXPECT_TRUE(m["road_miles"][i][j].is_null());
        continue;
      }
      roads::RoadResult want = q.route(a.position, b.position);
      EXPECT_EQ(m["road_status"][i][j], std::string(to_string(want.status))) << i << "," << j;
      if (want.status != roads::RoadStatus::ok) {
        EXPECT_TRUE(m["road_minutes"][i][j].is_null());
        continue;
      }
      ++ok;
      EXPECT_EQ(m["road_miles"][i][j].get<double>(), road_miles(want.fastest_metres));
      EXPECT_EQ(m["road_minutes"][i][j].get<double>(), road_minutes(want.fastest_seconds));
      EXPECT_EQ(m["shortest_road_miles"][i][j].get<double>(), road_miles(want.shortest_metres));
    }
  EXPECT_GE(ok, 4u);
}

// "format": "columns": the same cells as the default answer, without an object per postcode
// or per cell; statuses as numbers indexing `statuses`.
TEST(ServeRoads, ColumnsMatrixHasTheSameCells) {
  const auto& data = roads_data();
  RunningService server({}, data);
  std::vector<std::string> from = {"HP20 1AA", "nonsense", "MK9 1AA"},
                           to = {"HP13 6AA", "GU1 1AA", "HP20 1AA", "SL9 0AA"};
  json cells = post_json(server, "/v1/matrix", {{"from", from}, {"to", to}, {"mode", "road"}});
  json columns = post_json(server, "/v1/matrix", {{"from", from}, {"to", to}, {"mode", "road"}, {"format", "columns"}});
  EXPECT_EQ(columns["format"], "columns");
  EXPECT_EQ(columns["sources"], json::array({"HP20 1AA", nullptr, "MK9 1AA"}));
  EXPECT_EQ(columns["source_status"][1], "malformed");
  EXPECT_EQ(columns["destinations"].size(), to.size());
  for (const char* field : {"dfe_miles", "road_miles", "road_minutes", "shortest_road_miles"})
    EXPECT_EQ(columns[field], cells[field]) << field;
  std::size_t compared = 0;
  for (std::size_t i = 0; i < from.size(); ++i)
    for (std::size_t j = 0; j < to.size(); ++j) {
      if (cells["road_status"][i][j].is_null()) {
        EXPECT_TRUE(columns["road_status"][i][j].is_null());
        continue;
      }
      EXPECT_EQ(columns["statuses"][columns["road_status"][i][j].get<std::size_t>()], cells["road_status"][i][j]);
      ++compared;
    }
  EXPECT_GE(compared, 8u);
  EXPECT_EQ(post_json(server, "/v1/matrix", {{"from", from}, {"to", to}, {"format", "rows"}}, 400)["code"],
            "invalid_value");
}

// A matrix whose answer is many pieces long arrives streamed (chunked, never whole in memory)
// and every cell is still the library's.
TEST(ServeRoads, LargeMatrixIsStreamedAndEveryCellIsTheLibrarys) {
  const auto& data = roads_data();
  RunningService server({}, data);
  std::vector<std::string> homes;
  for (const std::string& home : cohort_homes())
    if (!home.empty() && data.gazetteer.lookup(home).located() && homes.size() < 260) homes.push_back(home);
  ASSERT_EQ(homes.size(), 260u);
  std::vector<std::string> from(homes.begin(), homes.begin() + 60), to(homes.begin() + 60, homes.end());
  from.push_back("nonsense");
  auto response = server.client().Post(
      "/v1/matrix", json{{"from", from}, {"to", to}, {"mode", "road"}, {"format", "columns"}}.dump(), "application/json");
  ASSERT_TRUE(response);
  ASSERT_EQ(response->status, 200);
  EXPECT_EQ(response->get_header_value("Transfer-Encoding"), "chunked");
  EXPECT_FALSE(response->has_header("Content-Length"));
  EXPECT_GT(response->body.size(), 2u * 64 * 1024);  // more than one piece
  json m = json::parse(response->body);
  std::vector<LonLat> a, b;
  for (std::size_t i = 0; i + 1 < from.size(); ++i) a.push_back(data.gazetteer.lookup(from[i]).position);
  for (const std::string& pc : to) b.push_back(data.gazetteer.lookup(pc).position);
  std::vector<roads::RoadResult> want = roads::RoadQuery(data.roads).matrix(a, b);
  std::size_t ok = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < b.size(); ++j) {
      const roads::RoadResult& w = want[i * b.size() + j];
      ASSERT_EQ(m["statuses"][m["road_status"][i][j].get<std::size_t>()], std::string(to_string(w.status)));
      if (w.status != roads::RoadStatus::ok) continue;
      ++ok;
      ASSERT_EQ(m["road_miles"][i][j].get<double>(), road_miles(w.fastest_metres)) << i << "," << j;
      ASSERT_EQ(m["road_minutes"][i][j].get<double>(), road_minutes(w.fastest_seconds)) << i << "," << j;
      ASSERT_EQ(m["shortest_road_miles"][i][j].get<double>(), road_miles(w.shortest_metres)) << i << "," << j;
    }
  EXPECT_GE(ok, a.size() * b.size() * 9 / 10);
  for (std::size_t j = 0; j < b.size(); ++j) EXPECT_TRUE(m["road_miles"][from.size() - 1][j].is_null());
  EXPECT_EQ(get_json(server, "/v1/health")["status"], "ok");  // the connection and server carry on
}

// Heavy routes borrow their road query from ServiceData's pool of one per core, whatever
// --threads says: 8 workers answering 8 matrices at once (on 2 cores, 6 of them wait for a
// query) each get the library's cells, and make no query of their own; a light /v1/distance
// uses its I/O thread's own query.
TEST(ServeRoads, ConcurrentMatricesShareThePerCoreQueryPool) {
  const auto& data = roads_data();
  EXPECT_EQ(data.road_query_pool_size(), std::max(1u, std::thread::hardware_concurrency()));
  serve::ServeOptions options;
  options.io_threads = 1;
  RunningService server(options, data);  // 8 workers
  ASSERT_EQ(server.service().workers(), 8);
  std::vector<std::string> homes;
  for (const std::string& home : cohort_homes())
    if (!home.empty() && data.gazetteer.lookup(home).located() && homes.size() < 160) homes.push_back(home);
  ASSERT_EQ(homes.size(), 160u);
  constexpr std::size_t kRequests = 8, kSide = 10;
  const std::size_t own_before = data.thread_road_queries();
  std::vector<std::string> bodies(kRequests);
  std::vector<int> statuses(kRequests, 0);
  std::vector<std::thread> clients;
  for (std::size_t r = 0; r < kRequests; ++r)
    clients.emplace_back([&, r] {
      // Request r: homes [20r, 20r + 10) to [20r + 10, 20r + 20).
      std::vector<std::string> from(homes.begin() + 20 * r, homes.begin() + 20 * r + kSide),
          to(homes.begin() + 20 * r + kSide, homes.begin() + 20 * (r + 1));
      auto response = server.client().Post(
          "/v1/matrix", json{{"from", from}, {"to", to}, {"mode", "road"}, {"format", "columns"}}.dump(),
          "application/json");
      if (!response) return;
      statuses[r] = response->status;
      bodies[r] = response->body;
    });
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(data.thread_road_queries(), own_before);  // the workers made none of their own

  roads::RoadQuery q(data.roads);
  std::size_t ok = 0;
  for (std::size_t r = 0; r < kRequests; ++r) {
    ASSERT_EQ(statuses[r], 200) << "request " << r << ": " << bodies[r].substr(0, 300);
    json m = json::parse(bodies[r]);
    std::vector<LonLat> a, b;
    for (std::size_t k = 0; k < kSide; ++k) {
      a.push_back(data.gazetteer.lookup(homes[20 * r + k]).position);
      b.push_back(data.gazetteer.lookup(homes[20 * r + kSide + k]).position);
    }
    std::vector<roads::RoadResult> want = q.matrix(a, b);
    for (std::size_t i = 0; i < kSide; ++i)
      for (std::size_t j = 0; j < kSide; ++j) {
        const roads::RoadResult& w = want[i * kSide + j];
        ASSERT_EQ(m["statuses"][m["road_status"][i][j].get<std::size_t>()], std::string(to_string(w.status)))
            << r << ":" << i << "," << j;
        if (w.status != roads::RoadStatus::ok) continue;
        ++ok;
        ASSERT_EQ(m["road_miles"][i][j].get<double>(), road_miles(w.fastest_metres)) << r << ":" << i << "," << j;
        ASSERT_EQ(m["road_minutes"][i][j].get<double>(), road_minutes(w.fastest_seconds)) << r << ":" << i << "," << j;
        ASSERT_EQ(m["shortest_road_miles"][i][j].get<double>(), road_miles(w.shortest_metres))
            << r << ":" << i << "," << j;
      }
  }
  EXPECT_GE(ok, kRequests * kSide * kSide * 9 / 10);

  // A light route: the one I/O thread makes its own query once, then reuses it.
  EXPECT_EQ(get_json(server, "/v1/distance?from=HP20%201AA&to=HP13%206AA&mode=road")["mode"], "road");
  EXPECT_EQ(get_json(server, "/v1/distance?from=MK9%201AA&to=HP13%206AA&mode=road")["mode"], "road");
  EXPECT_EQ(data.thread_road_queries(), own_before + 1);
}

// POST /v1/analyse with --roads borrows its queries from the same per-core pool (4 analyses at
// once on 8 workers and 1 I/O thread) and makes none of its own; every row's road columns are
// those of run_analysis without a lender, the `placedist analyse --roads` path, which makes one.
TEST(ServeRoads, ConcurrentAnalysesBorrowFromThePerCoreQueryPool) {
  const auto& data = roads_data();
  serve::ServeOptions options;
  options.io_threads = 1;
  RunningService server(options, data);
  std::vector<std::string> homes;
  for (const std::string& home : cohort_homes())
    if (!home.empty() && data.gazetteer.lookup(home).located() && homes.size() < 60) homes.push_back(home);
  ASSERT_EQ(homes.size(), 60u);
  std::string csv = "id,home_postcode,placement_postcode\n";
  for (std::size_t i = 0; i < 30; ++i) csv += std::to_string(i) + "," + homes[i] + "," + homes[30 + i] + "\n";

  const std::size_t made_before = analysis::road_queries_made(), own_before = data.thread_road_queries();
  constexpr std::size_t kRequests = 4;
  std::vector<std::string> bodies(kRequests);
  std::vector<int> statuses(kRequests, 0);
  std::vector<std::thread> clients;
  for (std::size_t r = 0; r < kRequests; ++r)
    clients.emplace_back([&, r] {
      auto response = server.client().Post("/v1/analyse?la=E06000060", csv, "text/csv");
      if (!response) return;
      statuses[r] = response->status;
      bodies[r] = response->body;
    });
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(analysis::road_queries_made(), made_before);  // all borrowed
  EXPECT_EQ(data.thread_road_queries(), own_before);

  // The CLI's way: its own query.
  analysis::AnalysisRequest request;
  request.gazetteer = &data.gazetteer;
  request.input = analysis::read_placements_text(csv, {});
  request.la = "E06000060";
  request.default_boundaries = &data.default_boundaries;
  request.zones = false;
  request.threads = 1;
  request.roads.network = data.roads;
  analysis::AnalysisResult want = analysis::run_analysis(request);
  EXPECT_EQ(analysis::road_queries_made(), made_before + 1);
  ASSERT_EQ(want.rows.size(), 30u);

  std::size_t ok = 0;
  for (std::size_t r = 0; r < kRequests; ++r) {
    ASSERT_EQ(statuses[r], 200) << "request " << r << ": " << bodies[r].substr(0, 300);
    json rows = json::parse(bodies[r])["rows"];
    ASSERT_EQ(rows.size(), 30u);
    for (std::size_t i = 0; i < 30; ++i) {
      const auto& extras = want.rows[i].extras;
      const bool routed = extras[analysis::road_status] == 0;  // index of "ok"
      ASSERT_EQ(rows[i]["road_status"] == "ok", routed) << r << ":" << i << " " << rows[i].dump();
      if (!routed) continue;
      ++ok;
      EXPECT_NEAR(rows[i]["road_miles"].get<double>(), extras[analysis::road_miles], 0.005 + 1e-9) << r << ":" << i;
      EXPECT_NEAR(rows[i]["road_minutes"].get<double>(), extras[analysis::road_minutes], 0.05 + 1e-9) << r << ":" << i;
      EXPECT_NEAR(rows[i]["shortest_road_miles"].get<double>(), extras[analysis::shortest_road_miles], 0.005 + 1e-9)
          << r << ":" << i;
    }
  }
  EXPECT_GE(ok, kRequests * 30 * 9 / 10);
}

// A lease keeps the pool it came from: the query still answers after its ServiceData is gone.
TEST(ServeRoads, LentQueryOutlivesItsServiceData) {
  auto data = serve::ServiceData::load({testing::serve_gazetteer(), {}, {}, testing::built_bucks_roads(), {}, {}, {}}, {});
  const LonLat a = data->gazetteer.lookup("HP20 1AA").position, b = data->gazetteer.lookup("HP13 6AA").position;
  roads::RoadResult want = roads::RoadQuery(data->roads).route(a, b);
  ASSERT_EQ(want.status, roads::RoadStatus::ok);
  serve::RoadLease lease = data->lend_road_query();
  data.reset();
  roads::RoadResult got = lease->route(a, b);
  EXPECT_EQ(got.status, roads::RoadStatus::ok);
  EXPECT_EQ(got.fastest_seconds, want.fastest_seconds);
  EXPECT_EQ(got.shortest_metres, want.shortest_metres);
}

}  // namespace
}  // namespace placedist
