// Placement cohorts served with --cohort LA=FILE: a synthetic Buckinghamshire cohort drawn from
// real Code-Point 2025 postcodes (fixed seed) is loaded by the service, and what /v1/cohorts and
// /v1/layers/analysis answer is checked against the library's own analysis of the same file.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include <nlohmann/json.hpp>

#include "geo/distance.hpp"
#include "maps/report.hpp"
#include "serve_fixture.hpp"
#include "src/analysis/analysis.hpp"
#include "src/analysis/placement_input.hpp"

using namespace placedist::geo;
using namespace placedist::shapes;
using namespace placedist::maps;
using namespace placedist::analysis;

namespace placedist {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::RunningService;

const serve::ServiceData& cohort_data() {
  static std::unique_ptr<serve::ServiceData> data = [] {
    serve::DataPaths paths{testing::serve_gazetteer(),
                           testing::serve_boundaries(),
                           testing::serve_providers(),
                           {},
                           {},
                           {"Buckinghamshire=" + testing::serve_cohort_file().string()},
                           {}};
    auto loaded = serve::ServiceData::load(paths, {});
    fs::remove(paths.providers);
    return loaded;
  }();
  return *data;
}

// The same file through the library, as `placedist analyse` reads and analyses it.
std::vector<PlacementRow> library_rows() {
  analysis::InputRead input = analysis::read_placements(testing::serve_cohort_file(), {});
  AnalysisOptions options;
  options.responsible_code = "E06000060";
  options.boundaries = &cohort_data().councils->boundaries();
  return analyse_placements(input.rows, cohort_data().gazetteer, options);
}

json get_json(const RunningService& server, const std::string& path, int status = 200) {
  auto response = server.client().Get(path);
  EXPECT_TRUE(response);
  if (!response) return {};
  EXPECT_EQ(response->status, status) << path << ": " << response->body;
  return json::parse(response->body);
}

json post_json(const RunningService& server, const json& body, int status = 200) {
  auto response = server.client().Post("/v1/coverage", body.dump(), "application/json");
  EXPECT_TRUE(response);
  if (!response) return {};
  EXPECT_EQ(response->status, status) << body.dump() << ": " << response->body.substr(0, 300);
  return json::parse(response->body);
}

TEST(ServeCohort, ListsTheLoadedCohortWithTheLibrarysReport) {
  RunningService server({}, cohort_data());
  std::vector<PlacementRow> rows = library_rows();
  ASSERT_GT(rows.size(), 250u);
  LocationTable table = tabulate(rows, "E06000060", "Buckinghamshire");

  json list = get_json(server, "/v1/cohorts");
  ASSERT_EQ(list["cohorts"].size(), 1u);
  const json& c = list["cohorts"][0];
  EXPECT_EQ(c["la"]["code"], "E06000060");
  EXPECT_EQ(c["census_date"], "2025-03-31");
  EXPECT_EQ(c["placements"], rows.size());
  EXPECT_EQ(c["source"], testing::serve_cohort_file().filename().string());

  // By code and by name, any case.
  for (const char* la : {"E06000060", "buckinghamshire"}) {
    json one = get_json(server, std::string("/v1/cohorts/") + la);
    const json& headline = one["report"]["headline"];
    EXPECT_EQ(headline["children"], table.total);
    EXPECT_EQ(headline["within_20_miles"]["count"], table.within_20);
    EXPECT_EQ(headline["in_county"]["count"], table.inside);
    EXPECT_EQ(headline["out_of_county"]["count"], table.outside);
  }
  EXPECT_GT(table.outside, 50u);  // about half are placed outside the council
}

TEST(ServeCohort, ServesTheAnalysisLayersRowForRow) {
  RunningService server({}, cohort_data());
  std::vector<PlacementRow> rows = library_rows();
  json placements = get_json(server, "/v1/layers/analysis/E06000060/placements");
  ASSERT_EQ(placements["type"], "FeatureCollection");
  // Shareable: each placement at its published area (sector, or district where the sector holds
  // fewer than 5 units of the council), withheld where neither does; miles between the areas.
  std::vector<const PlacementRow*> located;
  for (const PlacementRow& row : rows)
    if (row.placement_located() && !row.placement_area.empty()) located.push_back(&row);
  ASSERT_GT(located.size(), rows.size() / 2);
  ASSERT_EQ(placements["features"].size(), located.size());
  std::size_t within = 0;
  for (std::size_t i = 0; i < located.size(); ++i) {
    const json& f = placements["features"][i];
    EXPECT_EQ(f["properties"]["id"], located[i]->id);
    EXPECT_NEAR(f["geometry"]["coordinates"][0].get<double>(), located[i]->placement_area_position.lon, 1e-6);
    EXPECT_NEAR(f["geometry"]["coordinates"][1].get<double>(), located[i]->placement_area_position.lat, 1e-6);
    EXPECT_EQ(f["properties"]["placement_area"], located[i]->placement_area);
    EXPECT_FALSE(f["properties"].contains("dfe_miles") || f["properties"].contains("geodesic_miles") ||
                 f["properties"].contains("message"));
    within += f["properties"]["within_20_miles"] == true;
  }
  std::size_t want_within = 0;
  for (const PlacementRow* row : located)
    want_within += std::isfinite(row->area_dfe_miles) && row->area_dfe_miles <= 20;
  EXPECT_EQ(within, want_within);

  // Homes are published at their postcode-sector centroids, never at the unit.
  json homes = get_json(server, "/v1/layers/analysis/E06000060/homes");
  std::set<std::pair<double, double>> sector_points;
  for (const PlacementRow& row : rows)
    if (row.home_located() && !row.home_sector.empty())
      sector_points.insert(
          {std::round(row.home_sector_position.lon * 1e6), std::round(row.home_sector_position.lat * 1e6)});
  ASSERT_FALSE(homes["features"].empty());
  for (const json& f : homes["features"])
    EXPECT_TRUE(sector_points.count({std::round(f["geometry"]["coordinates"][0].get<double>() * 1e6),
                                     std::round(f["geometry"]["coordinates"][1].get<double>() * 1e6)}));

  json zone = get_json(server, "/v1/layers/analysis/E06000060/zone_20_miles");
  ASSERT_EQ(zone["features"].size(), 2u);  // the council grown by 20 miles, the circles round the homes
  json boundary = get_json(server, "/v1/layers/analysis/E06000060/boundary");
  ASSERT_EQ(boundary["features"].size(), 1u);
}

TEST(ServeCohort, UnknownCouncilsLayersAndMissingCohortsAreErrors) {
  {
    RunningService server({}, cohort_data());
    EXPECT_EQ(get_json(server, "/v1/cohorts/E10000015", 404)["code"], "not_found");
    EXPECT_EQ(get_json(server, "/v1/layers/analysis/E06000060/nothing", 404)["code"], "not_found");
  }
  RunningService plain;  // no --cohort
  EXPECT_EQ(get_json(plain, "/v1/cohorts")["cohorts"].size(), 0u);
  EXPECT_EQ(get_json(plain, "/v1/cohorts/E06000060", 501)["code"], "not_loaded");
  EXPECT_EQ(get_json(plain, "/v1/layers/analysis/E06000060/placements", 501)["code"], "not_loaded");
}

TEST(ServeCohort, ABadCohortOptionStopsTheStartWithAMessage) {
  auto load = [](const std::string& spec) {
    serve::DataPaths paths{testing::serve_gazetteer(), {}, {}, {}, {}, {spec}, {}};
    try {
      serve::ServiceData::load(paths, {});
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string("<loaded>");
  };
  EXPECT_NE(load(testing::serve_cohort_file().string()).find("LA=FILE"), std::string::npos);
  EXPECT_NE(load("Nowhereshire=" + testing::serve_cohort_file().string()).find("Nowhereshire"), std::string::npos);
  EXPECT_NE(load("E06000060=/no/such/file.csv").find("/no/such/file.csv"), std::string::npos);
}

TEST(ServeCohort, CoverageOfACohortEqualsItsHomesSentAsAList) {
  RunningService server({}, cohort_data());
  analysis::InputRead input = analysis::read_placements(testing::serve_cohort_file(), {});
  // The cohort's coverage counts from each home's PUBLISHED area (sector, or district where the
  // sector holds fewer than 5 units; "" withheld), never the unit: the same areas sent as a list.
  const std::vector<maps::PlacementRow>& rows = cohort_data().cohorts.at("E06000060").rows;
  ASSERT_EQ(rows.size(), input.rows.size());
  std::vector<std::string> homes;
  for (const auto& row : rows) homes.push_back(row.home_located() ? row.home_sector : "");
  json by_code = post_json(server, {{"la", "E06000060"}, {"miles", 20}, {"min_places", 30}});
  json by_name = post_json(server, {{"la", "buckinghamshire"}, {"miles", 20}, {"min_places", 30}});
  json by_list = post_json(server, {{"homes", homes}, {"miles", 20}, {"min_places", 30}});
  EXPECT_EQ(by_code["summary"], by_name["summary"]);
  EXPECT_EQ(by_code["summary"], by_list["summary"]);
  EXPECT_EQ(by_code["la"]["code"], "E06000060");
  EXPECT_EQ(by_code["la"]["name"], "Buckinghamshire");
  ASSERT_EQ(by_code["homes"].size(), input.rows.size());
  EXPECT_EQ(by_code["summary"]["homes"].get<std::size_t>(), input.rows.size());
  // Each child: keyed by id and sector, the counts of its home; the library's count by brute force.
  long long total = 0, want_total = 0;
  for (std::size_t i = 0; i < input.rows.size(); ++i) {
    const json &a = by_code["homes"][i], &b = by_list["homes"][i];
    EXPECT_EQ(a["id"], input.rows[i].id);
    if (!input.rows[i].problem.empty()) {
      EXPECT_EQ(a["status"], "bad_row") << i;
    }
    EXPECT_EQ(a.value("sector", json()), homes[i].empty() ? json() : json(homes[i])) << i;
    EXPECT_EQ(a.value("places_within", json()), b.value("places_within", json())) << i;
    EXPECT_EQ(a.value("providers_within", json()), b.value("providers_within", json())) << i;
    if (a.contains("places_within")) total += a["places_within"].get<long long>();
    GeocodeResult home = cohort_data().gazetteer.lookup(homes[i]);
    if (!home.located()) continue;
    for (const auto& p : cohort_data().providers->providers)
      if (p.located() && dfe_miles(home.grid, p.grid) <= 20) want_total += std::max(p.places, 0);
  }
  EXPECT_GT(want_total, 0);
  EXPECT_EQ(total, want_total);
  // Personal data: no full home postcode anywhere in the answer, and no query or postcode keys.
  std::string text = by_code.dump();
  for (const auto& row : input.rows) {
    Postcode pc = parse_postcode(row.home_postcode);
    if (pc.level != PostcodeLevel::unit) continue;
    EXPECT_EQ(text.find(std::string(pc.normalised())), std::string::npos) << "a home postcode in the answer";
  }
  for (const json& row : by_code["homes"])
    EXPECT_FALSE(row.contains("postcode") || row.contains("query") || row.contains("message"));
}

// --disclosure restricted: the cohort's placements at their unit postcodes, with unit-to-unit
// miles; the default is shareable (published areas, area_miles, no dfe_miles).
TEST(ServeCohort, RestrictedCohortLayersCarryTheUnits) {
  serve::DataPaths paths{testing::serve_gazetteer(),
                         testing::serve_boundaries(),
                         {},
                         {},
                         {},
                         {"E06000060=" + testing::serve_cohort_file().string()},
                         {}};
  paths.cohort_restricted = true;
  auto restricted = serve::ServiceData::load(paths, {});
  const serve::Cohort& cohort = restricted->cohorts.at("E06000060");
  EXPECT_EQ(cohort.disclosure, Disclosure::restricted);
  json placements = json::parse(cohort.layers.at("placements"));
  std::vector<const PlacementRow*> located;
  for (const PlacementRow& row : cohort.rows)
    if (row.placement_located()) located.push_back(&row);
  ASSERT_EQ(placements["features"].size(), located.size());
  for (std::size_t i = 0; i < located.size(); i += 25) {
    const json& f = placements["features"][i];
    EXPECT_NEAR(f["geometry"]["coordinates"][0].get<double>(), located[i]->placement_position.lon, 1e-6);
    EXPECT_TRUE(f["properties"].contains("dfe_miles"));
  }
  json shareable = json::parse(cohort_data().cohorts.at("E06000060").layers.at("placements"));
  ASSERT_FALSE(shareable["features"].empty());
  EXPECT_FALSE(shareable["features"][0]["properties"].contains("dfe_miles"));
  EXPECT_TRUE(shareable["features"][0]["properties"].contains("area_miles"));
}

TEST(ServeCohort, CoverageOfAnUnknownOrMissingCohortIsAnError) {
  {
    RunningService server({}, cohort_data());
    EXPECT_EQ(post_json(server, {{"la", "E10000015"}}, 404)["code"], "not_found");
    EXPECT_EQ(post_json(server, {{"la", 42}}, 400)["code"], "wrong_type");
    EXPECT_EQ(post_json(server, {{"la", "E06000060"}, {"homes", {"HP20 1AA"}}}, 400)["code"], "invalid_value");
    EXPECT_EQ(post_json(server, {{"la", "E06000060"}, {"mode", "road"}}, 501)["code"], "not_loaded");  // no --roads
  }
  RunningService plain;  // providers, no --cohort
  EXPECT_EQ(post_json(plain, {{"la", "E06000060"}}, 501)["code"], "not_loaded");
}

}  // namespace
}  // namespace placedist
