// placedist in the QGIS Processing toolbox, headless: the plugin (maps/qgis/plugin) installed by
// tools/install-qgis-plugin into a throwaway QGIS profile, then run by Debian's qgis_process.bin
// (its qgis_process wrapper passes an option the binary rejects) with the placedist binary under
// test. Label "qgis".
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "geo/built_gazetteer.hpp"
#include "geo/data_dir.hpp"
#include "src/cli/run_placedist.hpp"

namespace placedist {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using testing::capture;

const fs::path kWork = PLACEDIST_TEST_WORK;
const char* const kQgisProcess = "/usr/bin/qgis_process.bin";

class QgisProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kQgisProcess)) GTEST_SKIP() << "qgis_process absent (tools/setup installs qgis)";
    m_dir = kWork / ("qgis_process_" + std::to_string(::getpid()));
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
    m_env = "QGIS_CUSTOM_CONFIG_PATH='" + (m_dir / "config").string() + "' PLACEDIST_BINARY='" +
            std::string(PLACEDIST_BINARY) + "' QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=/tmp ";
    int code = 0;
    capture(m_env + std::string(PLACEDIST_TEST_DIR) + "/../tools/install-qgis-plugin", &code);
    ASSERT_EQ(code, 0);
  }
  void TearDown() override { fs::remove_all(m_dir); }

  // qgis_process.bin's JSON answer for `arguments`.
  json run(const std::string& arguments, int* code) {
    const std::string out = capture(m_env + kQgisProcess + " --json " + arguments + " 2>/dev/null", code);
    const auto start = out.find('{');
    return start == std::string::npos ? json::object() : json::parse(out.substr(start), nullptr, false);
  }

  fs::path m_dir;
  std::string m_env;

  // A gazetteer built for these tests (never the user's default one, which may be absent or old).
  static fs::path codepoint_2018() {
    return testing::built_gazetteer(
        "codepoint_2018_qgis_process",
        {{{geo::GazetteerSource::Kind::codepoint, geo::data_file("postcodes/codepoint_open_2018_07")}}, {}, {}, {}, {}});
  }
};

TEST_F(QgisProcess, TheProviderListsItsFourAlgorithms) {
  int code = 0;
  const json list = run("list", &code);
  ASSERT_EQ(code, 0);
  ASSERT_TRUE(list.contains("providers") && list["providers"].contains("placedist")) << list.dump().substr(0, 500);
  const json& algorithms = list["providers"]["placedist"]["algorithms"];
  EXPECT_EQ(algorithms.size(), 4u);
  for (const char* id : {"placedist:geocode", "placedist:analyse", "placedist:matrix", "placedist:coverage"})
    EXPECT_TRUE(algorithms.contains(id)) << id;
}

// Analyse placements from the toolbox: the layers written, the project beside them, and the
// layers it loads into the project named.
TEST_F(QgisProcess, AnalysePlacementsWritesAndLoadsTheStyledLayers) {
  const fs::path gazetteer = codepoint_2018();
  const fs::path cohort = m_dir / "cohort.csv";
  auto made = testing::run_placedist("cohort --la E10000002 --children 651 --year 2017 --seed 20170331 -o " +
                                     cohort.string());
  ASSERT_EQ(made.exit_code, 0) << made.err;
  int code = 0;
  const fs::path out = m_dir / "analysis";
  const json result = run("run placedist:analyse -- INPUT=" + cohort.string() + " LA=Buckinghamshire FORMAT=1 GAZETTEER=" +
                              gazetteer.string() + " OUTPUT=" + out.string(),
                          &code);
  ASSERT_EQ(code, 0) << result.dump().substr(0, 1000);
  const std::vector<std::string> layers = result["results"]["LAYERS"];
  const std::vector<std::string> expected = {"councils", "zone_20_miles", "boundary", "flows",
                                             "journeys", "homes",         "placements"};
  EXPECT_EQ(layers, expected);
  EXPECT_EQ(result["results"]["PROJECT"], (out / "placements.qgs").string());
  EXPECT_TRUE(fs::exists(out / "layers.gpkg"));
  EXPECT_TRUE(fs::exists(out / "report.md"));
}

// Geocode postcodes from the toolbox: one output row per input row, a bad postcode kept with its
// status (placedist exits 1 for it; the algorithm still succeeds).
TEST_F(QgisProcess, GeocodePostcodesKeepsEveryRow) {
  const fs::path input = m_dir / "postcodes.csv";
  std::ofstream(input) << "postcode\nHP20 1AA\nEX1 1AA\nNOT A POSTCODE\n";
  const fs::path output = m_dir / "geocoded.csv";
  int code = 0;
  const json result = run("run placedist:geocode -- INPUT=" + input.string() + " GAZETTEER=" + codepoint_2018().string() +
                              " OUTPUT=" + output.string(),
                          &code);
  ASSERT_EQ(code, 0) << result.dump().substr(0, 1000);
  std::ifstream in(output);
  std::string header, line;
  std::getline(in, header);
  EXPECT_NE(header.find("status"), std::string::npos) << header;
  std::vector<std::string> rows;
  while (std::getline(in, line)) rows.push_back(line);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_NE(rows[0].find("HP20 1AA"), std::string::npos);
  EXPECT_NE(rows[0].find(",ok"), std::string::npos) << rows[0];
  EXPECT_EQ(rows[2].find(",ok"), std::string::npos) << rows[2];
}

}  // namespace
}  // namespace placedist
