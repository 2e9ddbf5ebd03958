// placedist's outputs opened in real QGIS (Debian's 3.22, PyQGIS offscreen, through
// tests/maps/qgis_inspect.py): each output format's project exactly as saved, and layers added
// straight from the GeoPackage and from PostGIS, as GIS analysts open them. The synthetic
// Buckinghamshire cohort (651 children, real Code-Point 2018 postcodes, fixed seed). The
// renders are kept as test artefacts in the build tree (tests/work/qgis_*.png).
// Label "qgis": `ctest -L qgis` runs these alone.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <string>

#include "geo/built_gazetteer.hpp"
#include "geo/data_dir.hpp"
#include "maps/placement.hpp"
#include "maps/qgis_project.hpp"
#include "src/cli/run_placedist.hpp"

namespace placedist {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using testing::capture;
using testing::CliRun;

const fs::path kWork = PLACEDIST_TEST_WORK;
const std::string kInspect = std::string(PLACEDIST_TEST_DIR) + "/maps/qgis_inspect.py";
const std::string kPgTool = std::string(PLACEDIST_TEST_DIR) + "/../tools/pg-test-cluster";
// Debian's PyQGIS is for the system Python; another python3 on PATH may lack it.
const char* const kPython = "/usr/bin/python3";

bool pyqgis_installed() { return fs::exists("/usr/lib/python3/dist-packages/qgis/core/__init__.py"); }

// What qgis_inspect.py says, as JSON (its stderr passes through).
json inspect(const std::string& arguments) {
  int code = 0;
  const std::string out = capture(std::string(kPython) + " " + kInspect + " " + arguments, &code);
  EXPECT_EQ(code, 0) << out;
  const auto start = out.find('{');
  if (code != 0 || start == std::string::npos) return json::object();
  return json::parse(out.substr(start));
}

// A shell word.
std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

fs::path gazetteer_2018() {
  return testing::built_gazetteer(
      "codepoint_2018_qgis",
      {{{geo::GazetteerSource::Kind::codepoint, geo::data_file("postcodes/codepoint_open_2018_07")}}, {}, {}, {}, {}});
}

fs::path cohort() {
  const fs::path file = kWork / ("qgis_cohort_" + std::to_string(::getpid()) + ".csv");
  if (!fs::exists(file)) {
    CliRun run = testing::run_placedist("cohort --la E10000002 --children 651 --year 2017 --seed 20170331 -o " +
                                        file.string());
    EXPECT_EQ(run.exit_code, 0) << run.err;
  }
  return file;
}

// `placedist analyse` of the cohort into `out` (a folder, or PG:... with reports in `reports`).
void analyse(const std::string& out, const std::string& format, const fs::path& reports) {
  std::string arguments = "analyse " + cohort().string() + " --la Buckinghamshire --gazetteer " +
                          gazetteer_2018().string() + " --out " + quoted(out) + " --format " + format;
  if (!reports.empty()) arguments += " --report-dir " + reports.string();
  CliRun run = testing::run_placedist(arguments);
  ASSERT_EQ(run.exit_code, 1) << run.err;  // the cohort's three deliberately bad postcodes
  EXPECT_EQ(run.err.find("warning: the layers are written, but not their QGIS styles"), std::string::npos) << run.err;
}

const json* layer_named(const json& project, const std::string& name) {
  for (const json& layer : project["layers"])
    if (layer["name"] == name) return &layer;
  return nullptr;
}

// The project as QGIS opens it: CRS, units, view, every layer valid and every feature with a
// symbol (journeys inside the council hidden by design: a legend tick away), zones above the
// council fills, a render of the saved view that is not blank, and the print layout.
void expect_opens_as_saved(const fs::path& qgs, const std::string& tag, long inside_journeys) {
  SCOPED_TRACE(tag);
  const fs::path png = kWork / ("qgis_project_" + tag + ".png");
  const json p = inspect("project " + quoted(qgs.string()) + " " + quoted(png.string()));
  ASSERT_TRUE(p.value("read", false)) << p.dump(1);
  EXPECT_EQ(p["crs"], "EPSG:27700");
  EXPECT_EQ(p["ellipsoid"], "EPSG:7001");
  EXPECT_EQ(p["distance_units"], "mi");
  EXPECT_EQ(p["saved_extent_crs"], "EPSG:27700");
  const std::vector<std::string> order = p["order"];
  const std::vector<std::string> top_first = {"placements", "homes", "journeys", "flows",
                                              "boundary",   "zone_20_miles", "councils"};
  EXPECT_EQ(order, top_first);
  for (const json& layer : p["layers"]) {
    const std::string name = layer["name"];
    SCOPED_TRACE(name);
    ASSERT_TRUE(layer["valid"].get<bool>());
    EXPECT_EQ(layer["crs"], "EPSG:4326");
    EXPECT_GT(layer["features"].get<long>(), 0);
    EXPECT_EQ(layer["iterated"], layer["features"]);
    if (name != "journeys") EXPECT_EQ(layer["unsymbolled"].get<long>(), 0);
  }
  // Journeys: exactly the inside-the-council ones go without a symbol.
  const json* journeys = layer_named(p, "journeys");
  ASSERT_NE(journeys, nullptr);
  EXPECT_EQ((*journeys)["unsymbolled"].get<long>(), inside_journeys);
  // The saved view holds the council's boundary and its 20-mile zone, and is not the country.
  const std::array<double, 4> view = p["saved_extent"];
  for (const char* name : {"boundary", "zone_20_miles"}) {
    const json* layer = layer_named(p, name);
    ASSERT_NE(layer, nullptr) << name;
    const std::array<double, 4> e = (*layer)["extent"];
    EXPECT_LE(view[0], e[0] + 1) << name;
    EXPECT_LE(view[1], e[1] + 1) << name;
    EXPECT_GE(view[2], e[2] - 1) << name;
    EXPECT_GE(view[3], e[3] - 1) << name;
  }
  EXPECT_LT(view[2] - view[0], 200000);  // Buckinghamshire and 20 miles round it: ~110 km
  EXPECT_TRUE(layer_named(p, "councils")->value("labels", false));
  EXPECT_LT(layer_named(p, "councils")->value("opacity", 1.0), 1.0);  // the fills let the zones read
  ASSERT_TRUE(p.contains("render"));
  EXPECT_TRUE(p["render"]["errors"].empty()) << p["render"].dump();
  EXPECT_GT(p["render"]["drawn_share"].get<double>(), 0.5);  // fills, zones, lines and points
  EXPECT_GT(p["render"]["colours"].get<int>(), 50);
  EXPECT_TRUE(fs::exists(png));
  // The print layout: title, the map on the saved view, legend, scale bar in miles, licences.
  ASSERT_EQ(p["layouts"].size(), 1u);
  const json& layout = p["layouts"][0];
  const std::vector<std::string> labels = layout["labels"];
  EXPECT_NE(std::find(labels.begin(), labels.end(), p["title"].get<std::string>()), labels.end());
  EXPECT_TRUE(std::any_of(labels.begin(), labels.end(), [](const std::string& l) {
    return l.find("Contains OS data © Crown copyright") != std::string::npos &&
           l.find("Open Government Licence") != std::string::npos;
  }));
  EXPECT_TRUE(layout["legend"].get<bool>());
  EXPECT_GE(layout["legend_entries"].get<int>(), 7);
  EXPECT_EQ(layout["scalebar_units"], "mi");
  // The map shows the whole saved view (widened to the frame's shape) and stays on the A4 page
  // above the attribution: QGIS reshapes a map frame to its extent on load.
  const std::vector<double> map = layout["map_extent"], saved = p["saved_extent"];
  EXPECT_LE(map[0], saved[0] + 1);
  EXPECT_LE(map[1], saved[1] + 1);
  EXPECT_GE(map[2], saved[2] - 1);
  EXPECT_GE(map[3], saved[3] - 1);
  EXPECT_LE(layout["map_bottom_mm"].get<double>(), 190.0);
  EXPECT_TRUE(layout["export"].get<bool>());
}

class QgisOutputs : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!pyqgis_installed()) GTEST_SKIP() << "PyQGIS absent (tools/setup installs python3-qgis)";
    fs::create_directories(kWork);
  }
};

