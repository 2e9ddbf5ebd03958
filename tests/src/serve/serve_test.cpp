// The HTTP service end to end: real requests to a server on 127.0.0.1 (ephemeral port) over
// real data, each endpoint and each class of bad request, checked against the library's own
// answers (gazetteer, distance, boundaries) computed here.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include <nlohmann/json.hpp>

#include "geo/distance.hpp"
#include "serve_fixture.hpp"
#include "src/serve/council_layers.hpp"
#include "src/serve/geojson.hpp"
#include "src/serve/metrics.hpp"
#include "src/serve/router.hpp"

using namespace placedist::geo;
using namespace placedist::shapes;

namespace placedist {
namespace {

using nlohmann::json;
using testing::RunningService;
using testing::serve_data;

json body_of(const httplib::Result& r) { return json::parse(r->body); }

// Code-Point's own rows, for real postcodes and their grid references.
std::vector<std::string> codepoint_postcodes(const char* area, std::size_t n) {
  std::vector<std::string> out;
  CsvReader csv(data_file(std::string("postcodes/codepoint_open_2025_10/plain/") + area + ".csv"));
  while (out.size() < n && csv.next()) out.emplace_back(csv[0]);
  return out;
}

void expect_same_as_gazetteer(const json& answer, const std::string& typed) {
  GeocodeResult r = serve_data().gazetteer.lookup(typed);
  EXPECT_EQ(answer["query"], typed);
  EXPECT_EQ(answer["status"], to_string(r.status)) << typed;
  if (r.located()) {
    EXPECT_NEAR(answer["easting"].get<double>(), r.grid.easting, 0.05) << typed;
    EXPECT_NEAR(answer["northing"].get<double>(), r.grid.northing, 0.05) << typed;
    EXPECT_NEAR(answer["lon"].get<double>(), r.position.lon, 1e-6) << typed;
    EXPECT_NEAR(answer["lat"].get<double>(), r.position.lat, 1e-6) << typed;
    EXPECT_EQ(answer["utla"]["code"], std::string(r.utla.code)) << typed;
    EXPECT_EQ(answer["ltla"]["name"], std::string(r.ltla.name)) << typed;
  }
}

TEST(Serve, HealthAndVersionWithDataVintages) {
  RunningService server;
  auto c = server.client();
  auto health = c.Get("/v1/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(body_of(health)["status"], "ok");
  auto version = c.Get("/v1/version");
  ASSERT_TRUE(version);
  json v = body_of(version);
  EXPECT_EQ(v["data"]["vintages"][0], "Code-Point Open 2025.4.0 (20251020)");
  EXPECT_EQ(v["data"]["gazetteer"]["counts"]["units"].get<std::size_t>(), serve_data().gazetteer.unit_count());
  EXPECT_EQ(v["data"]["boundaries"]["councils"], 217);
  EXPECT_EQ(v["data"]["providers"]["providers"], 687);
  EXPECT_EQ(v["loaded"]["roads"], false);
  EXPECT_EQ(v["limits"]["max_rows"], 100000);
}

TEST(Serve, SinglePostcodeLiveTerminatedApproximateAndErrors) {
  RunningService server;
  auto c = server.client();
  auto live = c.Get("/v1/postcodes/hp201aa");
  ASSERT_TRUE(live);
  EXPECT_EQ(live->status, 200);
  json a = body_of(live);
  expect_same_as_gazetteer(a, "hp201aa");
  EXPECT_EQ(a["postcode"], "HP20 1AA");
  EXPECT_EQ(a["utla"]["code"], "E06000060");

  // Every AB1 postcode in the ONSPD sample is terminated: answered with its status and last location.
  auto old = c.Get("/v1/postcodes/AB1%200AA");
  ASSERT_TRUE(old);
  EXPECT_EQ(old->status, 200);
  EXPECT_EQ(body_of(old)["status"], "terminated");
  expect_same_as_gazetteer(body_of(old), "AB1 0AA");

  auto approximate = c.Get("/v1/postcodes/HP20%201ZZ");  // not a unit: its sector's centroid
  ASSERT_TRUE(approximate);
  EXPECT_EQ(approximate->status, 200);
  EXPECT_EQ(body_of(approximate)["status"], "approximate");
  EXPECT_EQ(body_of(approximate)["match"], "sector");

  auto malformed = c.Get("/v1/postcodes/not-a-postcode");
  ASSERT_TRUE(malformed);
  EXPECT_EQ(malformed->status, 400);
  EXPECT_EQ(body_of(malformed)["code"], "malformed");
  EXPECT_FALSE(body_of(malformed)["message"].get<std::string>().empty());

  auto unknown = c.Get("/v1/postcodes/HP99%201AA");  // no district HP99
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(body_of(unknown)["code"], "unknown");

  auto bfpo = c.Get("/v1/postcodes/BFPO%201");
  ASSERT_TRUE(bfpo);
  EXPECT_EQ(bfpo->status, 404);
  EXPECT_EQ(body_of(bfpo)["code"], "non_geographic");
  EXPECT_EQ(body_of(bfpo)["postcode"], "BFPO 1");  // well-formed, so normalised, though not located
}

TEST(Serve, BulkTenThousandPostcodesInOrder) {
  RunningService server;
  auto c = server.client();
  std::vector<std::string> postcodes = codepoint_postcodes("mk", 9990);
  for (const char* odd :
       {"AB1 0AA", "", "rubbish", "HP99 1AA", "  hp20 1aa ", "MK9 9ZZ", "BFPO 1", "SW1A 1AA", "é", "\"HP20 1AA\""})
    postcodes.push_back(odd);
  ASSERT_EQ(postcodes.size(), 10000u);
  auto r = c.Post("/v1/postcodes", json{{"postcodes", postcodes}}.dump(), "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  json answer = body_of(r);
  ASSERT_EQ(answer["count"], 10000);
  ASSERT_EQ(answer["results"].size(), 10000u);
  std::size_t ok = 0;
  for (std::size_t i = 0; i < postcodes.size(); ++i) {
    expect_same_as_gazetteer(answer["results"][i], postcodes[i]);
    ok += answer["results"][i]["status"] == "ok";
  }
  EXPECT_GE(ok, 9990u - 10);  // Code-Point rows without grid references are approximate

  // A bare array and plain text give the same answers.
  auto bare = c.Post("/v1/postcodes", json(std::vector<std::string>(postcodes.begin(), postcodes.begin() + 50)).dump(),
                     "application/json");
  ASSERT_TRUE(bare);
  std::string text;
  for (std::size_t i = 0; i < 50; ++i) text += postcodes[i] + "\r\n";
  auto plain = c.Post("/v1/postcodes", text, "text/plain");
  ASSERT_TRUE(plain);
  EXPECT_EQ(body_of(bare)["results"], json(answer["results"].begin(), answer["results"].begin() + 50));
  EXPECT_EQ(body_of(plain)["results"], body_of(bare)["results"]);
}

// Against a brute-force scan of every unit in the gazetteer.
TEST(Serve, NearestPostcodesMatchABruteForceScan) {
  RunningService server;
  auto c = server.client();
  GeocodeResult centre = serve_data().gazetteer.lookup("HP20 1AA");
  auto r = c.Get(("/v1/postcodes?lon=" + std::to_string(centre.position.lon) +
                  "&lat=" + std::to_string(centre.position.lat) + "&radius=500&limit=100")
                     .c_str());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  json results = body_of(r)["results"];
  std::vector<std::pair<double, std::string>> all;
  GridRef grid = serve::thread_crs().to_bng(
      LonLat{std::stod(std::to_string(centre.position.lon)), std::stod(std::to_string(centre.position.lat))});
  serve_data().gazetteer.for_each_unit([&](const Postcode& pc, const GeocodeResult& u) {
    if (u.status != GeocodeStatus::ok) return;
    double d = planar_metres(grid, u.grid);
    if (d <= 500) all.emplace_back(d, std::string(pc.normalised()));
  });
  std::sort(all.begin(), all.end());
  ASSERT_GE(all.size(), 100u);
  ASSERT_EQ(results.size(), 100u);
  // Several postcodes (HP17 8TH, ...) share HP20 1AA's grid reference in Code-Point: ties
  // come in postcode order, and HP20 1AA is among them (49 units at one grid reference).
  std::set<std::string> at_centre;
  for (const auto& hit : results)
    if (hit["distance_m"].get<double>() < 1) at_centre.insert(hit["postcode"].get<std::string>());
  EXPECT_EQ(at_centre.count("HP20 1AA"), 1u);
  EXPECT_EQ(at_centre.size(),
            static_cast<std::size_t>(std::count_if(all.begin(), all.end(), [](const auto& a) { return a.first < 1; })));
  for (std::size_t i = 0; i < results.size(); ++i) {
    EXPECT_NEAR(results[i]["distance_m"].get<double>(), all[i].first, 0.3) << i;
    if (i > 0) {
      EXPECT_GE(results[i]["distance_m"].get<double>(), results[i - 1]["distance_m"].get<double>());
    }
  }
  auto missing = c.Get("/v1/postcodes?lon=-0.8");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 400);
  EXPECT_EQ(body_of(missing)["code"], "missing_parameter");
  auto wrong = c.Get("/v1/postcodes?lon=west&lat=51");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 400);
  EXPECT_EQ(body_of(wrong)["code"], "wrong_type");
  auto far = c.Get("/v1/postcodes?lon=-0.8&lat=51.8&radius=99999");
  ASSERT_TRUE(far);
  EXPECT_EQ(body_of(far)["code"], "invalid_value");
}

TEST(Serve, SectorsAndDistricts) {
  RunningService server;
  auto c = server.client();
  auto sector = c.Get("/v1/sectors/HP20%201");
  ASSERT_TRUE(sector);
  ASSERT_EQ(sector->status, 200);
  json s = body_of(sector);
  EXPECT_EQ(s["match"], "sector");
  expect_same_as_gazetteer(s, "HP20 1");
  std::size_t units = 0;
  for (const std::string& pc : codepoint_postcodes("hp", 20000)) {
    Postcode p = parse_postcode(pc);
    units += p.normalised().substr(0, 6) == "HP20 1" && serve_data().gazetteer.lookup(p).status == GeocodeStatus::ok;
  }
  EXPECT_EQ(s["live_units"].get<std::size_t>(), units);

  auto district = c.Get("/v1/districts/HP20");
  ASSERT_TRUE(district);
  ASSERT_EQ(district->status, 200);
  json d = body_of(district);
  EXPECT_EQ(d["match"], "district");
  EXPECT_EQ(d["sectors"], json({"HP20 1", "HP20 2", "HP20 9"}));
  auto not_sector = c.Get("/v1/sectors/HP20");
  ASSERT_TRUE(not_sector);
  EXPECT_EQ(not_sector->status, 400);
  EXPECT_EQ(body_of(not_sector)["code"], "invalid_value");
}

TEST(Serve, DistanceAndMatrix) {
  RunningService server;
  auto c = server.client();
  GeocodeResult a = serve_data().gazetteer.lookup("HP20 1AA"), b = serve_data().gazetteer.lookup("MK9 1AA");
  auto r = c.Get("/v1/distance?from=HP20%201AA&to=MK9%201AA");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  json d = body_of(r);
  EXPECT_DOUBLE_EQ(d["dfe_miles"].get<double>(), dfe_miles(a.grid, b.grid));
  EXPECT_NEAR(d["geodesic_metres"].get<double>(), geodesic_metres(a.position, b.position), 0.001);
  EXPECT_EQ(d["same_upper_tier_council"], false);
  EXPECT_GT(d["dfe_miles"].get<double>(), 14);  // Aylesbury to Milton Keynes

  auto road = c.Get("/v1/distance?from=HP20%201AA&to=MK9%201AA&mode=road");
  ASSERT_TRUE(road);
  EXPECT_EQ(road->status, 501);
  EXPECT_EQ(body_of(road)["code"], "not_loaded");
  auto unknown = c.Get("/v1/distance?from=HP20%201AA&to=HP99%201AA");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(body_of(unknown)["code"], "unknown");

  auto m = c.Post("/v1/matrix", R"({"from":["HP20 1AA","nonsense"],"to":["MK9 1AA","HP20 1AA","OX1 1AA"]})",
                  "application/json");
  ASSERT_TRUE(m);
  ASSERT_EQ(m->status, 200);
  json matrix = body_of(m);
  EXPECT_DOUBLE_EQ(matrix["dfe_miles"][0][0].get<double>(), dfe_miles(a.grid, b.grid));
  EXPECT_EQ(matrix["dfe_miles"][0][1], 0);
  EXPECT_TRUE(matrix["dfe_miles"][1][0].is_null());
  EXPECT_EQ(matrix["from"][1]["status"], "malformed");
}

TEST(Serve, CoverageOfOneHomeMatchesABruteForceCount) {
  RunningService server;
  auto c = server.client();
  auto r = c.Get("/v1/coverage?postcode=HP20%201AA&miles=20");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  json cov = body_of(r);
  GeocodeResult home = serve_data().gazetteer.lookup("HP20 1AA");
  std::size_t providers = 0;
  long long places = 0;
  for (const auto& p : serve_data().providers->providers) {
    if (!p.located() || dfe_miles(home.grid, p.grid) > 20) continue;
    ++providers;
    places += std::max(p.places, 0);
  }
  EXPECT_GT(providers, 5u);
  EXPECT_EQ(cov["providers_within"].get<std::size_t>(), providers);
  EXPECT_EQ(cov["places_within"].get<long long>(), places);
  EXPECT_EQ(cov["providers"].size(), providers);
  for (const auto& p : cov["providers"]) EXPECT_LE(p["dfe_miles"].get<double>(), 20);
  // The zone: a circle of 20 DfE miles, area pi r^2 within 0.5 % (a 64-gon).
  double r_m = 20 * kMetresPerDfeMile;
  EXPECT_NEAR(cov["zone"]["properties"]["area_km2"].get<double>(), M_PI * r_m * r_m / 1e6,
              M_PI * r_m * r_m / 1e6 * 0.005);
  EXPECT_EQ(cov["zone"]["geometry"]["type"], "MultiPolygon");

  auto road = c.Get("/v1/coverage?postcode=HP20%201AA&mode=road");
  ASSERT_TRUE(road);
  EXPECT_EQ(road->status, 501);
}

TEST(Serve, CoverageOfManyHomesAndTheSectorChoropleth) {
  RunningService server;
  auto c = server.client();
  std::vector<std::string> homes = {"HP20 1AA", "HP20 1AB", "MK9 1AA", "OX1 1AA", "nonsense", "HP21 7AA"};
  auto r = c.Post("/v1/coverage", json{{"homes", homes}, {"miles", 20}, {"min_places", 10}}.dump(), "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  json cov = body_of(r);
  EXPECT_EQ(cov["summary"]["homes"], 6);
  std::size_t located = 0, with = 0;
  for (std::size_t i = 0; i < homes.size(); ++i) {
    GeocodeResult h = serve_data().gazetteer.lookup(homes[i]);
    if (!h.located()) continue;
    ++located;
    long long places = 0;
    for (const auto& p : serve_data().providers->providers)
      if (p.located() && dfe_miles(h.grid, p.grid) <= 20) places += std::max(p.places, 0);
    EXPECT_EQ(cov["homes"][i]["places_within"].get<long long>(), places) << homes[i];
    with += places >= 10;
  }
  EXPECT_EQ(cov["summary"]["located"].get<std::size_t>(), located);
  EXPECT_EQ(cov["summary"]["with_min_places"].get<std::size_t>(), with);
  // HP20 1AA and HP20 1AB share a sector: 4 sectors for 5 located homes.
  ASSERT_EQ(cov["choropleth"]["features"].size(), 4u);
  for (const auto& f : cov["choropleth"]["features"])
    if (f["properties"]["sector"] == "HP20 1") {
      EXPECT_EQ(f["properties"]["homes"], 2);
    }

  auto la = c.Post("/v1/coverage", R"({"la":"E06000060"})", "application/json");
  ASSERT_TRUE(la);
  EXPECT_EQ(la->status, 501);
  EXPECT_EQ(body_of(la)["code"], "not_loaded");

  auto layer = c.Get("/v1/layers/coverage?la=E06000060&miles=20");
  ASSERT_TRUE(layer);
  ASSERT_EQ(layer->status, 200);
  json features = body_of(layer)["features"];
  EXPECT_EQ(features.size(), serve_data().sectors_of("E06000060").size());
  EXPECT_GT(features.size(), 50u);
}

TEST(Serve, Layers) {
  RunningService server;
  auto c = server.client();
  auto all = c.Get("/v1/layers/councils");
  ASSERT_TRUE(all);
  ASSERT_EQ(all->status, 200);
  EXPECT_EQ(all->get_header_value("Content-Type"), "application/geo+json");
  EXPECT_EQ(body_of(all)["features"].size(), 217u);
  auto bucks = c.Get("/v1/layers/councils/E06000060");
  ASSERT_TRUE(bucks);
  json b = body_of(bucks);
  EXPECT_EQ(b["properties"]["name"], "Buckinghamshire");
  auto zone = c.Get("/v1/layers/zones/E06000060?miles=20");
  ASSERT_TRUE(zone);
  ASSERT_EQ(zone->status, 200);
  json z = body_of(zone);
  // Bucks is about 1,874 km2; grown by 32.2 km all round it covers far more.
  EXPECT_GT(z["properties"]["area_km2"].get<double>(), 10000);
  auto missing = c.Get("/v1/layers/zones/E99999999");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(body_of(missing)["code"], "not_found");
  auto providers = c.Get("/v1/layers/providers");
  ASSERT_TRUE(providers);
  EXPECT_EQ(body_of(providers)["features"].size(), serve_data().providers->located);
}

TEST(Serve, BadRequestsAreAnsweredAndTheServerGoesOn) {
  serve::ServeOptions options;
  options.limits.max_body_bytes = 64 * 1024;
  options.limits.max_rows = 100;
  RunningService server(options);
  auto c = server.client();
  auto expect_error = [&](const httplib::Result& r, int status, const char* code) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, status) << r->body;
    json body = json::parse(r->body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << r->body;
    EXPECT_EQ(body["code"], code) << r->body;
    EXPECT_TRUE(body["message"].is_string());
  };
  expect_error(c.Post("/v1/postcodes", "{\"postcodes\": [\"HP20 1AA\"", "application/json"), 400, "malformed_json");
  expect_error(c.Post("/v1/postcodes", "{\"postcodes\": \"HP20 1AA\"}", "application/json"), 400, "wrong_type");
  expect_error(c.Post("/v1/postcodes", "{\"postcodes\": [1, 2]}", "application/json"), 400, "wrong_type");
  expect_error(c.Post("/v1/postcodes", "{\"codes\": []}", "application/json"), 400, "missing_parameter");
  expect_error(c.Post("/v1/postcodes", "[\"HP20 1AA\", \"\xff\xfe\"]", "application/json"), 400, "invalid_utf8");
  expect_error(c.Post("/v1/postcodes", "HP20 1AA\n\xc3\x28\n", "text/plain"), 400, "invalid_utf8");
  expect_error(c.Get("/v1/postcodes/HP20%FF1AA"), 400, "invalid_utf8");
  expect_error(c.Get("/v1/distance?from=%C0%AF&to=HP20%201AA"), 400, "invalid_utf8");
  expect_error(c.Post("/v1/coverage", "{\"homes\": [\"HP20 1AA\"], \"miles\": \"twenty\"}", "application/json"), 400,
               "wrong_type");
  expect_error(c.Post("/v1/coverage", "{\"homes\": [\"HP20 1AA\"], \"miles\": 5000}", "application/json"), 400,
               "invalid_value");
  expect_error(c.Post("/v1/postcodes", std::string(200 * 1024, ' '), "application/json"), 413, "payload_too_large");
  expect_error(c.Post("/v1/postcodes", json{{"postcodes", std::vector<std::string>(101, "HP20 1AA")}}.dump(),
                      "application/json"),
               413, "too_many_rows");
  expect_error(c.Get("/v1/no/such/route"), 404, "not_found");
  expect_error(c.Post("/v1/health", "{}", "application/json"), 404, "not_found");
  expect_error(c.Post("/v1/analyse", "{}", "application/json"), 400, "missing_parameter");
  expect_error(c.Get("/static/../../etc/passwd"), 404, "not_found");
  // Still serving, and the errors are counted by code.
  auto ok = c.Get("/v1/postcodes/HP20%201AA");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  // Metrics are recorded once each response is on the wire, so a scrape on another connection
  // can race the last request: wait (briefly) until all have been counted.
  std::string metrics;
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto scrape = c.Get("/metrics");
    ASSERT_TRUE(scrape);
    metrics = scrape->body;
    if (metrics.find(
            "placedist_http_requests_total{route=\"/v1/postcodes/{postcode}\",method=\"GET\",status=\"200\"} 1\n") !=
        std::string::npos)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_NE(metrics.find("placedist_http_errors_total{code=\"malformed_json\"} 1\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("placedist_http_errors_total{code=\"invalid_utf8\"} 4\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("placedist_http_errors_total{code=\"payload_too_large\"} 1\n"), std::string::npos);
  EXPECT_NE(metrics.find("placedist_http_requests_total{route=\"/v1/postcodes/{postcode}\",method=\"GET\","
                         "status=\"200\"} 1\n"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("placedist_http_request_duration_seconds_bucket{route=\"/v1/postcodes/{postcode}\","
                         "method=\"GET\",le=\"+Inf\"} 2\n"),
            std::string::npos);
}

TEST(Serve, TokenIsRequiredWhenGiven) {
  serve::ServeOptions options;
  options.token = "0123456789abcdef-test-token";
  RunningService server(options);
  auto c = server.client();
  auto none = c.Get("/v1/postcodes/HP20%201AA");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(body_of(none)["code"], "unauthorized");
  EXPECT_EQ(none->get_header_value("WWW-Authenticate"), "Bearer");
  auto wrong = c.Get("/v1/postcodes/HP20%201AA", {{"Authorization", "Bearer 0123456789abcdef-test-tokem"}});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  auto unknown_route = c.Get("/v1/nothing");
  ASSERT_TRUE(unknown_route);
  EXPECT_EQ(unknown_route->status, 401);  // nothing is revealed without the token
  auto health = c.Get("/v1/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  c.set_bearer_token_auth(options.token);
  auto right = c.Get("/v1/postcodes/HP20%201AA");
  ASSERT_TRUE(right);
  EXPECT_EQ(right->status, 200);
  // Binding beyond loopback without a token is refused.
  serve::ServeOptions open;
  open.bind = "0.0.0.0";
  EXPECT_THROW(serve::Service(serve_data(), open), Failure);
  EXPECT_TRUE(serve::is_loopback("127.0.0.1"));
  EXPECT_TRUE(serve::is_loopback("127.3.2.1"));
  EXPECT_FALSE(serve::is_loopback("10.0.0.1"));
}

// Every route the server registers is in the OpenAPI document, and every documented
// operation is a route.
TEST(Serve, OpenApiMatchesTheRoutes) {
  RunningService server;
  auto c = server.client();
  auto r = c.Get("/v1/openapi.json");
  ASSERT_TRUE(r);
  json doc = body_of(r);
  EXPECT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");
  std::set<std::pair<std::string, std::string>> documented, served;
  for (auto& [path, item] : doc["paths"].items())
    for (auto& [method, operation] : item.items()) {
      documented.emplace(method, path);
      for (auto& [status, response] : operation["responses"].items()) {
        if (response.contains("$ref")) {
          std::string ref = response["$ref"];
          EXPECT_TRUE(doc["components"]["responses"].contains(ref.substr(ref.rfind('/') + 1))) << ref;
        }
      }
    }
  for (const auto& route : server.service().routes()) served.emplace(route.method, route.path);
  EXPECT_EQ(documented, served);
  EXPECT_GE(served.size(), 20u);
}

// The straight-line zone cache is bounded: 40 distinct zones leave at most 32 kept, and an
// evicted one is rebuilt the same.
TEST(Serve, ZoneCacheIsBounded) {
  RunningService server;
  auto c = server.client();
  std::string first;
  for (int i = 0; i < 40; ++i) {
    auto r = c.Get("/v1/layers/zones/E06000060?miles=" + std::to_string(1 + i * 0.01).substr(0, 4));
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200);
    if (i == 0) first = r->body;
  }
  EXPECT_EQ(serve_data().councils->cached_zones(), serve::CouncilLayers::kZoneCacheEntries);
  auto again = c.Get("/v1/layers/zones/E06000060?miles=1.00");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->body, first);
}

// A handler that throws something other than ApiError: 500 {code: internal}, one log line
// without the postcode, and the server goes on.
TEST(Serve, BugsAre500WithALogLineWithoutPostcodes) {
  serve::Metrics metrics;
  serve::Router router(metrics);
  router.get("/boom/{postcode}", [](const serve::Request& req, serve::Response&) {
    throw std::runtime_error("cannot handle " + req.matches[1]);
  });
  router.get("/fine", [](const serve::Request&, serve::Response& res) { res.set_content("{}", "application/json"); });
  serve::Request req;
  req.method = "GET";
  ASSERT_TRUE(serve::parse_target("/boom/HP20%201AA", req.path, req.params));
  serve::Router::Match match = router.match(req.method, req.path, req.matches);
  ASSERT_GE(match.index, 0);
  EXPECT_EQ(req.matches.at(1), "HP20 1AA");
  ::testing::internal::CaptureStderr();
  serve::Response boom;
  router.handle(match.index, req, boom);
  std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(boom.status, 500);
  EXPECT_EQ(json::parse(boom.body)["code"], "internal");
  EXPECT_STREQ(boom.error_code, "internal");
  EXPECT_NE(log.find("internal error in GET /boom/{postcode}"), std::string::npos) << log;
  EXPECT_EQ(log.find("HP20 1AA"), std::string::npos) << log;
  EXPECT_EQ(log.find("20"), std::string::npos) << log;
  serve::Request fine_req;
  fine_req.method = "GET";
  fine_req.path = "/fine";
  serve::Router::Match fine_match = router.match("GET", "/fine", fine_req.matches);
  ASSERT_GE(fine_match.index, 0);
  serve::Response fine;
  router.handle(fine_match.index, fine_req, fine);
  EXPECT_EQ(fine.status, 200);
  // A path that only another method has is known but not matched; HEAD finds GET routes.
  std::vector<std::string> matches;
  EXPECT_TRUE(router.match("POST", "/fine", matches).path_known);
  EXPECT_LT(router.match("POST", "/fine", matches).index, 0);
  EXPECT_GE(router.match("HEAD", "/fine", matches).index, 0);
  EXPECT_LT(router.match("GET", "/boom/", matches).index, 0);
  EXPECT_LT(router.match("GET", "/boom/a/b", matches).index, 0);
}

}  // namespace
}  // namespace placedist
