// `placedist coverage` end to end through the binary, on real data: one output row per input
// row with statuses for bad and unknown postcodes, gzip input, exit codes, and the same numbers
// as POST /v1/coverage answers for the same homes (straight, and by road on the Buckinghamshire
// network), from a service loaded with the same gazetteer and providers.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "geo/io/csv_reader.hpp"
#include "geo/roads/built_network.hpp"
#include "run_placedist.hpp"
#include "src/serve/serve_fixture.hpp"

using namespace placedist::geo;

namespace placedist {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::CliRun;
using testing::run_placedist;

fs::path work(const std::string& name) {
  fs::create_directories(PLACEDIST_TEST_WORK);
  return fs::path(PLACEDIST_TEST_WORK) / ("coverage_cli_" + std::to_string(::getpid()) + "_" + name);
}

// This process's files go when it ends (CTest runs each test in its own process).
struct RemoveWorkFiles {
  ~RemoveWorkFiles() {
    const std::string prefix = "coverage_cli_" + std::to_string(::getpid()) + "_";
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(PLACEDIST_TEST_WORK, ec))
      if (entry.path().filename().string().rfind(prefix, 0) == 0) fs::remove(entry.path(), ec);
  }
} remove_work_files;

// The providers file the service reads, kept for the whole test run.
const fs::path& providers_file() {
  static fs::path path = [] {
    testing::serve_data();  // loads (and then removes) its own copy first
    fs::path kept = work("providers.csv");
    fs::rename(testing::serve_providers(), kept);
    return kept;
  }();
  return path;
}

std::string common_arguments() {
  return " --providers " + providers_file().string() + " --gazetteer " + testing::serve_gazetteer().string();
}

// Every `stride`-th unit postcode of a plain Code-Point area file.
std::vector<std::string> postcodes_of(const std::string& area, std::size_t stride) {
  CsvReader in(data_file("postcodes/codepoint_open_2025_10/plain/" + area + ".csv"));
  std::vector<std::string> out;
  for (std::size_t row = 0; in.next(); ++row)
    if (row % stride == 0) out.emplace_back(in[0]);
  return out;
}

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::size_t column(const std::string& name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return i;
    ADD_FAILURE() << "no column " << name;
    return 0;
  }
};

// Every row must have as many fields as the header (checked here, so that indexing is safe).
Table read_table(const fs::path& path) {
  Table t;
  CsvReader in(path);
  if (!in.next()) return t;
  for (std::string_view f : in.fields()) t.header.emplace_back(f);
  while (in.next()) {
    auto& row = t.rows.emplace_back();
    for (std::string_view f : in.fields()) row.emplace_back(f);
    EXPECT_EQ(row.size(), t.header.size()) << "row " << t.rows.size() << " of " << path;
    row.resize(t.header.size());
  }
  return t;
}

// A homes file: an id, the postcode under a header the command must find, a quoted note.
fs::path write_homes(const std::string& name, const std::vector<std::string>& postcodes) {
  fs::path path = work(name);
  std::ofstream out(path);
  out << "\xEF\xBB\xBF"
      << "child_ref,Post_Code,note\r\n";
  for (std::size_t i = 0; i < postcodes.size(); ++i)
    out << "c" << i << "," << postcodes[i] << ",\"note, " << i << "\"\r\n";
  return path;
}

