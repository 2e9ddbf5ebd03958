#include "src/analysis/pipeline.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

#include "geo/distance.hpp"
#include "geo/gazetteer.hpp"
#include "maps/attribution.hpp"
#include "shapes/cross_check.hpp"
#include "src/analysis/analysis.hpp"
#include "src/analysis/analysis_zones.hpp"
#include "src/analysis/council_choice.hpp"
#include "src/analysis/default_boundaries.hpp"
#include "src/analysis/disclosure.hpp"
#include "src/analysis/input_error.hpp"
#include "src/analysis/road_columns.hpp"

using namespace placedist::geo;
using namespace placedist::shapes;
using namespace placedist::maps;

namespace placedist::analysis {

namespace fs = std::filesystem;

namespace {

// The council most located homes lie in (upper tier, from the postcode directory).
std::pair<std::string, std::string> council_of_most_homes(std::span<const PlacementRow> rows) {
  std::map<std::pair<std::string, std::string>, std::size_t> counts;
  for (const PlacementRow& row : rows)
    if (row.home_located() && !row.home_la_code.empty()) ++counts[{row.home_la_code, row.home_la_name}];
  if (counts.empty()) throw InputError("no home postcode could be located: name the council with --la");
  auto best = std::max_element(counts.begin(), counts.end(), [](auto& a, auto& b) { return a.second < b.second; });
  return best->first;
}

// "road distances (bucks.pdr): 600 ok, 51 outside_network" (rows without a straight-line
// distance are not routed).
std::string road_note(const std::string& source, std::span<const PlacementRow> rows, const ExtraColumn& status) {
  std::map<std::string, std::size_t> by_status;
  for (const PlacementRow& row : rows)
    if (std::string_view code = extra_code(status, row.extras[road_status]); !code.empty())
      ++by_status[std::string(code)];
  std::string line;
  for (const auto& [code, count] : by_status) line += (line.empty() ? "" : ", ") + thousands(count) + " " + code;
  return "road distances (" + source + "): " + (line.empty() ? "none" : line);
}

// How far the boundary file agrees with the postcodes' own council codes, from where the rows
// were already located.
std::string cross_check_line(const Boundaries& boundaries, const fs::path& source, std::span<const PlacementRow> rows) {
  std::vector<CodedPoint> coded;
  for (const PlacementRow& row : rows) {
    if (row.home_located() && !row.home_la_code.empty())
      coded.push_back({row.home_grid, row.home_la_code, row.home_polygon, row.home_on_edge});
    if (row.placement_located() && !row.placement_la_code.empty() && !row.placement_la_from_polygon)
      coded.push_back({row.placement_grid, row.placement_la_code, row.placement_polygon, row.placement_on_edge});
  }
  for (CodedPoint& p : coded)
    if (p.council == kNotChecked) p.council = CodedPoint::kLocateHere;
  const CrossCheck check = cross_check(boundaries, coded);
  char line[512];
  std::snprintf(
      line, sizeof line,
      "%s: of %s located postcodes with a council code in the file, %s (%.2f%%) fall outside that "
      "council's polygon; %s carry a code the file lacks",
      source.empty() ? "the service's boundaries" : source.filename().string().c_str(),
      thousands(check.coded_known).c_str(), thousands(check.disagree).c_str(),
      check.coded_known ? 100.0 * static_cast<double>(check.disagree) / static_cast<double>(check.coded_known) : 0.0,
      thousands(check.coded_unknown).c_str());
  return line;
}

// What the shareable layers show of each end, or that these layers are restricted.
std::string published_note(std::span<const PlacementRow> rows, Disclosure disclosure) {
  if (disclosure == Disclosure::restricted)
    return "RESTRICTED layers (--disclosure restricted): placements at their unit postcodes and unit-to-unit "
           "distances; share them with no one outside the council";
  std::size_t sectors = 0, districts = 0, withheld = 0;
  auto count = [&](bool located, const std::string& area) {
    if (!located) return;
    if (area.empty())
      ++withheld;
    else if (area.find(' ') != std::string::npos)
      ++sectors;
    else
      ++districts;
  };
  for (const PlacementRow& row : rows) {
    count(row.home_located(), row.home_sector);
    count(row.placement_located(), row.placement_area);
  }
  return "shareable layers: homes and placements at areas of at least " + std::to_string(kMinUnitsPublished) +
         " unit postcodes of their council (" + thousands(sectors) + " at their sector, " + thousands(districts) +
         " coarsened to their district, " + thousands(withheld) + " withheld); per-child miles between those areas";
}

std::string input_line(const InputRead& input, std::size_t analysed) {
  return std::string(to_string(input.kind)) + ": " + thousands(input.records) + " rows read, " + thousands(analysed) +
         " analysed" +
         (input.kind == InputKind::ssda903 && input.census_date
              ? " (the episode open at the census date; " + thousands(input.not_open) + " episodes not open)"
              : std::string()) +
         (input.uasc_column.empty() ? "; no UASC column" : "; UASC flag column " + input.uasc_column);
}

}  // namespace

AnalysisResult run_analysis(const AnalysisRequest& request) {
  const Gazetteer& gazetteer = *request.gazetteer;
  const InputRead& input = request.input;
  if (input.rows.empty())
    throw InputError(input.census_date ? "no episode is open at the census date " + format_date(*input.census_date) +
                                             " (choose another with --at, or --all-episodes)"
                                       : "the input has no data rows");
  if (request.home_precision == HomePrecision::unit && request.disclosure != Disclosure::restricted)
    throw InputError("homes at unit precision are restricted: add --disclosure restricted");
  AnalysisResult result;
  result.disclosure = request.disclosure;
  result.census_date = input.census_date;
  result.vintages = source_vintages(gazetteer);
  std::vector<std::string> notes = input.notes;
  if (!request.la.empty()) std::tie(result.la_code, result.la_name) = resolve_council(gazetteer, request.la);

  // Polygons before the rows, so that each end is located once, as the rows are analysed.
  DefaultBoundaries* defaults = request.default_boundaries;
  if (!defaults && !request.boundaries && request.boundaries_file.empty()) {
    result.owned_defaults = std::make_shared<DefaultBoundaries>();
    defaults = result.owned_defaults.get();
  }
  auto use_default = [&](const std::string& la_code) {
    DefaultBoundaries::Choice choice = defaults->for_council(result.vintages.year, la_code);
    result.boundaries = choice.boundaries;
    result.boundaries_source = choice.source;
  };
  if (request.boundaries) {
    result.boundaries = request.boundaries;
  } else if (!request.boundaries_file.empty()) {
    result.owned_boundaries =
        std::make_shared<const Boundaries>(Boundaries::load(request.boundaries_file, request.boundary_options));
    result.boundaries = result.owned_boundaries.get();
    result.boundaries_source = request.boundaries_file;
  } else {
    use_default(result.la_code);
  }

  AnalysisOptions options;
  options.responsible_code = result.la_code;
  options.boundaries = result.boundaries;
  options.threads = request.threads;
  RoadColumnsOptions road_options;
  road_options.snap_radius_m = request.roads.snap_radius_m;
  road_options.threads = request.threads;
  road_options.routes = request.roads.routes;
  road_options.route_between_units = request.disclosure == Disclosure::restricted;
  road_options.lend = request.roads.lend;
  if (request.roads.network) options.extension = road_columns(request.roads.network, road_options);
  const auto started = std::chrono::steady_clock::now();
  result.rows = analyse_placements(input.rows, gazetteer, options);
  result.extra_columns = options.extension.columns;
  if (result.la_code.empty()) {
    // Chosen from the rows' own geocoding, so that each home is looked up once.
    std::tie(result.la_code, result.la_name) = council_of_most_homes(result.rows);
    notes.push_back("no --la given: the council most homes lie in was taken (" + result.la_name + ", " +
                    result.la_code + ")");
    options.responsible_code = result.la_code;
    if (defaults && !result.boundaries->find(result.la_code)) {
      // The default file of the gazetteer's era lacks the council: the other era's, and the
      // rows again (rare: a gazetteer of one era, a council of the other).
      use_default(result.la_code);
      options.boundaries = result.boundaries;
      result.rows = analyse_placements(input.rows, gazetteer, options);
    } else {
      for (PlacementRow& row : result.rows)
        if (row.placement_located()) row.location = classify_location(row.placement_la_code, result.la_code);
    }
  }
  result.seconds_rows = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!result.boundaries->find(result.la_code))
    notes.push_back("the boundary file has no polygon for " + result.la_code +
                    ": no boundary layer or boundary buffer");
  if (request.roads.network)
    notes.push_back(road_note(request.roads.source, result.rows, result.extra_columns[road_status]));
  const std::string check_line = cross_check_line(*result.boundaries, result.boundaries_source, result.rows);
  notes.push_back(published_note(result.rows, request.disclosure));
  const std::size_t from_polygon = std::count_if(result.rows.begin(), result.rows.end(),
                                                 [](const PlacementRow& r) { return r.placement_la_from_polygon; });
  if (from_polygon)
    notes.push_back(thousands(from_polygon) +
                    " placement councils came from the boundary polygons (postcodes without a council code)");

