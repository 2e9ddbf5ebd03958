#pragma once
// The placement analysis as every front end runs it (`placedist analyse`, `serve --cohort`,
// POST /v1/analyse): one request in, one result out, the same policy for all:
//  - the responsible council as named (code or name), else the council most homes lie in;
//  - council polygons as given, else the ONS 500 m counties and unitaries of the gazetteer's
//    era (2019 before 2020, else 2021; the other when the first lacks the council);
//  - the rows (analysis.hpp), each end located once in those polygons, cross-checked against
//    the postcodes' own council codes;
//  - road columns, routes and the road 20-mile zone when a network is given;
//  - the 20-mile zones as the layers show them, and the DfE tables with the report's context.
// Writing files, tables or HTTP answers is the front ends' business.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "maps/attribution.hpp"
#include "maps/dfe_reference.hpp"
#include "maps/layers.hpp"
#include "maps/placement.hpp"
#include "maps/report.hpp"
#include "shapes/boundaries.hpp"
#include "src/analysis/default_boundaries.hpp"
#include "src/analysis/placement_input.hpp"

namespace placedist::geo {
class Gazetteer;
}
namespace placedist::geo::roads {
class RoadNetwork;
class RoadQuery;
}

namespace placedist::analysis {

enum class HomePrecision { sector, unit };  // where shared layers draw homes

struct RoadRequest {
  std::shared_ptr<const geo::roads::RoadNetwork> network;  // null: no road columns
  std::string source;                                      // the network's file name, for the notes
  double snap_radius_m = 1000;
  bool routes = false;  // the fastest route's geometry on each row (for journey layers)
  bool zone = false;    // the road 20-mile zone around the homes as the layers show them
  // Lends a query on `network` per worker thread (road_columns.hpp's RoadQueryLender; the
  // service's per-core pool); empty: each thread makes its own.
  std::function<std::shared_ptr<geo::roads::RoadQuery>()> lend;
};

struct AnalysisRequest {
  const geo::Gazetteer* gazetteer = nullptr;
  InputRead input;  // the placements, read by read_placements
  std::string la;   // the responsible council, code or name; empty: the council most homes lie in
  // Council polygons: these (owned by the caller), else this file, else the default above
  // (from `default_boundaries` when the caller keeps them loaded, as the service does).
  const shapes::Boundaries* boundaries = nullptr;
  std::filesystem::path boundaries_file;
  shapes::BoundaryOptions boundary_options;
  DefaultBoundaries* default_boundaries = nullptr;
  HomePrecision home_precision = HomePrecision::sector;  // unit only with restricted disclosure
  // Who the layers are for: shareable (homes and placements at areas of at least 5 units,
  // src/analysis/disclosure.hpp) unless the caller asks for restricted, unit-precision layers.
  maps::Disclosure disclosure = maps::Disclosure::shareable;
  RoadRequest roads;
  bool zones = true;  // the 20-mile zones (for layers)
  // --compare: the DfE's published figures for the council from this reference (empty: default).
  bool compare = false;
  std::filesystem::path reference;
  unsigned threads = 0;  // 0 = all cores
};

struct AnalysisResult {
  std::string la_code, la_name;
  std::optional<std::chrono::year_month_day> census_date;
  std::vector<maps::PlacementRow> rows;  // one per input row, in input order
  std::vector<maps::ExtraColumn> extra_columns;
  // The polygons the rows were located in (owned here when loaded for this analysis).
  std::shared_ptr<const shapes::Boundaries> owned_boundaries;
  std::shared_ptr<DefaultBoundaries> owned_defaults;
  const shapes::Boundaries* boundaries = nullptr;
  std::filesystem::path boundaries_source;  // the file's path; empty when the caller gave them
  std::vector<maps::ZoneFeature> zones;
  geo::LonLatMultiPolygon road_zone;  // empty without roads or a home on the network
  maps::LocationTable table;
  maps::ReportContext report;  // title, census date, input, vintages, cross-check, notes, attribution
  std::optional<maps::PublishedFigures> published;
  maps::SourceVintages vintages;
  double seconds_rows = 0;  // time spent on the rows (geocoding, locating, roads)

  // What the layer writers take, for these rows and zones (views into this result).
  maps::Disclosure disclosure = maps::Disclosure::shareable;
  maps::LayerInputs layer_inputs(HomePrecision precision, bool road_journeys_layer) const;
  // The QGIS project's view: the responsible council's 20-mile zone (all zero when none).
  void zone_extent(double& xmin, double& ymin, double& xmax, double& ymax) const;
};

// Throws InputError (no council of that name, no homes located to choose one, no rows to
// analyse) and shapes::BoundaryError for a broken boundary file. Bad rows get a status.
AnalysisResult run_analysis(const AnalysisRequest& request);

}  // namespace placedist::analysis
