// Placement cohorts served with --cohort LA=FILE: a synthetic Buckinghamshire cohort drawn from
// real Code-Point 2025 postcodes (fixed seed) is loaded by the service, and what /v1/cohorts and
// /v1/layers/analysis answer is checked against the library's own analysis of the same file.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include <nlohmann/json.hpp>

#include "maps/analysis.hpp"
#include "maps/report.hpp"
#include "serve_fixture.hpp"
#include "src/placement_input.hpp"

namespace placedist {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::RunningService;

const serve::ServiceData& cohort_data() {
  static std::unique_ptr<serve::ServiceData> data = [] {
    serve::DataPaths paths{testing::serve_gazetteer(), testing::serve_boundaries(), {}, {}, {},
                           {"Buckinghamshire=" + testing::serve_cohort_file().string()}};
    return serve::ServiceData::load(paths, {});
  }();
  return *data;
}

// The same file through the library, as `placedist analyse` reads and analyses it.
std::vector<PlacementRow> library_rows() {
  cli::InputRead input = cli::read_placements(testing::serve_cohort_file(), {});
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
  std::vector<const PlacementRow*> located;
  for (const PlacementRow& row : rows)
    if (row.placement_located()) located.push_back(&row);
  ASSERT_EQ(placements["features"].size(), located.size());
  std::size_t within = 0;
  for (std::size_t i = 0; i < located.size(); ++i) {
    const json& f = placements["features"][i];
    EXPECT_EQ(f["properties"]["id"], located[i]->id);
    EXPECT_NEAR(f["geometry"]["coordinates"][0].get<double>(), located[i]->placement_position.lon, 1e-6);
    EXPECT_NEAR(f["geometry"]["coordinates"][1].get<double>(), located[i]->placement_position.lat, 1e-6);
    within += f["properties"]["within_20_miles"] == true;
  }
  std::size_t want_within = 0;
  for (const PlacementRow* row : located) want_within += std::isfinite(row->dfe_miles) && row->dfe_miles <= 20;
  EXPECT_EQ(within, want_within);

  // Homes are published at their postcode-sector centroids, never at the unit.
  json homes = get_json(server, "/v1/layers/analysis/E06000060/homes");
  std::set<std::pair<double, double>> sector_points;
  for (const PlacementRow& row : rows)
    if (row.home_located()) sector_points.insert({std::round(row.home_sector_position.lon * 1e6), std::round(row.home_sector_position.lat * 1e6)});
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
    serve::DataPaths paths{testing::serve_gazetteer(), {}, {}, {}, {}, {spec}};
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

}  // namespace
}  // namespace placedist
