// The road columns' way in: an AnalysisExtension adds columns to placements.csv and the layers,
// and a route replaces the journey's straight line, with no change to the writers.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "geo/built_gazetteer.hpp"
#include "geo/data_dir.hpp"
#include "maps/layers.hpp"
#include "maps/placements_csv.hpp"
#include "src/analysis/analysis.hpp"

using namespace placedist::geo;
using namespace placedist::shapes;
using namespace placedist::maps;
using namespace placedist::analysis;

namespace placedist {
namespace {

namespace fs = std::filesystem;

TEST(AnalysisExtension, RoadColumnsAndRoutesReachEveryOutput) {
  fs::path gazetteer_path = testing::built_gazetteer(
      "plain_2025_extension",
      {{{GazetteerSource::Kind::codepoint, data_file("postcodes/codepoint_open_2025_10/plain")}}, {}, {}, {}, {}});
  Gazetteer gazetteer = Gazetteer::open(gazetteer_path);
  std::vector<PlacementInput> inputs = {{"a", "HP20 1AA", "MK9 1AA", false, 2, ""},
                                        {"b", "HP20 1AA", "", false, 3, ""}};
  AnalysisOptions options;
  options.responsible_code = "E06000060";
  options.extension.columns = {{"road_miles", 1}, {"road_minutes", 0}};
  std::size_t filled = 0;
  options.extension.fill = [&](std::span<PlacementRow> rows) {
    for (PlacementRow& row : rows) {
      ++filled;
      ASSERT_EQ(row.extras.size(), 2u);  // sized, blank, before the extension runs
      EXPECT_TRUE(std::isnan(row.extras[0]));
      if (!has_distance(row.status)) continue;
      row.extras = {row.dfe_miles * 1.25, 31.4};
      LonLat mid{(row.home_position.lon + row.placement_position.lon) / 2 + 0.05,
                 (row.home_position.lat + row.placement_position.lat) / 2};
      row.route = {row.home_position, mid, row.placement_position};
    }
  };
  std::vector<PlacementRow> rows = analyse_placements(inputs, gazetteer, options);
  EXPECT_EQ(filled, 2u);
  ASSERT_EQ(rows[0].status, RowStatus::ok);
  EXPECT_EQ(rows[0].location, PlacementLocation::out);  // Milton Keynes from Buckinghamshire

  fs::path folder = fs::path(PLACEDIST_TEST_WORK) / ("extension_" + std::to_string(::getpid()));
  fs::remove_all(folder);
  fs::create_directories(folder);
  maps::write_placements_csv(folder / "placements.csv", rows, options.extension.columns);
  std::ifstream csv(folder / "placements.csv");
  std::string header, first, second;
  std::getline(csv, header);
  std::getline(csv, first);
  std::getline(csv, second);
  EXPECT_EQ(header,
            "id,home_match,placement_match,home_la_code,home_la_name,placement_la_code,placement_la_name,"
            "placement_location,dfe_miles,geodesic_miles,within_20_miles,status,message,road_miles,road_minutes");
  std::ostringstream expected;
  expected << std::fixed;
  expected.precision(1);
  expected << "," << rows[0].dfe_miles * 1.25 << ",31";
  EXPECT_TRUE(first.ends_with(expected.str())) << first;
  EXPECT_TRUE(second.ends_with(",,")) << second;  // blank road columns for a failed row

  LayerInputs layers;
  layers.rows = rows;
  layers.extra_columns = options.extension.columns;
  auto written = write_layers(layers, LayerFormat::geojson, folder);
  EXPECT_EQ(written.size(), 4u);  // flows, journeys, homes, placements; no boundaries or zones given
  GDALAllRegister();
  GDALDatasetUniquePtr ds(GDALDataset::Open((folder / "journeys.geojson").c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(ds);
  OGRLayer* journeys = ds->GetLayer(0);
  OGRFeatureUniquePtr journey(journeys->GetNextFeature());
  ASSERT_TRUE(journey);
  EXPECT_NEAR(journey->GetFieldAsDouble("road_miles"), rows[0].dfe_miles * 1.25, 0.05);
  EXPECT_EQ(journey->GetGeometryRef()->toLineString()->getNumPoints(), 3);  // the route, not the straight line
  fs::remove_all(folder);
}

}  // namespace
}  // namespace placedist
