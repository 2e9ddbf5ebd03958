// `placedist analyse --sector-areas` writes the responsible council's postcode sector areas as a
// layer for QGIS (codes and areas only), listed in the project; each sampled live unit of the
// council lies in its own sector's area. Without the flag there is no such layer.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "geo/built_gazetteer.hpp"
#include "geo/data_dir.hpp"
#include "geo/gazetteer.hpp"
#include "src/cli/run_placedist.hpp"

namespace placedist {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::CliRun;
using testing::slurp;

// The 12 Code-Point areas round Buckinghamshire (the service tests' gazetteer, shared by name).
fs::path plain_gazetteer() {
  using Kind = geo::GazetteerSource::Kind;
  return testing::built_gazetteer(
      "serve_plain_2025",
      {{{Kind::codepoint, geo::data_file("postcodes/codepoint_open_2025_10/plain")},
        {Kind::directory, geo::data_file("postcodes/onspd_sample_postcodes_io/onspd_seed_postcode.csv")}},
       {},
       {geo::data_file("postcodes/onspd_sample_postcodes_io/gss_names_districts.json"),
        geo::data_file("postcodes/onspd_sample_postcodes_io/gss_names_counties.json")},
       {},
       {}});
}

bool in_ring(const json& ring, double x, double y) {
  bool inside = false;
  for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    const double ax = ring[i][0], ay = ring[i][1], bx = ring[j][0], by = ring[j][1];
    if ((ay > y) != (by > y) && x < (bx - ax) * (y - ay) / (by - ay) + ax) inside = !inside;
  }
  return inside;
}

bool in_multipolygon(const json& geometry, geo::LonLat p) {
  for (const json& polygon : geometry["coordinates"]) {
    bool inside = false;
    for (const json& ring : polygon) inside ^= in_ring(ring, p.lon, p.lat);
    if (inside) return true;
  }
  return false;
}

TEST(AnalyseSectorAreas, TheCouncilsSectorAreasAreALayerOfTheProject) {
  const fs::path work = fs::path(PLACEDIST_TEST_WORK) / ("analyse_sector_areas_" + std::to_string(::getpid()));
  fs::remove_all(work);
  fs::create_directories(work);
  const fs::path cohort = work / "cohort.csv";
  CliRun made = testing::run_placedist("cohort --codepoint " + geo::data_file("postcodes/codepoint_open_2025_10/plain").string() +
                                       " --la E06000060 --children 200 --year 2025 --seed 7 -o " + cohort.string());
  ASSERT_EQ(made.exit_code, 0) << made.err;

  const std::string common = "analyse " + cohort.string() + " --la E06000060 --gazetteer " + plain_gazetteer().string();
  CliRun run = testing::run_placedist(common + " --sector-areas --out " + (work / "with").string());
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 1) << run.err;  // 1: some rows failed
  EXPECT_NE(run.err.find("postcode sector areas of E06000060"), std::string::npos) << run.err;

  const json layer = json::parse(slurp(work / "with" / "sector_areas.geojson"));
  std::map<std::string, const json*> by_sector;
  for (const json& f : layer["features"]) {
    const json& p = f["properties"];
    EXPECT_EQ(p.size(), 3u) << p.dump();  // sector, council, area_km2: nothing about the children
    EXPECT_EQ(p["council"], "E06000060");
    EXPECT_GT(p["area_km2"].get<double>(), 0);
    EXPECT_EQ(f["geometry"]["type"], "MultiPolygon");
    by_sector[p["sector"].get<std::string>()] = &f;
  }
  EXPECT_GT(by_sector.size(), 75u);
  EXPECT_NE(slurp(work / "with" / "placements.qgs").find("sector_areas.geojson"), std::string::npos);
  EXPECT_TRUE(fs::exists(work / "with" / "sector_areas.qml"));

  // Every 40th live unit of the council (off points shared with another postcode) lies in its
  // own sector's area.
  const geo::Gazetteer gazetteer = geo::Gazetteer::open(plain_gazetteer());
  struct Unit {
    std::string sector;
    geo::GridRef grid;
    geo::LonLat position;
  };
  std::vector<Unit> units;
  std::map<std::pair<double, double>, int> at_point;
  gazetteer.for_each_unit([&](const geo::Postcode& pc, const geo::GeocodeResult& r) {
    if (r.status != geo::GeocodeStatus::ok) return;
    ++at_point[{r.grid.easting, r.grid.northing}];
    if (r.utla.code == "E06000060") units.push_back({std::string(pc.normalised().substr(0, pc.length - 2)), r.grid, r.position});
  });
  std::size_t checked = 0, outside = 0;
  for (std::size_t i = 0; i < units.size(); i += 40) {
    const Unit& u = units[i];
    auto own = by_sector.find(u.sector);
    if (at_point[{u.grid.easting, u.grid.northing}] > 1 || own == by_sector.end()) continue;
    outside += !in_multipolygon((*own->second)["geometry"], u.position);
    ++checked;
  }
  EXPECT_GT(checked, 300u);
  EXPECT_EQ(outside, 0u);

  // Without the flag: no layer, not in the project.
  CliRun plain = testing::run_placedist(common + " --out " + (work / "without").string());
  ASSERT_TRUE(plain.exit_code == 0 || plain.exit_code == 1) << plain.err;
  EXPECT_FALSE(fs::exists(work / "without" / "sector_areas.geojson"));
  EXPECT_EQ(slurp(work / "without" / "placements.qgs").find("sector_areas"), std::string::npos);
  fs::remove_all(work);
}

}  // namespace
}  // namespace placedist