  const bool unit = request.home_precision == HomePrecision::unit;
  if (request.zones) result.zones = twenty_mile_zones(result.rows, result.boundaries, result.la_code, unit);
  if (request.roads.network && request.roads.zone) {
    // Roads within 20 road miles (shortest routes) of the same home points the circles use.
    std::vector<LonLat> from;
    for (const PlacementRow& row : result.rows)
      if (row.home_located()) from.push_back(unit ? row.home_position : row.home_sector_position);
    result.road_zone = road_zone_of_homes(request.roads.network, from, 20 * kMetresPerMile, road_options);
    if (result.road_zone.empty()) notes.push_back("no home lies on the road network: no road 20-mile zone");
  }

  result.table = tabulate(result.rows, result.la_code, result.la_name);
  if (request.compare) {
    const fs::path reference = request.reference.empty() ? default_reference_path() : request.reference;
    const int year = input.census_date ? static_cast<int>(input.census_date->year()) : result.vintages.year;
    result.published = load_published(reference, result.la_code, result.la_name, year);
    if (!result.published)
      notes.push_back("--compare: the DfE reference has no figures for " + result.la_name + " (" + result.la_code +
                      ")");
    else if (!result.published->exact_year)
      notes.push_back("--compare: the DfE reference has no " + std::to_string(year) + " figures for " + result.la_name +
                      "; the nearest published year, " + std::to_string(result.published->year) + " (" +
                      result.published->la_code + "), is shown");
  }
  ReportContext& report = result.report;
  report.title = result.la_name + " (" + result.la_code + ")" +
                 (input.census_date ? ", children looked after at " + format_date(*input.census_date) : std::string());
  report.census_date = input.census_date ? format_date(*input.census_date) : "";
  report.input = input_line(input, result.rows.size());
  report.gazetteer = result.vintages.text;
  report.boundaries = check_line;
  report.notes = std::move(notes);
  report.attribution = data_attribution(result.vintages.year, request.compare);
  return result;
}

