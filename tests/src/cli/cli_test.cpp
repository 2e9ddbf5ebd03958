// End to end: the placedist binary on real data, against golden files.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "geo/built_gazetteer.hpp"
#include "geo/data_dir.hpp"
#include "src/cli/run_placedist.hpp"

using namespace placedist::geo;

namespace placedist {
namespace {

namespace fs = std::filesystem;
using testing::CliRun;
using testing::golden;
using testing::slurp;
CliRun placedist(const std::string& arguments) { return testing::run_placedist(arguments); }

fs::path plain_gazetteer() {
  return testing::built_gazetteer(
      "plain_2025",
      {{{GazetteerSource::Kind::codepoint, data_file("postcodes/codepoint_open_2025_10/plain")}}, {}, {}, {}, {}});
}

TEST(Cli, GeocodeMatchesTheGoldenFile) {
  fs::path output = fs::path(PLACEDIST_TEST_WORK) / "geocode_output.csv";
  CliRun run = placedist("geocode " + golden("geocode_input.csv").string() + " --gazetteer " +
                         plain_gazetteer().string() + " -o " + output.string());
  EXPECT_EQ(run.exit_code, 1) << run.err;  // some rows failed
  EXPECT_EQ(slurp(output), slurp(golden("geocode_expected.csv")));
  EXPECT_NE(run.err.find("geocoded 17 rows: unit 5, sector 2, district 2, area 1 (terminated 0, approximate 2); "
                         "failed 7 (empty 2, malformed 2, non_geographic 2, unknown 1)"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(run.err.find("HP20"), std::string::npos) << "postcodes must not be logged";
}

TEST(Cli, GeocodeStreamsStandardInputToStandardOutput) {
  CliRun run =
      placedist("geocode --gazetteer " + plain_gazetteer().string() + " < " + golden("geocode_input.csv").string());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, slurp(golden("geocode_expected.csv")));
}

TEST(Cli, GeocodeExitsZeroWhenEveryRowIsLocated) {
  fs::path input = fs::path(PLACEDIST_TEST_WORK) / "all_good.csv";
  std::ofstream(input) << "pcds\nHP20 1AA\nMK9 1AA\n";
  CliRun run = placedist("geocode " + input.string() + " --gazetteer " + plain_gazetteer().string());
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.substr(0, run.out.find('\n')),
            "pcds,pc_normalised,match,status,easting,northing,lon,lat,ltla_code,"
            "ltla_name,utla_code,utla_name,error");
}

TEST(Cli, BadInvocationsAreClearAndWriteNothing) {
  fs::path output = fs::path(PLACEDIST_TEST_WORK) / "never_written.csv";
  fs::remove(output);
  CliRun missing_input =
      placedist("geocode /nonexistent/in.csv --gazetteer " + plain_gazetteer().string() + " -o " + output.string());
  EXPECT_EQ(missing_input.exit_code, 2);
  EXPECT_NE(missing_input.err.find("cannot read /nonexistent/in.csv"), std::string::npos) << missing_input.err;
  EXPECT_FALSE(fs::exists(output));

  CliRun wrong_column = placedist("geocode " + golden("geocode_input.csv").string() + " --column zip --gazetteer " +
                                  plain_gazetteer().string() + " -o " + output.string());
  EXPECT_EQ(wrong_column.exit_code, 2);
  EXPECT_NE(wrong_column.err.find("no column named 'zip'"), std::string::npos);
  EXPECT_FALSE(fs::exists(output));

  CliRun no_gazetteer = placedist("distance 'HP20 1AA' 'MK9 1AA' --gazetteer /nonexistent/g.pdg");
  EXPECT_EQ(no_gazetteer.exit_code, 3);
  EXPECT_NE(no_gazetteer.err.find("placedist gazetteer build"), std::string::npos) << no_gazetteer.err;
}

// HP20 1AA (482158, 213995) to MK9 1AA (484449, 238360): dE 2291 m, dN 24365 m,
// sqrt(2291^2 + 24365^2) = 24472.47 m, / 1000 / 1.6093 = 15.207 -> 15.2 miles.
TEST(Cli, DistanceJson) {
  CliRun run = placedist("distance 'hp20 1aa' MK91AA --json --gazetteer " + plain_gazetteer().string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json["status"], "ok");
  EXPECT_DOUBLE_EQ(json["dfe_miles"].get<double>(), 15.2);
  EXPECT_NEAR(json["geodesic_metres"].get<double>(), 24479.8, 0.5);
  EXPECT_EQ(json["from"]["utla"]["code"], "E06000060");
  EXPECT_EQ(json["to"]["utla"]["name"], "Milton Keynes");
  EXPECT_EQ(json["same_upper_tier_council"], false);

  CliRun bad = placedist("distance 'HP20 1AA' 'NOT A PC' --json --gazetteer " + plain_gazetteer().string());
  EXPECT_EQ(bad.exit_code, 1);
  auto error = nlohmann::json::parse(bad.out);
  EXPECT_EQ(error["status"], "not_located");
  EXPECT_EQ(error["to"]["status"], "malformed");
}

TEST(Cli, GazetteerBuildHonoursTheOrderOfSourcesAndDescribesThem) {
  fs::path output = fs::path(PLACEDIST_TEST_WORK) / "cli_built.pdg";
  CliRun build = placedist(
      "gazetteer build --onspd " + data_file("postcodes/onspd_sample_postcodes_io/onspd_seed_postcode.csv").string() +
      " --codepoint " + data_file("postcodes/codepoint_open_2025_10/plain").string() + " -o " + output.string());
  ASSERT_EQ(build.exit_code, 0) << build.err;
  CliRun info = placedist("gazetteer info " + output.string());
  ASSERT_EQ(info.exit_code, 0);
  auto json = nlohmann::json::parse(info.out);
  ASSERT_EQ(json["sources"].size(), 2u);
  EXPECT_EQ(json["sources"][0]["kind"], "directory");
  EXPECT_EQ(json["sources"][1]["kind"], "codepoint");
  EXPECT_EQ(json["sources"][1]["vintage"], "Code-Point Open 2025.4.0 (20251020)");
  // The sample (Aberdeen AB1, London, Manchester, Jersey) and the 12 areas round Bucks share no postcode.
  EXPECT_EQ(json["counts"]["units"].get<int>(), 8048 + 165865);
}

}  // namespace
}  // namespace placedist