TEST(CoverageCli, OneRowPerInputRowWithStatusesAndExitCodeOne) {
  std::vector<std::string> postcodes = {"HP20 1AA", "not a postcode", "", "LS1 4AP", "hp201aa", "ZZ99 3VZ"};
  fs::path input = write_homes("mixed.csv", postcodes);
  {
    std::ofstream(input, std::ios::app) << "c_short\r\n";  // a row without its postcode column
  }
  fs::path output = work("mixed_out.csv");
  CliRun run = run_placedist("coverage " + input.string() + common_arguments() + " -o " + output.string());
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("coverage of 7 homes"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("failed 5"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("LS1"), std::string::npos) << "no postcode in the log: " << run.err;
  EXPECT_EQ(run.err.find("HP20"), std::string::npos) << run.err;
  Table t = read_table(output);
  ASSERT_EQ(t.rows.size(), 7u);
  ASSERT_EQ(t.header.size(), 3u + 8u);
  EXPECT_EQ(t.header[0], "child_ref");
  EXPECT_EQ(t.header.back(), "message");
  const std::size_t status = t.column("status"), within = t.column("providers_within"),
                    enough = t.column("at_least_min_places"), message = t.column("message");
  EXPECT_EQ(t.rows[0][status], "ok");
  EXPECT_EQ(t.rows[0][2], "note, 0") << "input columns kept as written";
  EXPECT_NE(t.rows[0][within], "");
  EXPECT_TRUE(t.rows[0][enough] == "true" || t.rows[0][enough] == "false");
  EXPECT_EQ(t.rows[1][status], "malformed");
  EXPECT_EQ(t.rows[1][within], "");
  EXPECT_NE(t.rows[1][message], "");
  EXPECT_EQ(t.rows[2][status], "empty");
  EXPECT_EQ(t.rows[3][status], "unknown");
  EXPECT_EQ(t.rows[4][status], "ok");
  EXPECT_EQ(t.rows[4][t.column("pc_normalised")], "HP20 1AA");
  EXPECT_EQ(t.rows[4][within], t.rows[0][within]);
  EXPECT_EQ(t.rows[5][status], "non_geographic");
  EXPECT_EQ(t.rows[6][0], "c_short");
  EXPECT_EQ(t.rows[6][status], "empty");
  EXPECT_EQ(t.rows[6][message], "row has fewer columns than the header");
  EXPECT_EQ(t.rows[6].size(), t.header.size()) << "short rows padded: the output stays rectangular";
}

TEST(CoverageCli, GzipInputGivesTheSameOutputAndAllGoodRowsExitZero) {
  fs::path input = write_homes("good.csv", postcodes_of("sl", 500));
  int status = -1;
  testing::capture("gzip -c " + input.string() + " > " + input.string() + ".gz", &status);
  ASSERT_EQ(status, 0);
  fs::path plain_out = work("good_out.csv"), gz_out = work("good_gz_out.csv");
  CliRun plain = run_placedist("coverage " + input.string() + common_arguments() + " -o " + plain_out.string());
  CliRun gz =
      run_placedist("coverage " + input.string() + ".gz" + common_arguments() + " --threads 2 -o " + gz_out.string());
  EXPECT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(gz.exit_code, 0) << gz.err;
  EXPECT_EQ(testing::slurp(plain_out), testing::slurp(gz_out));
  EXPECT_EQ(read_table(plain_out).rows.size(), postcodes_of("sl", 500).size());
}

TEST(CoverageCli, BadArgumentsExitTwoBrokenDataExitThreeAndWriteNothing) {
  fs::path input = write_homes("few.csv", {"HP20 1AA"});
  fs::path output = work("never.csv");
  EXPECT_EQ(run_placedist("coverage " + work("missing.csv").string() + common_arguments() + " -o " + output.string())
                .exit_code,
            2);
  EXPECT_EQ(run_placedist("coverage " + input.string() + common_arguments() + " --column nope -o " + output.string())
                .exit_code,
            2);
  EXPECT_EQ(
      run_placedist("coverage " + input.string() + common_arguments() + " --miles 0 -o " + output.string()).exit_code,
      2);
  EXPECT_EQ(run_placedist("coverage " + input.string() + common_arguments() + " --snap-radius 50 -o " + output.string())
                .exit_code,
            2)
      << "--snap-radius needs --roads";
  EXPECT_EQ(run_placedist("coverage " + input.string() + " --providers " + providers_file().string() + " --gazetteer " +
                          work("no_such.pdg").string() + " -o " + output.string())
                .exit_code,
            3);
  fs::path broken = work("broken_providers.csv");
  std::ofstream(broken) << "urn,name\n1,x\n";
  EXPECT_EQ(run_placedist("coverage " + input.string() + " --providers " + broken.string() + " --gazetteer " +
                          testing::serve_gazetteer().string() + " -o " + output.string())
                .exit_code,
            3);
  fs::path no_roads = work("no_roads.pdr");
  std::ofstream(no_roads) << "not a road network";
  EXPECT_EQ(run_placedist("coverage " + input.string() + common_arguments() + " --roads " + no_roads.string() + " -o " +
                          output.string())
                .exit_code,
            3);
  EXPECT_FALSE(fs::exists(output));
}

// The command's numbers against POST /v1/coverage for the same homes and parameters.
void expect_same_as_service(const testing::RunningService& server, const std::vector<std::string>& postcodes,
                            const std::string& extra, const json& request) {
  fs::path input = write_homes("compare.csv", postcodes);
  fs::path output = work("compare_out.csv");
  CliRun run = run_placedist("coverage " + input.string() + common_arguments() + extra + " -o " + output.string());
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 1) << run.err;
  Table t = read_table(output);
  ASSERT_EQ(t.rows.size(), postcodes.size());
  json body = request;
  body["homes"] = postcodes;
  auto response = server.client().Post("/v1/coverage", body.dump(), "application/json");
  ASSERT_TRUE(response);
  ASSERT_EQ(response->status, 200) << response->body.substr(0, 300);
  json answer = json::parse(response->body);
  const bool road = body.value("mode", "straight") == "road";
  std::size_t compared = 0, counted = 0, enough = 0;
  for (std::size_t i = 0; i < postcodes.size(); ++i) {
    const json& row = answer["homes"][i];
    const auto& out = t.rows[i];
    EXPECT_EQ(out[t.column("status")], row["status"].get<std::string>()) << i;
    if (road && row.contains("road_status")) {
      EXPECT_EQ(out[t.column("road_status")], row["road_status"].get<std::string>()) << i;
      EXPECT_EQ(out[t.column("providers_not_routed")], std::to_string(row["providers_not_routed"].get<int>())) << i;
    }
    if (!row.contains("providers_within")) {
      EXPECT_EQ(out[t.column("providers_within")], "") << i;
      continue;
    }
    ++compared;
    EXPECT_EQ(out[t.column("providers_within")], std::to_string(row["providers_within"].get<long long>())) << i;
    EXPECT_EQ(out[t.column("places_within")], std::to_string(row["places_within"].get<long long>())) << i;
    EXPECT_EQ(out[t.column("at_least_min_places")], row["at_least_min_places"].get<bool>() ? "true" : "false") << i;
    ++counted;
    enough += row["at_least_min_places"].get<bool>();
  }
  EXPECT_GT(compared, postcodes.size() / 2);
  EXPECT_EQ(answer["summary"]["with_min_places"].get<std::size_t>(), enough);
  char share[32];
  std::snprintf(share, sizeof share, " for %zu of %zu ", enough, counted);
  EXPECT_NE(run.err.find(share), std::string::npos) << run.err;
}

