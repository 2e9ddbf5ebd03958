// Road distances in the other commands, end to end on the Buckinghamshire network (OSM 2016):
// distance --roads, analyse --roads (placements.csv columns, routes on the journeys layers, the
// road 20-mile zone) and route/matrix with postcode columns. Expected numbers come from the
// same network and gazetteer queried in-process, and from the straight line they must exceed.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>
#include <sys/wait.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "geo/built_gazetteer.hpp"
#include "geo/data_dir.hpp"
#include "geo/distance.hpp"
#include "geo/io/csv_reader.hpp"
#include "geo/io/number_text.hpp"
#include "geo/roads/built_network.hpp"
#include "geo/roads/road_precision.hpp"
#include "geo/roads/road_query.hpp"
#include "src/cli/run_placedist.hpp"

using namespace placedist::geo;

namespace placedist {
namespace {

namespace fs = std::filesystem;
using testing::CliRun;
using testing::slurp;
CliRun placedist(const std::string& arguments) { return testing::run_placedist(arguments); }

fs::path work(const std::string& name) {
  fs::create_directories(PLACEDIST_TEST_WORK);
  return fs::path(PLACEDIST_TEST_WORK) / ("roadcols_" + std::to_string(::getpid()) + "_" + name);
}

fs::path gazetteer_2018() {
  return testing::built_gazetteer(
      "codepoint_2018_roadcols",
      {{{GazetteerSource::Kind::codepoint, data_file("postcodes/codepoint_open_2018_07")}}, {}, {}, {}, {}});
}

std::vector<std::vector<std::string>> read_csv(const fs::path& p) {
  CsvReader r(p);
  std::vector<std::vector<std::string>> rows;
  while (r.next()) rows.emplace_back(r.fields().begin(), r.fields().end());
  return rows;
}

std::map<std::string, std::map<std::string, std::string>> rows_by_id(const fs::path& p) {
  auto rows = read_csv(p);
  std::map<std::string, std::map<std::string, std::string>> out;
  for (std::size_t i = 1; i < rows.size(); ++i)
    for (std::size_t c = 0; c < rows[0].size() && c < rows[i].size(); ++c) out[rows[i][0]][rows[0][c]] = rows[i][c];
  return out;
}

// The route between two postcodes as the commands should compute it.
roads::RoadResult expected_route(const Gazetteer& gazetteer, const std::string& from, const std::string& to) {
  static auto network = roads::RoadNetwork::load(testing::built_bucks_roads());
  roads::RoadQuery query(network);
  return query.route(gazetteer.lookup(from).position, gazetteer.lookup(to).position);
}

TEST(RoadColumns, DistanceAddsRoadMilesMinutesAndSnaps) {
  fs::path roads = testing::built_bucks_roads();
  Gazetteer gazetteer = Gazetteer::open(gazetteer_2018());
  CliRun run = placedist("distance 'HP20 1AA' 'MK9 1AA' --json --gazetteer " + gazetteer_2018().string() + " --roads " +
                         roads.string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto json = nlohmann::json::parse(run.out);
  const auto& road = json["road"];
  EXPECT_EQ(road["status"], "ok");
  roads::RoadResult want = expected_route(gazetteer, "HP20 1AA", "MK9 1AA");
  ASSERT_EQ(want.status, roads::RoadStatus::ok);
  // Each quantity to its places (geo/roads/road_precision.hpp), as every output writes it.
  EXPECT_EQ(road["miles"].get<double>(), round_to(want.fastest_metres / kMetresPerMile, roads::kRoadMilesDecimals));
  EXPECT_EQ(road["minutes"].get<double>(), round_to(want.fastest_seconds / 60, roads::kRoadMinutesDecimals));
  EXPECT_EQ(road["shortest_miles"].get<double>(),
            round_to(want.shortest_metres / kMetresPerMile, roads::kRoadMilesDecimals));
  EXPECT_EQ(road["from_snap_m"].get<double>(), round_to(want.from_snap_m, roads::kSnapMetresDecimals));
  EXPECT_EQ(road["to_snap_m"].get<double>(), round_to(want.to_snap_m, roads::kSnapMetresDecimals));
  // Roads are longer than the straight line (less the two snaps), the fastest no shorter than the shortest.
  double straight = json["geodesic_miles"].get<double>();
  EXPECT_GT(road["shortest_miles"].get<double>(), straight - (want.from_snap_m + want.to_snap_m) / kMetresPerMile);
  EXPECT_LE(road["shortest_miles"].get<double>(), road["miles"].get<double>());
  EXPECT_LT(road["miles"].get<double>(), 2 * straight);

  CliRun human = placedist("distance 'HP20 1AA' 'MK9 1AA' --gazetteer " + gazetteer_2018().string() + " --roads " +
                           roads.string());
  EXPECT_EQ(human.exit_code, 0);
  EXPECT_NE(human.out.find("road (fastest)"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("road (shortest)"), std::string::npos) << human.out;
}

TEST(RoadColumns, DistanceOutsideTheNetworkGivesAStatusAndNoNumber) {
  fs::path roads = testing::built_bucks_roads();
  CliRun run = placedist("distance 'HP20 1AA' 'EX1 1AE' --json --gazetteer " + gazetteer_2018().string() + " --roads " +
                         roads.string());
  EXPECT_EQ(run.exit_code, 1) << run.err;
  auto json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json["status"], "ok");  // both postcodes located: the straight line stands
  EXPECT_GT(json["dfe_miles"].get<double>(), 100);
  EXPECT_EQ(json["road"]["status"], "outside_network");
  EXPECT_TRUE(json["road"]["miles"].is_null());
  EXPECT_TRUE(json["road"]["minutes"].is_null());
  EXPECT_TRUE(json["road"]["to_snap_m"].is_null());
  EXPECT_LT(json["road"]["from_snap_m"].get<double>(), 1000);  // Aylesbury did snap

  CliRun human = placedist("distance 'HP20 1AA' 'EX1 1AE' --gazetteer " + gazetteer_2018().string() + " --roads " +
                           roads.string());
  EXPECT_NE(human.out.find("outside_network"), std::string::npos) << human.out;
  CliRun missing = placedist("distance 'HP20 1AA' 'EX1 1AE' --gazetteer " + gazetteer_2018().string() +
                             " --roads /nonexistent/roads.pdr");
  EXPECT_EQ(missing.exit_code, 2);
}

fs::path golden_input() { return testing::golden("analyse_input.csv"); }

// Layer features by id (GeoJSON through GDAL).
struct Layer {
  std::size_t features = 0;
  std::map<std::string, int> points_by_id;  // line vertices per journey id
  double area_km2 = 0;
  std::map<std::string, double> area_by_kind;
};

Layer read_layer(const fs::path& file) {
  GDALAllRegister();
  Layer out;
  GDALDatasetUniquePtr ds(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR));
  if (!ds) return out;
  OGRLayer* layer = ds->GetLayer(0);
  for (auto& f : *layer) {
    ++out.features;
    int id = f->GetFieldIndex("id");
    if (id >= 0 && f->GetGeometryRef() && wkbFlatten(f->GetGeometryRef()->getGeometryType()) == wkbLineString)
      out.points_by_id[f->GetFieldAsString(id)] = f->GetGeometryRef()->toLineString()->getNumPoints();
    int kind = f->GetFieldIndex("kind"), area = f->GetFieldIndex("area_km2");
    if (kind >= 0 && area >= 0) out.area_by_kind[f->GetFieldAsString(kind)] = f->GetFieldAsDouble(area);
  }
  return out;
}

TEST(RoadColumns, AnalyseAddsRoadColumnsRoutesAndTheRoadZone) {
  fs::path roads = testing::built_bucks_roads(), out = work("analyse");
  fs::remove_all(out);
  CliRun run = placedist("analyse " + golden_input().string() + " --la Buckinghamshire --gazetteer " +
                         gazetteer_2018().string() + " --out " + out.string() + " --roads " + roads.string() +
                         " --journeys both");
  EXPECT_EQ(run.exit_code, 1) << run.err;  // the golden input's bad rows
  EXPECT_EQ(run.err.find("HP20"), std::string::npos) << "postcodes must not be logged";
  EXPECT_NE(run.err.find("road distances"), std::string::npos) << run.err;

  auto header = read_csv(out / "placements.csv").front();
  std::vector<std::string> tail(header.end() - 6, header.end());
  EXPECT_EQ(tail, (std::vector<std::string>{"road_miles", "road_minutes", "shortest_road_miles", "home_snap_m",
                                            "placement_snap_m", "road_status"}));
  auto rows = rows_by_id(out / "placements.csv");
  Gazetteer gazetteer = Gazetteer::open(gazetteer_2018());
  // In Buckinghamshire and Milton Keynes: road numbers from the unit postcodes, as in-process.
  for (auto [id, home, placement] :
       {std::tuple{"c01", "HP20 1AA", "HP13 6AA"}, {"c02", "HP20 1AD", "MK9 1AA"}, {"c08", "HP20 1AD", "SL7 1AA"}}) {
    SCOPED_TRACE(id);
    auto& row = rows[id];
    ASSERT_EQ(row["road_status"], "ok");
    roads::RoadResult want = expected_route(gazetteer, home, placement);
    EXPECT_NEAR(std::stod(row["road_miles"]), want.fastest_metres / kMetresPerMile, 0.0051);
    EXPECT_NEAR(std::stod(row["road_minutes"]), want.fastest_seconds / 60, 0.051);
    EXPECT_NEAR(std::stod(row["shortest_road_miles"]), want.shortest_metres / kMetresPerMile, 0.0051);
    EXPECT_NEAR(std::stod(row["home_snap_m"]), want.from_snap_m, 0.051);
    EXPECT_GT(std::stod(row["shortest_road_miles"]) + 0.5, std::stod(row["geodesic_miles"]));
  }
  // Exeter, Cardiff, Edinburgh: outside the network, blank numbers. Unlocated and UASC rows: all blank.
  for (const char* id : {"c03", "c04", "c05"}) {
    EXPECT_EQ(rows[id]["road_status"], "outside_network") << id;
    EXPECT_EQ(rows[id]["road_miles"], "") << id;
    EXPECT_EQ(rows[id]["road_minutes"], "") << id;
    EXPECT_EQ(rows[id]["placement_snap_m"], "") << id;
    EXPECT_NE(rows[id]["home_snap_m"], "") << id;  // the Buckinghamshire home snapped
  }
  for (const char* id : {"c06", "c07", "c09"}) {
    EXPECT_EQ(rows[id]["road_status"], "") << id;
    EXPECT_EQ(rows[id]["road_miles"], "") << id;
  }

  // --journeys both: straight lines in journeys, routes in journeys_road.
  Layer straight = read_layer(out / "journeys.geojson"), road = read_layer(out / "journeys_road.geojson");
  EXPECT_EQ(straight.points_by_id["c01"], 2);
  EXPECT_GT(road.points_by_id["c01"], 10);
  EXPECT_GT(road.points_by_id["c02"], 10);
  EXPECT_EQ(road.points_by_id.count("c03"), 0u);  // no route to Exeter
  // The road zone lies within the union of 20-mile circles round the same home points (roads
  // are never shorter than the straight line), give or take its grid cells (under 1 km).
  Layer zones = read_layer(out / "zone_20_miles.geojson"), road_zone = read_layer(out / "zone_20_road_miles.geojson");
  ASSERT_EQ(road_zone.features, 1u);
  double road_area = road_zone.area_by_kind["home road reach"], circles = zones.area_by_kind["home circles"];
  EXPECT_GT(road_area, 0);
  EXPECT_LT(road_area, circles * 1.1);
  // It holds placements some 15 road miles or less from home, not Exeter or Edinburgh.
  GDALDatasetUniquePtr ds(GDALDataset::Open((out / "zone_20_road_miles.geojson").c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(ds);
  OGRFeatureUniquePtr zone(ds->GetLayer(0)->GetNextFeature());
  auto inside = [&](const char* postcode) {
    LonLat p = gazetteer.lookup(postcode).position;
    OGRPoint point(p.lon, p.lat);
    return zone->GetGeometryRef()->Contains(&point);
  };
  EXPECT_TRUE(inside("HP13 6AA"));
  EXPECT_TRUE(inside("HP20 1AA"));
  EXPECT_TRUE(inside("SL7 1AA"));
  EXPECT_FALSE(inside("EX1 1AE"));
  EXPECT_FALSE(inside("EH1 1AD"));
  for (const char* style : {"journeys_road.qml", "zone_20_road_miles.qml"})
    EXPECT_TRUE(fs::exists(out / style)) << style;
  EXPECT_NE(slurp(out / "placements.qgs").find("zone_20_road_miles"), std::string::npos);
  fs::remove_all(out);
}

TEST(RoadColumns, AnalyseRoadJourneysReplaceTheStraightLine) {
  fs::path roads = testing::built_bucks_roads(), out = work("analyse_road");
  fs::remove_all(out);
  CliRun run = placedist("analyse " + golden_input().string() + " --la Buckinghamshire --gazetteer " +
                         gazetteer_2018().string() + " --out " + out.string() + " --roads " + roads.string() +
                         " --no-road-zone");
  EXPECT_EQ(run.exit_code, 1) << run.err;
  Layer journeys = read_layer(out / "journeys.geojson");
  EXPECT_GT(journeys.points_by_id["c01"], 10);
  EXPECT_EQ(journeys.points_by_id["c03"], 2);  // outside the network: the straight line
  EXPECT_FALSE(fs::exists(out / "journeys_road.geojson"));
  EXPECT_FALSE(fs::exists(out / "zone_20_road_miles.geojson"));
  CliRun bad = placedist("analyse " + golden_input().string() + " --gazetteer " + gazetteer_2018().string() +
                         " --out " + out.string() + " --journeys road");
  EXPECT_EQ(bad.exit_code, 2);  // road journeys need --roads
  fs::remove_all(out);
}

TEST(RoadColumns, ARunWithoutRoadsRemovesTheEarlierRunsRoadLayerFiles) {
  fs::path roads = testing::built_bucks_roads(), out = work("analyse_rerun");
  fs::remove_all(out);
  const std::string common = "analyse " + golden_input().string() + " --la Buckinghamshire --gazetteer " +
                             gazetteer_2018().string() + " --out " + out.string();
  CliRun with_roads = placedist(common + " --roads " + roads.string() + " --journeys both");
  ASSERT_EQ(with_roads.exit_code, 1) << with_roads.err;
  ASSERT_EQ(read_layer(out / "zone_20_road_miles.geojson").features, 1u);
  ASSERT_GT(read_layer(out / "journeys_road.geojson").features, 0u);
  ASSERT_TRUE(fs::exists(out / "zone_20_road_miles.qml"));
  // Someone else's file beside them, named like no layer, stays.
  std::ofstream(out / "notes.geojson") << "{}";
  CliRun without = placedist(common);
  ASSERT_EQ(without.exit_code, 1) << without.err;
  EXPECT_FALSE(fs::exists(out / "zone_20_road_miles.geojson"));
  EXPECT_FALSE(fs::exists(out / "journeys_road.geojson"));
  EXPECT_FALSE(fs::exists(out / "zone_20_road_miles.qml"));  // nor their styles
  EXPECT_FALSE(fs::exists(out / "journeys_road.qml"));
  EXPECT_TRUE(fs::exists(out / "journeys.qml"));
  for (const char* kept : {"zone_20_miles", "councils", "boundary", "journeys", "homes", "placements"})
    EXPECT_GT(read_layer(out / (std::string(kept) + ".geojson")).features, 0u) << kept;
  // The straight-line journeys replaced the routes: two vertices each.
  EXPECT_EQ(read_layer(out / "journeys.geojson").points_by_id["c01"], 2);
  EXPECT_TRUE(fs::exists(out / "notes.geojson"));
  EXPECT_EQ(slurp(out / "placements.qgs").find("zone_20_road_miles"), std::string::npos);
  fs::remove_all(out);
}

TEST(RoadColumns, RouteAndMatrixTakePostcodeColumns) {
  fs::path roads = testing::built_bucks_roads(), in = work("journeys.csv"), out = work("routes.csv");
  std::ofstream(in) << "ref,from,to\na,HP20 1AA,MK9 1AA\nb,HP20 1AA,NOT A PC\nc,HP20 1AA,EX1 1AE\n";
  CliRun run = placedist("route " + in.string() + " --from-postcode from --to-postcode to --gazetteer " +
                         gazetteer_2018().string() + " --roads " + roads.string() + " -o " + out.string());
  EXPECT_EQ(run.exit_code, 1) << run.err;
  auto rows = read_csv(out);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0][3], "road_status");
  Gazetteer gazetteer = Gazetteer::open(gazetteer_2018());
  roads::RoadResult want = expected_route(gazetteer, "HP20 1AA", "MK9 1AA");
  EXPECT_EQ(rows[1][3], "ok");
  EXPECT_NEAR(std::stod(rows[1][4]), want.fastest_metres / kMetresPerMile, 0.0051);
  EXPECT_EQ(rows[2][3], "malformed");
  EXPECT_EQ(rows[2][4], "");
  EXPECT_EQ(rows[3][3], "outside_network");

  fs::path origins = work("o.csv"), destinations = work("d.csv"), matrix = work("m.csv");
  std::ofstream(origins) << "id,postcode\nhome,HP20 1AA\n";
  std::ofstream(destinations) << "id,postcode\nmk,MK9 1AA\nnowhere,ZZ99 9ZZ\n";
  CliRun m =
      placedist("matrix " + origins.string() + " " + destinations.string() + " --postcode postcode --gazetteer " +
                gazetteer_2018().string() + " --roads " + roads.string() + " -o " + matrix.string());
  EXPECT_EQ(m.exit_code, 1) << m.err;
  auto cells = read_csv(matrix);
  ASSERT_EQ(cells.size(), 3u);
  EXPECT_EQ(cells[1][2], "ok");
  EXPECT_EQ(cells[1][3], rows[1][4]);  // the same road miles as route
  EXPECT_NE(cells[2][2], "ok");
  EXPECT_EQ(cells[2][3], "");
  for (const auto& p : {in, out, origins, destinations, matrix}) fs::remove(p);
}

}  // namespace
}  // namespace placedist
