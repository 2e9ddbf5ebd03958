#include "src/serve/cohorts.hpp"

#include <stdlib.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <tuple>

#include "geo/distance.hpp"
#include "geo/gazetteer.hpp"
#include "maps/attribution.hpp"
#include "maps/layers.hpp"
#include "maps/report.hpp"
#include "src/analysis/analysis.hpp"
#include "src/analysis/analysis_zones.hpp"
#include "src/analysis/council_choice.hpp"
#include "src/analysis/input_error.hpp"
#include "src/analysis/placement_input.hpp"
#include "src/analysis/road_columns.hpp"

using namespace placedist::geo;
using namespace placedist::shapes;
using namespace placedist::maps;
using namespace placedist::analysis;

namespace placedist::serve {

namespace fs = std::filesystem;

std::pair<std::string, fs::path> split_cohort_spec(const std::string& spec) {
  const auto eq = spec.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
    throw std::invalid_argument("--cohort " + spec +
                                ": give LA=FILE (the responsible council, code or name, and the placements file)");
  return {spec.substr(0, eq), fs::path(spec.substr(eq + 1))};
}

namespace {

// The GeoJSON layers, written by the same code as `placedist analyse` into a private temporary
// folder, read back, and the folder removed.
std::map<std::string, std::string> geojson_layers(const LayerInputs& inputs) {
  std::string folder = (fs::temp_directory_path() / "placedist-cohort-XXXXXX").string();
  if (!::mkdtemp(folder.data())) throw std::runtime_error("cannot create a temporary folder for the cohort's layers");
  struct Remove {
    std::string path;
    ~Remove() {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  } remove{folder};
  std::map<std::string, std::string> layers;
  for (const WrittenLayer& layer : write_layers(inputs, LayerFormat::geojson, folder)) {
    std::ifstream in(fs::path(folder) / layer.datasource, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) throw std::runtime_error("cannot read back the layer " + layer.name);
    layers[layer.name] = std::move(text).str();
  }
  return layers;
}

}  // namespace

Cohort load_cohort(const std::string& spec, const Gazetteer& gazetteer, const Boundaries* boundaries,
                   std::shared_ptr<const roads::RoadNetwork> roads) {
  auto [wanted, path] = split_cohort_spec(spec);
  Cohort cohort;
  cohort.source = path.filename().string();
  analysis::InputRead input;
  try {
    std::tie(cohort.la_code, cohort.la_name) = analysis::resolve_council(gazetteer, wanted);
    input = analysis::read_placements(path, {});
  } catch (const analysis::InputError& e) {
    throw std::runtime_error("--cohort " + spec + ": " + e.what());
  }
  if (input.rows.empty()) throw std::runtime_error("--cohort " + spec + ": no placements to analyse");
  if (input.census_date) cohort.census_date = analysis::format_date(*input.census_date);

  AnalysisOptions options;
  options.responsible_code = cohort.la_code;
  options.boundaries = boundaries;
  RoadColumnsOptions road_options;
  if (roads) options.extension = road_columns(roads, road_options);
  cohort.rows = analyse_placements(input.rows, gazetteer, options);

  LayerInputs layers;
  layers.rows = cohort.rows;
  layers.extra_columns = options.extension.columns;
  layers.boundaries = boundaries;
  layers.responsible_code = cohort.la_code;
  layers.zones = twenty_mile_zones(cohort.rows, boundaries, cohort.la_code, false);
  if (roads) {
    std::vector<LonLat> from;
    for (const PlacementRow& row : cohort.rows)
      if (row.home_located()) from.push_back(row.home_sector_position);
    layers.road_zone_wkt = road_zone_wkt(roads, from, 20 * kMetresPerMile, road_options);
  }
  cohort.layers = geojson_layers(layers);

  ReportContext report;
  report.title = cohort.la_name + " (" + cohort.la_code + ")" +
                 (cohort.census_date.empty() ? std::string() : ", children looked after at " + cohort.census_date);
  report.census_date = cohort.census_date;
  report.input = std::string(analysis::to_string(input.kind)) + ": " + thousands(input.records) + " rows read, " +
                 thousands(cohort.rows.size()) + " analysed";
  report.notes = input.notes;
  const SourceVintages vintages = source_vintages(gazetteer);
  report.gazetteer = vintages.text;
  report.attribution = data_attribution(vintages.year, false);
  cohort.report_json = render_json(tabulate(cohort.rows, cohort.la_code, cohort.la_name), report, std::nullopt);
  return cohort;
}

}  // namespace placedist::serve