TEST(CoverageCli, StraightNumbersEqualThePostCoverageAnswer) {
  testing::RunningService server;
  std::vector<std::string> postcodes = postcodes_of("hp", 60);
  postcodes.push_back("not a postcode");
  postcodes.push_back("AB1 0AA");  // terminated, in the directory sample
  expect_same_as_service(server, postcodes, " --miles 12.5 --min-places 40", {{"miles", 12.5}, {"min_places", 40}});
}

TEST(CoverageCli, RoadNumbersEqualThePostCoverageAnswer) {
  static std::unique_ptr<serve::ServiceData> data = [] {
    fs::path providers = testing::serve_providers();
    auto loaded = serve::ServiceData::load(
        {testing::serve_gazetteer(), {}, providers, testing::built_bucks_roads(), {}, {}, {}}, {});
    fs::remove(providers);
    return loaded;
  }();
  testing::RunningService server({}, *data);
  std::vector<std::string> postcodes = postcodes_of("hp", 150);  // Buckinghamshire and, off the network, Herts
  for (const std::string& more : postcodes_of("mk", 400)) postcodes.push_back(more);
  expect_same_as_service(server, postcodes,
                         " --roads " + testing::built_bucks_roads().string() + " --threads 2 --min-places 20",
                         {{"mode", "road"}, {"min_places", 20}});
}

}  // namespace
}  // namespace placedist
