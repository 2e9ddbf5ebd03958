// `placedist analyse` and `placedist cohort` end to end on real postcodes (Code-Point Open 2018,
// the Buckinghamshire County era): golden placements.csv and layer, the layers re-read through
// GDAL, the QGIS project, the report, and a row status for every malformed input.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>
#include <sys/wait.h>

#include <cpl_minixml.h>

#include <filesystem>
#include <fstream>
#include <map>
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

fs::path gazetteer_2018() { return testing::codepoint_2018_gazetteer(); }

// Runs the golden input once per format and process (CTest runs each test in its own process,
// some at once: the folder is the process's own).
struct RemovedAtExit {
  std::map<std::string, fs::path> folders;
  ~RemovedAtExit() {
    std::error_code ec;
    for (const auto& [_, folder] : folders) fs::remove_all(folder, ec);
  }
};

fs::path analysed(const std::string& format) {
  static RemovedAtExit removed;
  std::map<std::string, fs::path>& done = removed.folders;
  if (done.count(format)) return done[format];
  fs::path out = fs::path(PLACEDIST_TEST_WORK) / ("analyse_" + format + "_" + std::to_string(::getpid()));
  fs::remove_all(out);
  CliRun run = placedist("analyse " + golden("analyse_input.csv").string() + " --la Buckinghamshire --gazetteer " +
                         gazetteer_2018().string() + " --out " + out.string() + " --format " + format);
  EXPECT_EQ(run.exit_code, 1) << run.err;  // some rows fail
  EXPECT_NE(run.err.find("analysed 14 rows (5 failed, 1 uasc)"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("HP20"), std::string::npos) << "postcodes must not be logged";
  return done[format] = out;
}

std::map<std::string, std::map<std::string, std::string>> rows_by_id(const std::string& csv_text) {
  // Small enough to split by hand: the golden ids contain no line breaks.
  std::map<std::string, std::map<std::string, std::string>> out;
  std::vector<std::string> header;
  std::istringstream lines(csv_text);
  std::string line;
  auto split = [](const std::string& l) {
    std::vector<std::string> f(1);
    bool quoted = false;
    for (std::size_t i = 0; i < l.size(); ++i) {
      char c = l[i];
      if (quoted) {
        if (c == '"' && i + 1 < l.size() && l[i + 1] == '"')
          f.back() += '"', ++i;
        else if (c == '"')
          quoted = false;
        else
          f.back() += c;
      } else if (c == '"')
        quoted = true;
      else if (c == ',')
        f.emplace_back();
      else
        f.back() += c;
    }
    return f;
  };
  while (std::getline(lines, line)) {
    auto fields = split(line);
    if (header.empty()) {
      header = fields;
      continue;
    }
    for (std::size_t i = 0; i < header.size() && i < fields.size(); ++i) out[fields[0]][header[i]] = fields[i];
  }
  return out;
}

TEST(Analyse, PlacementsCsvMatchesTheGoldenFile) {
  EXPECT_EQ(slurp(analysed("GeoJSON") / "placements.csv"), slurp(golden("analyse_expected_placements.csv")));
}

TEST(Analyse, PlacementsLayerMatchesTheGoldenFile) {
  EXPECT_EQ(slurp(analysed("GeoJSON") / "placements.geojson"), slurp(golden("analyse_expected_placements.geojson")));
}

TEST(Analyse, TheDfeRulesOnRealPostcodes) {
  auto rows = rows_by_id(slurp(analysed("GeoJSON") / "placements.csv"));
  // Aylesbury -> High Wycombe: E 482158 N 213995 -> E 487314 N 192762, 21,850 m / 1609.3.
  EXPECT_EQ(rows["c01"]["placement_location"], "IN");
  EXPECT_EQ(rows["c01"]["dfe_miles"], "13.6");
  EXPECT_EQ(rows["c01"]["within_20_miles"], "true");
  EXPECT_EQ(rows["c02"]["placement_location"], "OUT");  // Milton Keynes, a unitary of its own
  EXPECT_EQ(rows["c02"]["placement_la_code"], "E06000042");
  EXPECT_EQ(rows["c03"]["placement_la_name"], "Devon");
  EXPECT_EQ(rows["c03"]["within_20_miles"], "false");
  EXPECT_EQ(rows["c04"]["placement_location"], "SCO");
  EXPECT_EQ(rows["c05"]["placement_location"], "WAL");
  EXPECT_EQ(rows["c08"]["status"], "ok");  // lower case, no space: normalised
  EXPECT_EQ(rows["c13, with \"quotes\""]["home_la_name"], "Oxfordshire");
  EXPECT_EQ(rows["c13, with \"quotes\""]["placement_location"], "OUT");
}

TEST(Analyse, EveryMalformedInputGetsARowStatus) {
  auto rows = rows_by_id(slurp(analysed("GeoJSON") / "placements.csv"));
  EXPECT_EQ(rows.size(), 14u);  // one row out per row in
  EXPECT_EQ(rows["c06"]["status"], "uasc");
  EXPECT_EQ(rows["c06"]["dfe_miles"], "");  // blank, as the DfE does
  EXPECT_EQ(rows["c06"]["placement_location"], "IN");
  EXPECT_EQ(rows["c07"]["status"], "placement_not_located");
  EXPECT_NE(rows["c07"]["message"].find("empty"), std::string::npos);
  EXPECT_EQ(rows["c09"]["status"], "home_not_located");
  EXPECT_NE(rows["c09"]["message"].find("malformed"), std::string::npos);
  EXPECT_NE(rows["c10"]["message"].find("non_geographic"), std::string::npos);
  EXPECT_NE(rows["c11"]["message"].find("unknown"), std::string::npos);
  EXPECT_EQ(rows["c12"]["status"], "bad_row");
  EXPECT_EQ(rows["c14"]["status"], "approximate");  // a sector: not the DfE's unit-to-unit distance
  EXPECT_EQ(rows["c14"]["placement_match"], "sector");
}

struct LayerShape {
  const char* name;
  OGRwkbGeometryType type;
  GIntBig features;
};

void expect_layers(const fs::path& folder, const std::string& extension, bool one_file) {
  GDALAllRegister();
  // journeys: 7, not 8: one child's home and placement share a published area, a zero-length line
  // GEOS calls invalid, which maps/layers.cpp no longer writes.
  const LayerShape shapes[] = {{"placements", wkbPoint, 10},       {"homes", wkbPoint, 11},
                               {"journeys", wkbLineString, 7},     {"boundary", wkbMultiPolygon, 1},
                               {"councils", wkbMultiPolygon, 216}, {"zone_20_miles", wkbMultiPolygon, 2}};
  for (const LayerShape& shape : shapes) {
    fs::path file = folder / (one_file ? "layers" + extension : std::string(shape.name) + extension);
    GDALDatasetUniquePtr ds(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    ASSERT_TRUE(ds) << file;
    OGRLayer* layer = one_file ? ds->GetLayerByName(shape.name) : ds->GetLayer(0);
    ASSERT_NE(layer, nullptr) << shape.name;
    EXPECT_EQ(layer->GetGeomType(), shape.type) << shape.name;
    EXPECT_EQ(layer->GetFeatureCount(), shape.features) << shape.name;
    const OGRSpatialReference* srs = layer->GetSpatialRef();
    ASSERT_NE(srs, nullptr) << shape.name;
    EXPECT_STREQ(srs->GetAuthorityCode(nullptr), "4326") << shape.name;
  }
  GDALDatasetUniquePtr ds(
      GDALDataset::Open((folder / (one_file ? "layers" + extension : "journeys" + extension)).c_str(),
                        GDAL_OF_VECTOR | GDAL_OF_READONLY));
  OGRLayer* journeys = one_file ? ds->GetLayerByName("journeys") : ds->GetLayer(0);
  OGRFeatureDefn* defn = journeys->GetLayerDefn();
  std::vector<std::string> names;
  for (int i = 0; i < defn->GetFieldCount(); ++i) names.push_back(defn->GetFieldDefn(i)->GetNameRef());
  // Shareable (the default): the published areas and the DfE miles between them; no unit-to-unit
  // distance and no message.
  EXPECT_EQ(names,
            (std::vector<std::string>{"id", "home_match", "placement_match", "home_la_code", "home_la_name",
                                      "placement_la_code", "placement_la_name", "placement_location", "home_area",
                                      "placement_area", "area_miles", "within_20_miles", "distance_band", "status"}));
  EXPECT_EQ(defn->GetFieldDefn(defn->GetFieldIndex("area_miles"))->GetType(), OFTReal);
  EXPECT_EQ(defn->GetFieldDefn(defn->GetFieldIndex("within_20_miles"))->GetSubType(), OFSTBoolean);
  // The Devon journey: between the home's sector centroid and the placement's, 136.5 DfE miles
  // (136.4 unit to unit, in placements.csv), over 100.
  journeys->SetAttributeFilter("id = 'c03'");
  OGRFeatureUniquePtr devon(journeys->GetNextFeature());
  ASSERT_TRUE(devon);
  EXPECT_DOUBLE_EQ(devon->GetFieldAsDouble("area_miles"), 136.5);
  EXPECT_STREQ(devon->GetFieldAsString("placement_area"), "EX1 1");
  EXPECT_STREQ(devon->GetFieldAsString("distance_band"), "100+");
  EXPECT_EQ(devon->GetFieldAsInteger("within_20_miles"), 0);
  const OGRLineString* line = devon->GetGeometryRef()->toLineString();
  ASSERT_EQ(line->getNumPoints(), 2);
  EXPECT_NEAR(line->getX(1), -3.527, 0.001);  // EX1 1, Exeter
  EXPECT_NEAR(line->getY(1), 50.72, 0.005);
}

TEST(Analyse, GeoJsonLayersReadBackThroughGdal) { expect_layers(analysed("GeoJSON"), ".geojson", false); }
TEST(Analyse, GeoPackageLayersReadBackThroughGdal) { expect_layers(analysed("GPKG"), ".gpkg", true); }

TEST(Analyse, DirectGeoJsonReadsAsGdalsOwn) {
  // The direct writer and GDAL's GeoJSON driver give the same features, read back through GDAL.
  GDALAllRegister();
  fs::path ours = analysed("GeoJSON"), gdal = analysed("GeoJSON-GDAL");
  for (const char* name : {"placements", "homes", "journeys", "councils"}) {
    GDALDatasetUniquePtr a(GDALDataset::Open((ours / (std::string(name) + ".geojson")).c_str(), GDAL_OF_VECTOR));
    GDALDatasetUniquePtr b(GDALDataset::Open((gdal / (std::string(name) + ".geojson")).c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(a && b) << name;
    OGRLayer* la = a->GetLayer(0);
    OGRLayer* lb = b->GetLayer(0);
    ASSERT_EQ(la->GetFeatureCount(), lb->GetFeatureCount()) << name;
    for (GIntBig i = 0; i < la->GetFeatureCount(); ++i) {
      OGRFeatureUniquePtr fa(la->GetNextFeature()), fb(lb->GetNextFeature());
      for (int k = 0; k < fa->GetFieldCount(); ++k)
        ASSERT_STREQ(fa->GetFieldAsString(k), fb->GetFieldAsString(k)) << name << " feature " << i << " field " << k;
      ASSERT_TRUE(fa->GetGeometryRef()->Equals(fb->GetGeometryRef()) ||
                  (fb->GetGeometryRef()->getGeometryType() == wkbPolygon &&
                   fa->GetGeometryRef()->toMultiPolygon()->getNumGeometries() == 1))
          << name << " feature " << i;
    }
  }
}

TEST(Analyse, QgisProjectOpensEveryLayerStyledWithTheAttribution) {
  fs::path out = analysed("GeoJSON");
  std::string qgs = slurp(out / "placements.qgs");
  CPLXMLNode* root = CPLParseXMLString(qgs.c_str());
  ASSERT_NE(root, nullptr) << "the project is not well-formed XML";
  CPLDestroyXMLNode(root);
  for (const char* name : {"placements", "homes", "journeys", "flows", "boundary", "councils", "zone_20_miles"}) {
    EXPECT_NE(qgs.find(std::string("<datasource>./") + name + ".geojson</datasource>"), std::string::npos) << name;
    EXPECT_TRUE(fs::exists(out / (std::string(name) + ".qml"))) << name;
    CPLXMLNode* style = CPLParseXMLString(slurp(out / (std::string(name) + ".qml")).c_str());
    EXPECT_NE(style, nullptr) << name;
    CPLDestroyXMLNode(style);
  }
  EXPECT_NE(qgs.find("attr=\"placement_location\""), std::string::npos);
  // Journeys: outside the council by distance band, inside ones a legend tick away.
  EXPECT_NE(qgs.find("THEN 'IN' ELSE &quot;distance_band&quot; END\""), std::string::npos);
  EXPECT_NE(qgs.find("Contains OS data © Crown copyright and database right 2018"), std::string::npos);
  EXPECT_NE(qgs.find("<authid>EPSG:27700</authid>"), std::string::npos);
  EXPECT_FALSE(fs::exists(out / (".layers-tmp-" + std::to_string(::getpid()))));
}

TEST(Analyse, ReportGivesTheDfeTableRawAndPublished) {
  fs::path out = analysed("GeoJSON");
  std::string md = slurp(out / "report.md");
  EXPECT_NE(md.find("| Placed 20 miles or less from home | 4 | 28.6 | c | c |"), std::string::npos) << md;
  EXPECT_NE(md.find("| Distance not known or not recorded | 6 | 42.9 | 6 | 43 |"), std::string::npos) << md;
  auto json = nlohmann::json::parse(slurp(out / "report.json"));
  EXPECT_EQ(json["council"]["code"], "E10000002");
  EXPECT_EQ(json["headline"]["children"], 14);
  EXPECT_EQ(json["headline"]["within_20_miles"]["count"], 4);
  EXPECT_EQ(json["rows"]["failed"], 5);
  EXPECT_EQ(json["other_nations"]["SCO"], 1);
}

TEST(Cohort, SameSeedSameFileAndAnalysedLikeThePublishedShape) {
  fs::path work = fs::path(PLACEDIST_TEST_WORK);
  const std::string pid = std::to_string(::getpid());
  fs::path a = work / ("cohort_a_" + pid + ".csv"), b = work / ("cohort_b_" + pid + ".csv"),
           c = work / ("cohort_c_" + pid + ".csv");
  ASSERT_EQ(placedist("cohort -o " + a.string()).exit_code, 0);
  ASSERT_EQ(placedist("cohort -o " + b.string()).exit_code, 0);
  ASSERT_EQ(placedist("cohort --seed 1 --children 50 -o " + c.string()).exit_code, 0);
  EXPECT_EQ(slurp(a), slurp(b));
  EXPECT_NE(slurp(a), slurp(c));
  fs::path out = work / ("cohort_out_" + pid);
  fs::remove_all(out);
  CliRun run = placedist("analyse " + a.string() + " --la E10000002 --gazetteer " + gazetteer_2018().string() +
                         " --out " + out.string() + " --compare --no-layers");
  EXPECT_EQ(run.exit_code, 1) << run.err;  // three deliberately bad postcodes
  auto json = nlohmann::json::parse(slurp(out / "report.json"));
  EXPECT_EQ(json["headline"]["children"], 651);
  double outside = json["headline"]["out_of_county"]["percentage"],
         within = json["headline"]["within_20_miles"]["percentage"];
  EXPECT_GT(outside, 40);
  EXPECT_LT(outside, 60);
  EXPECT_GT(within, 45);
  EXPECT_LT(within, 65);
  bool devon = false;
  for (const auto& d : json["destinations"]) devon |= d["code"] == "E10000008" && d["count"] >= 2;
  EXPECT_TRUE(devon);
  // Beside the published figures: Buckinghamshire's nearest year, 2021 (281 children, 55 %, within 20 miles).
  EXPECT_EQ(json["dfe_published"]["year"], 2021);
  EXPECT_NE(slurp(out / "report.md").find("| 281 | 55 |"), std::string::npos);
  for (const fs::path& p : {a, b, c, out}) fs::remove_all(p);
}

TEST(Analyse, UnusableInputIsAUsageError) {
  fs::path bad = fs::path(PLACEDIST_TEST_WORK) / ("no_columns_" + std::to_string(::getpid()) + ".csv");
  std::ofstream(bad) << "name,postcode\nx,HP20 1AA\n";
  CliRun run = placedist("analyse " + bad.string() + " --la E10000002 --gazetteer " + gazetteer_2018().string() +
                         " --out " + (fs::path(PLACEDIST_TEST_WORK) / "bad_out").string());
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("missing: home_postcode, placement_postcode"), std::string::npos) << run.err;
  fs::remove(bad);
  run = placedist("analyse " + golden("analyse_input.csv").string() + " --la Nowhereshire --gazetteer " +
                  gazetteer_2018().string());
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("no council with that code or name"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace placedist