// The cohort's journeys inside the council, counted in the GeoJSON layer.
long inside_journeys(const fs::path& journeys_geojson) {
  const json layer = json::parse(testing::slurp(journeys_geojson));
  long inside = 0;
  for (const json& f : layer["features"]) inside += f["properties"].value("placement_location", "") == "IN";
  return inside;
}

TEST_F(QgisOutputs, EveryFileFormatsProjectOpensAsSavedStyledAndDrawn) {
  long inside = -1;
  for (const char* format : {"GeoJSON", "GPKG", "FlatGeobuf"}) {
    const fs::path out = kWork / ("qgis_" + std::string(format) + "_" + std::to_string(::getpid()));
    fs::remove_all(out);
    analyse(out.string(), format, {});
    if (inside < 0) inside = inside_journeys(out / "journeys.geojson");
    EXPECT_GT(inside, 100);  // some 300 of the cohort's 620 journeys
    expect_opens_as_saved(out / "placements.qgs", format, inside);
    fs::remove_all(out);
  }
}

// Added straight from the GeoPackage (no project): QGIS finds each layer's default style in the
// file's layer_styles table.
TEST_F(QgisOutputs, ALayerAddedStraightFromTheGeoPackageIsStyled) {
  const fs::path out = kWork / ("qgis_gpkg_direct_" + std::to_string(::getpid()));
  fs::remove_all(out);
  analyse(out.string(), "GPKG", {});
  const std::map<std::string, std::string> renderers = {{"placements", "categorizedSymbol"},
                                                        {"journeys", "categorizedSymbol"},
                                                        {"flows", "graduatedSymbol"},
                                                        {"councils", "graduatedSymbol"},
                                                        {"zone_20_miles", "categorizedSymbol"}};
  for (const auto& [name, renderer] : renderers) {
    SCOPED_TRACE(name);
    const json l = inspect("layer " + quoted((out / "layers.gpkg").string() + "|layername=" + name) + " ogr " +
                           quoted((kWork / ("qgis_gpkg_" + name + ".png")).string()));
    ASSERT_TRUE(l["layer"]["valid"].get<bool>());
    EXPECT_EQ(l["layer"]["renderer"], renderer);  // unstyled, QGIS would give a singleSymbol
    if (name != "journeys") EXPECT_EQ(l["layer"]["unsymbolled"].get<long>(), 0);
    EXPECT_GT(l["render"]["drawn_share"].get<double>(), 0.005);
  }
  fs::remove_all(out);
}

