// POST /v1/analyse end to end: real placements (Code-Point postcodes round Buckinghamshire)
// sent as JSON and as CSV to a server on 127.0.0.1; each row checked against the library's
// own analysis of the same row, the report against its tabulation, and the bad requests.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "maps/report.hpp"
#include "serve_fixture.hpp"
#include "src/analysis/analysis.hpp"

using namespace placedist::geo;
using namespace placedist::shapes;
using namespace placedist::maps;
using namespace placedist::analysis;

namespace placedist {
namespace {

using nlohmann::json;
using testing::RunningService;
using testing::serve_data;

std::vector<std::string> codepoint_postcodes(const char* area, std::size_t n, std::size_t stride) {
  std::vector<std::string> out;
  CsvReader csv(data_file(std::string("postcodes/codepoint_open_2025_10/plain/") + area + ".csv"));
  for (std::size_t i = 0; out.size() < n && csv.next(); ++i)
    if (i % stride == 0) out.emplace_back(csv[0]);
  return out;
}

// Homes in HP (Buckinghamshire), placements across HP, OX, MK, LU and one unknown postcode.
std::vector<PlacementInput> placements() {
  std::vector<std::string> homes = codepoint_postcodes("hp", 12, 1100);
  std::vector<std::string> away;
  for (const char* area : {"hp", "ox", "mk", "lu"})
    for (std::string& pc : codepoint_postcodes(area, 3, 4000)) away.push_back(pc);
  std::vector<PlacementInput> rows;
  for (std::size_t i = 0; i < homes.size(); ++i) {
    PlacementInput in;
    in.id = "C" + std::to_string(i + 1);
    in.home_postcode = homes[i];
    in.placement_postcode = i == 5 ? "ZZ9 9ZZ" : away[i % away.size()];
    in.uasc = i == 7;
    in.line = i + 1;
    rows.push_back(in);
  }
  return rows;
}

void expect_rows_match_library(const json& answer, const std::vector<PlacementInput>& inputs) {
  AnalysisOptions options;
  options.responsible_code = "E06000060";
  options.boundaries = &serve_data().councils->boundaries();
  std::vector<PlacementRow> rows = analyse_placements(inputs, serve_data().gazetteer, options);
  ASSERT_EQ(answer["rows"].size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const json& got = answer["rows"][i];
    EXPECT_EQ(got["id"], rows[i].id);
    EXPECT_EQ(got["status"], to_string(rows[i].status)) << i;
    EXPECT_EQ(got["placement_location"], to_string(rows[i].location)) << i;
    EXPECT_EQ(got["placement_la_code"], rows[i].placement_la_code) << i;
    EXPECT_EQ(got["home_la_code"], rows[i].home_la_code) << i;
    if (std::isfinite(rows[i].dfe_miles)) {
      EXPECT_NEAR(got["dfe_miles"].get<double>(), rows[i].dfe_miles, 1e-9) << i;
      EXPECT_NEAR(got["geodesic_miles"].get<double>(), rows[i].geodesic_miles, 0.0005) << i;
      EXPECT_EQ(got["within_20_miles"], rows[i].dfe_miles <= 20) << i;
    } else {
      EXPECT_TRUE(got["dfe_miles"].is_null()) << i;
      EXPECT_TRUE(got["within_20_miles"].is_null()) << i;
    }
  }
  LocationTable table = tabulate(rows, "E06000060", answer["la"]["name"].get<std::string>());
  const json& report = answer["report"];
  EXPECT_EQ(report["council"]["code"], "E06000060");
  EXPECT_EQ(report["headline"]["children"], table.total);
  EXPECT_EQ(report["headline"]["within_20_miles"]["count"], table.within_20);
  EXPECT_EQ(report["headline"]["out_of_county"]["count"], table.outside);
  EXPECT_EQ(report["rows"]["failed"], table.failed);
  EXPECT_EQ(report["rows"]["uasc"], 1);
  EXPECT_GT(table.failed, 0u);
  EXPECT_GT(table.outside, 0u);
  EXPECT_GT(table.inside, 0u);
}

TEST(ServeAnalyse, JsonPlacementsGiveTheLibrarysRowsAndReport) {
  RunningService server;
  auto c = server.client();
  std::vector<PlacementInput> inputs = placements();
  json list = json::array();
  for (const PlacementInput& in : inputs)
    list.push_back({{"id", in.id},
                    {"home_postcode", in.home_postcode},
                    {"placement_postcode", in.placement_postcode},
                    {"uasc", in.uasc}});
  auto r = c.Post("/v1/analyse?la=E06000060", list.dump(), "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  json answer = json::parse(r->body);
  EXPECT_EQ(answer["la"]["code"], "E06000060");
  expect_rows_match_library(answer, inputs);
  // The council in the body (codes are case-insensitive, as in the CLI).
  auto named = c.Post("/v1/analyse", json{{"la", "e06000060"}, {"placements", list}}.dump(), "application/json");
  ASSERT_TRUE(named);
  ASSERT_EQ(named->status, 200) << named->body;
  EXPECT_EQ(json::parse(named->body)["rows"], answer["rows"]);
}

TEST(ServeAnalyse, CsvBodyReadAsTheCliReadsFiles) {
  RunningService server;
  auto c = server.client();
  std::vector<PlacementInput> inputs = placements();
  std::string csv = "id,home_postcode,placement_postcode,UASC\n";
  for (const PlacementInput& in : inputs)
    csv += in.id + "," + in.home_postcode + "," + in.placement_postcode + "," + (in.uasc ? "Y" : "") + "\n";
  auto r = c.Post("/v1/analyse?la=E06000060", csv, "text/csv");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  expect_rows_match_library(json::parse(r->body), inputs);
}

// A CSV body is parsed in memory: no file appears in TMPDIR (the children's postcodes would be
// left there after a crash), nor in the working directory.
TEST(ServeAnalyse, CsvBodyWritesNoTemporaryFile) {
  namespace fs = std::filesystem;
  const fs::path tmpdir = fs::path(PLACEDIST_TEST_WORK) / ("csv_post_tmpdir_" + std::to_string(::getpid()));
  fs::remove_all(tmpdir);
  fs::create_directories(tmpdir);
  const char* previous = std::getenv("TMPDIR");
  const std::string saved = previous ? previous : "";
  ::setenv("TMPDIR", tmpdir.c_str(), 1);
  ASSERT_EQ(fs::temp_directory_path(), tmpdir);
  std::vector<std::string> cwd_before;
  for (const auto& e : fs::directory_iterator(fs::current_path())) cwd_before.push_back(e.path().string());
  {
    RunningService server;
    auto c = server.client();
    std::string csv = "id,home_postcode,placement_postcode,UASC\n";
    for (const PlacementInput& in : placements())
      csv += in.id + "," + in.home_postcode + "," + in.placement_postcode + "," + (in.uasc ? "Y" : "") + "\n";
    auto r = c.Post("/v1/analyse?la=E06000060", csv, "text/csv");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  EXPECT_TRUE(fs::is_empty(tmpdir));
  std::vector<std::string> cwd_after;
  for (const auto& e : fs::directory_iterator(fs::current_path())) cwd_after.push_back(e.path().string());
  std::sort(cwd_before.begin(), cwd_before.end());
  std::sort(cwd_after.begin(), cwd_after.end());
  EXPECT_EQ(cwd_before, cwd_after);
  if (previous)
    ::setenv("TMPDIR", saved.c_str(), 1);
  else
    ::unsetenv("TMPDIR");
  fs::remove_all(tmpdir);
}

TEST(ServeAnalyse, BadRequests) {
  serve::ServeOptions options;
  options.limits.max_rows = 5;
  RunningService server(options);
  auto c = server.client();
  auto expect_error = [&](const httplib::Result& r, int status, const char* code) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, status) << r->body;
    json body = json::parse(r->body);
    EXPECT_EQ(body["code"], code) << r->body;
    EXPECT_FALSE(body["message"].get<std::string>().empty());
  };
  const std::string one = R"([{"id": "1", "home_postcode": "HP20 1AA", "placement_postcode": "OX1 1AA"}])";
  expect_error(c.Post("/v1/analyse", one, "application/json"), 400, "missing_parameter");
  expect_error(c.Post("/v1/analyse?la=E99999999", one, "application/json"), 400, "invalid_value");
  expect_error(c.Post("/v1/analyse?la=E06000060", "[{\"id\": \"1\"", "application/json"), 400, "malformed_json");
  expect_error(c.Post("/v1/analyse?la=E06000060", R"([{"home_postcode": 5, "placement_postcode": "OX1 1AA"}])",
                      "application/json"),
               400, "wrong_type");
  expect_error(c.Post("/v1/analyse?la=E06000060", R"([{"home_postcode": "HP20 1AA"}])", "application/json"), 400,
               "missing_parameter");
  expect_error(c.Post("/v1/analyse?la=E06000060", "[]", "application/json"), 400, "invalid_value");
  expect_error(c.Post("/v1/analyse?la=E06000060", "name,town\nA,B\n", "text/csv"), 400, "invalid_value");
  json many = json::array();
  for (int i = 0; i < 6; ++i) many.push_back(json::parse(one)[0]);
  expect_error(c.Post("/v1/analyse?la=E06000060", many.dump(), "application/json"), 413, "too_many_rows");
  std::string csv = "id,home_postcode,placement_postcode\n";
  for (int i = 0; i < 6; ++i) csv += std::to_string(i) + ",HP20 1AA,OX1 1AA\n";
  expect_error(c.Post("/v1/analyse?la=E06000060", csv, "text/csv"), 413, "too_many_rows");
  // Still serving.
  auto ok = c.Post("/v1/analyse?la=E06000060", one, "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;
}

}  // namespace
}  // namespace placedist