LayerInputs AnalysisResult::layer_inputs(HomePrecision precision, bool road_journeys_layer) const {
  LayerInputs layers;
  layers.rows = rows;
  layers.extra_columns = extra_columns;
  layers.audience = disclosure;
  layers.home_unit_precision = precision == HomePrecision::unit;
  layers.boundaries = boundaries;
  layers.responsible_code = la_code;
  layers.zones = zones;
  layers.road_zone = road_zone;
  layers.road_journeys_layer = road_journeys_layer;
  layers.description = std::string(disclosure == Disclosure::restricted ? "RESTRICTED" : "Shareable") +
                       " (placedist disclosure class). placedist analyse: " + la_name + " (" + la_code + ")" +
                       (census_date ? ", " + format_date(*census_date) : std::string()) + ". " +
                       data_attribution(vintages.year, false);
  return layers;
}

void AnalysisResult::zone_extent(double& xmin, double& ymin, double& xmax, double& ymax) const {
  xmin = ymin = 1e12;
  xmax = ymax = -1e12;
  for (const ZoneFeature& zone : zones) {
    if (zone.kind != "council buffer") continue;
    for (const shapes::Polygon& polygon : zone.polygons)
      for (const GridRef& g : polygon.rings.front()) {
        xmin = std::min(xmin, g.easting), xmax = std::max(xmax, g.easting);
        ymin = std::min(ymin, g.northing), ymax = std::max(ymax, g.northing);
      }
  }
}

}  // namespace placedist::analysis