// Every value the layers' categorised and graduated fields can hold gets a symbol, including
// the other nations, "not known", an empty council and values no style lists.
TEST_F(QgisOutputs, EveryValueTheDataCanHoldGetsASymbol) {
  using maps::DistanceBand;
  using maps::PlacementLocation;
  std::vector<std::string> locations;
  for (auto l : {PlacementLocation::unknown, PlacementLocation::in, PlacementLocation::out, PlacementLocation::sco,
                 PlacementLocation::wal, PlacementLocation::nir})
    locations.push_back(maps::to_string(l));
  locations.push_back("XYZ");
  std::vector<std::string> bands;
  for (auto b : {DistanceBand::up_to_20, DistanceBand::over_20_to_60, DistanceBand::over_60_to_100,
                 DistanceBand::over_100, DistanceBand::not_known})
    bands.push_back(maps::to_string(b));
  bands.push_back("");
  // One feature per combination, a small step apart.
  json points = {{"type", "FeatureCollection"}, {"features", json::array()}};
  json lines = points, polygons = points;
  int i = 0;
  for (const std::string& location : locations)
    for (const std::string& band : bands) {
      const double x = -1 + 0.01 * i++, y = 51.5;
      json props = {{"placement_location", location.empty() ? json() : json(location)},
                    {"distance_band", band.empty() ? json() : json(band)},
                    {"children", i % 3 == 0 ? json() : json(i * 7)},
                    {"placements", (i - 1) * 3},
                    {"kind", i % 2 ? "council buffer" : "something else"}};
      points["features"].push_back(
          {{"type", "Feature"}, {"properties", props}, {"geometry", {{"type", "Point"}, {"coordinates", {x, y}}}}});
      lines["features"].push_back({{"type", "Feature"},
                                   {"properties", props},
                                   {"geometry", {{"type", "LineString"}, {"coordinates", {{x, y}, {x, y + 0.1}}}}}});
      const json ring = json::array({json::array({x, y}), json::array({x + 0.005, y}),
                                     json::array({x + 0.005, y + 0.005}), json::array({x, y + 0.005}),
                                     json::array({x, y})});
      json polygon = {{"type", "MultiPolygon"}, {"coordinates", json::array({json::array({ring})})}};
      polygons["features"].push_back({{"type", "Feature"}, {"properties", props}, {"geometry", polygon}});
    }
  const std::map<std::string, const json*> data = {{"Point", &points}, {"LineString", &lines}, {"MultiPolygon", &polygons}};
  const std::map<std::string, std::string> layers = {{"placements", "Point"},    {"flows", "LineString"},
                                                     {"councils", "MultiPolygon"}, {"zone_20_miles", "MultiPolygon"},
                                                     {"journeys", "LineString"}, {"journeys_road", "LineString"}};
  for (const auto& [name, geometry] : layers) {
    SCOPED_TRACE(name);
    const fs::path file = kWork / ("qgis_values_" + name + ".geojson");
    const fs::path qml = kWork / ("qgis_values_" + name + ".qml");
    {
      std::ofstream(file) << data.at(geometry)->dump();
      std::ofstream(qml) << maps::layer_style(name);
    }
    const json s = inspect("style " + quoted(file.string()) + " " + quoted(qml.string()) + " " +
                           quoted((kWork / ("qgis_values_" + name + ".png")).string()));
    ASSERT_TRUE(s["loaded"].get<bool>()) << s.dump(1);
    const long features = s["layer"]["features"];
    EXPECT_EQ(features, static_cast<long>(locations.size() * bands.size()));
    // Journeys hide the inside-the-council lines by design (one per band here); every other
    // feature of every layer is drawn.
    const long hidden = name.starts_with("journeys") ? static_cast<long>(bands.size()) : 0;
    EXPECT_EQ(s["layer"]["unsymbolled"].get<long>(), hidden);
    // Every category and range of the style reached QGIS's legend (a category whose symbol
    // QGIS could not take is dropped, and its values fall to the catch-all unseen).
    const std::string text(maps::layer_style(name));
    std::size_t entries = 0;
    for (const char* tag : {"<category ", "<range "})
      for (auto at = text.find(tag); at != std::string::npos; at = text.find(tag, at + 1)) ++entries;
    EXPECT_EQ(s["layer"]["legend"].size(), entries);
  }
}

// PostGIS: the project opens the tables as saved, and a table added straight from the database
// comes in with its default style from layer_styles.
TEST_F(QgisOutputs, PostgisProjectAndATableAddedStraightFromTheDatabase) {
  std::error_code ec;
  bool postgres = false;
  for (const auto& version : fs::directory_iterator("/usr/lib/postgresql", ec))
    postgres = postgres || fs::exists(version.path() / "bin" / "initdb");
  if (!postgres) GTEST_SKIP() << "PostgreSQL server binaries absent (tools/setup installs postgresql-15)";
  int code = 0;
  const std::string env = capture(kPgTool + " start", &code);
  ASSERT_EQ(code, 0);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(env, m, std::regex("PGHOST='([^']+)' PGPORT='([0-9]+)'")));
  const std::string host = m[1], port = m[2];
  const fs::path reports = kWork / ("qgis_pg_" + std::to_string(::getpid()));
  analyse("PG:dbname=placedist host=" + host + " port=" + port + " user=placedist", "PostGIS", reports);
  const std::string inside = capture("psql -qAt -h " + quoted(host) + " -p " + port +
                                         " -U placedist placedist -c \"SELECT count(*) FROM journeys WHERE "
                                         "placement_location = 'IN'\"",
                                     &code);
  ASSERT_EQ(code, 0);
  expect_opens_as_saved(reports / "placements.qgs", "PostGIS", std::stol(inside));
  for (const auto& [table, type] : std::map<std::string, std::string>{{"placements", "Point"}, {"flows", "LineString"}}) {
    SCOPED_TRACE(table);
    // As QGIS's browser adds a table: the connection, key, SRID, geometry type and table.
    const std::string uri = "dbname='placedist' host='" + host + "' port='" + port + "' user='placedist' key='fid' " +
                            "srid=4326 type=" + type + " table=\"public\".\"" + table + "\" (geom)";
    const json l = inspect("layer " + quoted(uri) + " postgres " + quoted((kWork / ("qgis_pg_" + table + ".png")).string()));
    ASSERT_TRUE(l["layer"]["valid"].get<bool>()) << l.dump(1);
    EXPECT_EQ(l["layer"]["renderer"], table == "placements" ? "categorizedSymbol" : "graduatedSymbol");
    EXPECT_EQ(l["layer"]["unsymbolled"].get<long>(), 0);
  }
  capture(kPgTool + " stop " + host, &code);
  fs::remove_all(reports);
}

}  // namespace
}  // namespace placedist
