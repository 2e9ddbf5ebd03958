// placedist analyse PLACEMENTS.csv [--la CODE|NAME] [--gazetteer FILE] [--boundaries FILE] [--out DIR|PG:...] ...
// The main job: placements -> placements.csv, GIS layers with QGIS styles and project, and the
// DfE "Location of care placements" report (report.md, report.json). The layers go into the
// --out folder or, with --out PG:..., into PostGIS tables (checked before the analysis runs);
// everything else into --report-dir (default: the --out folder; ./placedist-analysis for PostGIS).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "geo/data_dir.hpp"
#include "geo/distance.hpp"
#include "geo/gazetteer.hpp"
#include "geo/io/atomic_file.hpp"
#include "geo/roads/road_network.hpp"
#include "maps/attribution.hpp"
#include "maps/dfe_reference.hpp"
#include "maps/layers.hpp"
#include "maps/placements_csv.hpp"
#include "maps/postgis_target.hpp"
#include "maps/qgis_project.hpp"
#include "maps/report.hpp"
#include "shapes/boundaries.hpp"
#include "shapes/cross_check.hpp"
#include "shapes/zones.hpp"
#include "src/analysis/analysis.hpp"
#include "src/analysis/analysis_zones.hpp"
#include "src/analysis/council_choice.hpp"
#include "src/analysis/placement_input.hpp"
#include "src/analysis/road_columns.hpp"
#include "src/cli/commands.hpp"
#include "src/cli/progress.hpp"
#include "src/cli/run_status.hpp"

using namespace placedist::geo;
using namespace placedist::shapes;
using namespace placedist::maps;
using namespace placedist::analysis;

namespace placedist::cli {
namespace {

namespace fs = std::filesystem;

struct AnalyseArgs {
  std::string input;
  std::string la;
  std::string gazetteer;
  std::string boundaries;
  std::string boundary_code_field, boundary_name_field;
  std::string out;     // a folder, or PG:... for PostGIS
  std::string format;  // default: PostGIS for --out PG:..., else GeoJSON
  std::string dsn;     // deprecated: --out PG:... instead
  std::string pg_schema = "public";
  int pg_lock_timeout_s = 60;
  std::string report_dir;
  std::string home_precision = "sector";
  std::string at;
  bool all_episodes = false;
  InputOptions input_options;
  bool compare = false;
  std::string reference;
  bool no_layers = false;
  unsigned threads = 0;
  std::string roads;
  std::string journeys;  // straight, road, both; default road with --roads
  double snap_radius_m = 1000;
  bool no_road_zone = false;
};

// The layer format and where everything goes: --out is a folder, or PG:... for PostGIS (then
// --format may be left out); --dsn is the old spelling of --out PG:... beside a folder --out.
LayerFormat resolve_outputs(AnalyseArgs& args) {
  if (!args.dsn.empty()) {
    std::fprintf(stderr, "placedist: --dsn is deprecated: write --out 'PG:...' (and --report-dir DIR)\n");
    // Not echoed: a connection string without PG: may still carry a password.
    if (!is_postgis_connection(args.dsn)) throw UsageError("--dsn: a PostGIS connection begins with PG:");
    if (is_postgis_connection(args.out)) throw UsageError("give the connection once: --out PG:... (not --dsn too)");
    if (args.report_dir.empty() && !args.out.empty()) args.report_dir = args.out;
    args.out = args.dsn;
    if (args.format.empty()) args.format = "PostGIS";
  }
  const bool to_database = is_postgis_connection(args.out);
  if (args.format.empty()) args.format = to_database ? "PostGIS" : "GeoJSON";
  std::optional<LayerFormat> format = parse_layer_format(args.format);
  if (!format) throw UsageError("--format " + args.format + ": use GeoJSON, GPKG, FlatGeobuf or PostGIS");
  if (*format == LayerFormat::postgresql && !to_database)
    throw UsageError("--format " + args.format + " writes into a database: --out 'PG:dbname=... host=...'");
  if (*format != LayerFormat::postgresql && to_database)
    throw UsageError("--out PG:... is a database: use --format PostGIS, or a folder for " + args.format);
  if (args.out.empty()) args.out = "placedist-analysis";
  if (args.report_dir.empty()) args.report_dir = to_database ? "placedist-analysis" : args.out;
  return *format;
}

void run_analyse(AnalyseArgs& args) {
  const auto started = std::chrono::steady_clock::now();
  auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };

  const LayerFormat format = resolve_outputs(args);
  // PostGIS: connect and check now, so that a database that cannot take the layers stops the
  // run before the analysis, with nothing written.
  std::optional<PostgisTarget> postgis;
  PostgisServer server;
  if (format == LayerFormat::postgresql && !args.no_layers) {
    try {
      postgis = parse_postgis_target(args.out, args.pg_schema);
      if (args.pg_lock_timeout_s < 0 || args.pg_lock_timeout_s > 86400)
        throw PostgisUnusable("--pg-lock-timeout must be 0 (no limit) to 86400 seconds");
      postgis->lock_timeout_s = args.pg_lock_timeout_s;
      server = check_postgis_target(*postgis, kLayerNames);
    } catch (const PostgisUnusable& e) {
      throw UsageError(std::string("PostGIS: ") + e.what());
    }
  }
  if (args.home_precision != "sector" && args.home_precision != "unit")
    throw UsageError("--home-precision must be sector or unit");
  if (args.journeys.empty()) args.journeys = args.roads.empty() ? "straight" : "road";
  std::optional<JourneyLines> parsed_journeys = parse_journey_lines(args.journeys);
  if (!parsed_journeys) throw UsageError("--journeys must be straight, road or both");
  const JourneyLines journeys = *parsed_journeys;
  if (journeys != JourneyLines::straight && args.roads.empty())
    throw UsageError("--journeys " + args.journeys + " needs --roads");
  if (!args.at.empty()) {
    args.input_options.at = parse_date(args.at);
    if (!args.input_options.at) throw UsageError("--at " + args.at + ": not a date (YYYY-MM-DD)");
  }
  args.input_options.all_episodes = args.all_episodes;

  Gazetteer gazetteer = Gazetteer::open(args.gazetteer.empty() ? Gazetteer::default_path() : fs::path(args.gazetteer));
  const SourceVintages vintages = source_vintages(gazetteer);

  InputRead input = read_placements(args.input, args.input_options);
  if (input.rows.empty()) {
    throw UsageError(input.census_date ? "no episode is open at the census date " + format_date(*input.census_date) +
                                             " (choose another with --at, or --all-episodes)"
                                       : "the input has no data rows");
  }

  // The responsible council: --la, else the council most homes lie in.
  std::string la_code, la_name;
  std::vector<std::string> notes = input.notes;
  if (!args.la.empty()) {
    std::tie(la_code, la_name) = resolve_council(gazetteer, args.la);
  } else {
    std::map<std::pair<std::string, std::string>, std::size_t> counts;
    for (std::size_t i = 0; i < input.rows.size() && i < 5000; ++i) {
      GeocodeResult home = gazetteer.lookup(input.rows[i].home_postcode);
      if (home.located() && !home.utla.empty()) ++counts[{std::string(home.utla.code), std::string(home.utla.name)}];
    }
    if (counts.empty()) throw UsageError("no home postcode could be located: name the council with --la");
    auto best = std::max_element(counts.begin(), counts.end(), [](auto& a, auto& b) { return a.second < b.second; });
    std::tie(la_code, la_name) = best->first;
    notes.push_back("no --la given: the council most homes lie in was taken (" + la_name + ", " + la_code + ")");
  }

  // Boundaries: as asked, else the ONS 500 m counties and unitaries of the gazetteer's era.
  fs::path boundary_path;
  std::optional<Boundaries> boundaries;
  BoundaryOptions boundary_options;
  boundary_options.code_field = args.boundary_code_field;
  boundary_options.name_field = args.boundary_name_field;
  if (!args.boundaries.empty()) {
    boundary_path = args.boundaries;
    boundaries = Boundaries::load(boundary_path, boundary_options);
  } else {
    const char* first =
        vintages.year > 0 && vintages.year < 2020 ? "boundaries_utla19.geojson" : "boundaries_utla21.geojson";
    const char* second =
        std::string(first) == "boundaries_utla19.geojson" ? "boundaries_utla21.geojson" : "boundaries_utla19.geojson";
    fs::path folder = data_file("boundaries/ons_ultra_generalised_500m");
    boundary_path = folder / first;
    boundaries = Boundaries::load(boundary_path, boundary_options);
    if (!boundaries->find(la_code)) {
      Boundaries other = Boundaries::load(folder / second, boundary_options);
      if (other.find(la_code)) {
        boundary_path = folder / second;
        boundaries = std::move(other);
      }
    }
  }
  if (!boundaries->find(la_code))
    notes.push_back("the boundary file has no polygon for " + la_code + ": no boundary layer or boundary buffer");

  AnalysisOptions options;
  options.responsible_code = la_code;
  options.boundaries = &*boundaries;
  options.threads = args.threads;
  // Road columns: one network shared by the worker threads, a query object per thread.
  std::shared_ptr<const roads::RoadNetwork> network;
  RoadColumnsOptions road_options;
  if (!args.roads.empty()) {
    if (!fs::exists(args.roads)) throw UsageError("no such road network file: " + args.roads);
    network = roads::RoadNetwork::load(args.roads);
    road_options.snap_radius_m = args.snap_radius_m;
    road_options.threads = args.threads;
    road_options.routes = !args.no_layers && journeys != JourneyLines::straight;
    road_options.route_from_unit_home = args.home_precision == "unit";
    options.extension = road_columns(network, road_options);
  }
  std::vector<PlacementRow> rows = analyse_placements(input.rows, gazetteer, options);
  const double analysed_at = seconds();
  if (network) {
    // How the road columns came out, by status (rows without a straight-line distance are not routed).
    const ExtraColumn& status_column = options.extension.columns[road_status];
    std::map<std::string, std::size_t> by_status;
    for (const PlacementRow& row : rows)
      if (std::string_view code = extra_code(status_column, row.extras[road_status]); !code.empty())
        ++by_status[std::string(code)];
    std::string line;
    for (const auto& [code, count] : by_status) line += (line.empty() ? "" : ", ") + thousands(count) + " " + code;
    notes.push_back("road distances (" + fs::path(args.roads).filename().string() +
                    "): " + (line.empty() ? "none" : line));
  }

  // Cross-check of the boundary file against the postcodes' own council codes.
  std::vector<CodedPoint> coded;
  for (const PlacementRow& row : rows) {
    if (row.home_located() && !row.home_la_code.empty()) coded.push_back({row.home_grid, row.home_la_code});
    if (row.placement_located() && !row.placement_la_code.empty() && !row.placement_la_from_polygon)
      coded.push_back({row.placement_grid, row.placement_la_code});
  }
  CrossCheck check = cross_check(*boundaries, coded);
  char check_line[512];
  std::snprintf(
      check_line, sizeof check_line,
      "%s: of %s located postcodes with a council code in the file, %s (%.2f%%) fall outside that council's "
      "polygon; %s carry a code the file lacks",
      boundary_path.filename().string().c_str(), thousands(check.coded_known).c_str(),
      thousands(check.disagree).c_str(),
      check.coded_known ? 100.0 * static_cast<double>(check.disagree) / static_cast<double>(check.coded_known) : 0.0,
      thousands(check.coded_unknown).c_str());
  std::size_t from_polygon =
      std::count_if(rows.begin(), rows.end(), [](const PlacementRow& r) { return r.placement_la_from_polygon; });
  if (from_polygon)
    notes.push_back(thousands(from_polygon) +
                    " placement councils came from the boundary polygons "
                    "(postcodes without a council code)");

  const fs::path report_dir = args.report_dir;
  fs::create_directories(report_dir);
  write_placements_csv(report_dir / "placements.csv", rows, options.extension.columns);

  const bool unit = args.home_precision == "unit";
  std::size_t layer_count = 0;
  if (!args.no_layers) {
    LayerInputs layers;
    layers.rows = rows;
    layers.extra_columns = options.extension.columns;
    layers.home_unit_precision = unit;
    layers.boundaries = &*boundaries;
    layers.responsible_code = la_code;
    layers.zones = twenty_mile_zones(rows, &*boundaries, la_code, unit);
    if (network && !args.no_road_zone) {
      // The road 20-mile zone: roads within 20 road miles (shortest routes) of the same home
      // points the circles use, so that it sits beside them.
      const auto zone_started = std::chrono::steady_clock::now();
      std::vector<LonLat> from;
      for (const PlacementRow& row : rows)
        if (row.home_located()) from.push_back(unit ? row.home_position : row.home_sector_position);
      layers.road_zone_wkt = road_zone_wkt(network, from, 20 * kMetresPerMile, road_options);
      if (layers.road_zone_wkt.empty()) notes.push_back("no home lies on the road network: no road 20-mile zone");
      std::fprintf(stderr, "placedist: road 20-mile zone in %.2f s\n",
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - zone_started).count());
    }
    layers.road_journeys_layer = journeys == JourneyLines::both;
    layers.description = "placedist analyse: " + la_name + " (" + la_code + ")" +
                         (input.census_date ? ", " + format_date(*input.census_date) : std::string()) + ". " +
                         data_attribution(vintages.year, false);
    ProjectOptions project;
    // The view: the responsible council's 20-mile zone.
    project.xmin = project.ymin = 1e12;
    project.xmax = project.ymax = -1e12;
    for (const ZoneFeature& zone : layers.zones) {
      if (zone.kind != "council buffer") continue;
      for (const Polygon& polygon : zone.polygons)
        for (const GridRef& g : polygon.rings.front()) {
          project.xmin = std::min(project.xmin, g.easting), project.xmax = std::max(project.xmax, g.easting);
          project.ymin = std::min(project.ymin, g.northing), project.ymax = std::max(project.ymax, g.northing);
        }
    }
    const auto layers_started = std::chrono::steady_clock::now();
    std::vector<WrittenLayer> written;
    try {
      written = write_layers(layers, format, postgis ? fs::path() : fs::path(args.out), postgis ? &*postgis : nullptr);
    } catch (const std::exception& e) {
      if (!postgis) throw;
      throw std::runtime_error(
          "PostGIS: writing the layers into " + postgis->describe() + " schema " + postgis->schema +
          " failed and was rolled back; the tables there are as they were before this run: " + e.what());
    }
    std::fprintf(stderr, "placedist: %zu %s layers written in %.3f s\n", written.size(), to_string(format),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - layers_started).count());
    layer_count = written.size();
    project.abstract = "Made by placedist analyse: placements at their postcodes, homes at their " +
                       std::string(unit ? "unit postcodes" : "postcode-sector centroids") +
                       ", journeys from home to placement, the council's boundary, every council with counts, and the "
                       "20-mile zone.";
    project.title = "Placements of " + la_name + "'s children" +
                    (input.census_date ? ", " + format_date(*input.census_date) : std::string());
    project.attribution = data_attribution(vintages.year, false);
    if (postgis) {
      project.postgres_connection = qgis_postgres_connection(*postgis, server);
      project.postgres_schema = postgis->schema;
    }
    write_qgis_project(report_dir, written, format, project);
  }

  // Report.
  LocationTable table = tabulate(rows, la_code, la_name);
  std::optional<PublishedFigures> published;
  if (args.compare) {
    fs::path reference = args.reference.empty() ? default_reference_path() : fs::path(args.reference);
    int year = input.census_date ? static_cast<int>(input.census_date->year()) : vintages.year;
    published = load_published(reference, la_code, la_name, year);
    if (!published)
      notes.push_back("--compare: the DfE reference has no figures for " + la_name + " (" + la_code + ")");
    else if (!published->exact_year)
      notes.push_back("--compare: the DfE reference has no " + std::to_string(year) + " figures for " + la_name +
                      "; the nearest published year, " + std::to_string(published->year) + " (" + published->la_code +
                      "), is shown");
  }
  ReportContext context;
  context.title = la_name + " (" + la_code + ")" +
                  (input.census_date ? ", children looked after at " + format_date(*input.census_date) : std::string());
  context.census_date = input.census_date ? format_date(*input.census_date) : "";
  context.input = std::string(to_string(input.kind)) + ": " + thousands(input.records) + " rows read, " +
                  thousands(rows.size()) + " analysed" +
                  (input.kind == InputKind::ssda903 && !args.all_episodes
                       ? " (the episode open at the census date; " + thousands(input.not_open) + " episodes not open)"
                       : std::string()) +
                  (input.uasc_column.empty() ? "; no UASC column" : "; UASC flag column " + input.uasc_column);
  context.gazetteer = vintages.text;
  context.boundaries = check_line;
  context.notes = notes;
  context.attribution = data_attribution(vintages.year, args.compare);
  {
    AtomicFile md(report_dir / "report.md");
    md.write(render_markdown(table, context, published));
    md.commit();
    AtomicFile json(report_dir / "report.json");
    json.write(render_json(table, context, published));
    json.commit();
  }

  std::cout << render_summary(table, published);
  std::fprintf(stderr, "placedist: boundaries %s\n", check_line);
  for (const std::string& note : notes) std::fprintf(stderr, "placedist: %s\n", note.c_str());
  std::fprintf(
      stderr,
      "placedist: analysed %s rows (%s failed, %s uasc) in %.2f s (rows %.2f s); wrote placements.csv, %zu "
      "layers%s, report.md and report.json to %s\n",
      thousands(rows.size()).c_str(), thousands(table.failed).c_str(), thousands(table.uasc).c_str(), seconds(),
      analysed_at, layer_count,
      postgis ? (" (PostGIS tables in schema " + postgis->schema + " of database " + server.dbname + ")").c_str() : "",
      report_dir.string().c_str());
  set_exit_code(table.failed > 0 ? kExitRowsFailed : kExitOk);
}

}  // namespace

void add_analyse_command(CLI::App& app) {
  auto args = std::make_shared<AnalyseArgs>();
  CLI::App* command =
      app.add_subcommand("analyse",
                         "Analyse a council's placements: placements.csv, GIS layers with a QGIS project, and the DfE "
                         "'Location of care placements' report");
  command->add_option("input", args->input, "SSDA903 episodes CSV or id,home_postcode,placement_postcode CSV")
      ->required();
  command->add_option("--la", args->la,
                      "the responsible council, code or name (default: the council most homes lie in)");
  command->add_option("--gazetteer", args->gazetteer, "gazetteer file (default: $PLACEDIST_GAZETTEER or the cache)");
  command->add_option("--boundaries", args->boundaries,
                      "council polygons, any OGR source (default: ONS 500 m counties/unitaries, 2019 for gazetteers "
                      "before 2020, else 2021)");
  command->add_option("--boundary-code-field", args->boundary_code_field,
                      "code field of --boundaries (default: detect)");
  command->add_option("--boundary-name-field", args->boundary_name_field,
                      "name field of --boundaries (default: detect)");
  command->add_option(
      "-o,--out", args->out,
      "output folder (default: placedist-analysis), or a PostGIS database for the layers: "
      "'PG:dbname=... host=... port=... user=...' (libpq keywords; PGHOST, PGPORT, ... fill in the rest)");
  command->add_option("--format", args->format,
                      "layer format: GeoJSON (default), GPKG, FlatGeobuf, or PostGIS (alias PostgreSQL; the default "
                      "with --out PG:...): all layers in one transaction, replacing tables of the same name");
  command->add_option("--pg-schema", args->pg_schema, "PostGIS: the schema of the tables (must exist)")
      ->capture_default_str();
  command
      ->add_option("--pg-lock-timeout", args->pg_lock_timeout_s,
                   "PostGIS: seconds to wait for another session's lock on a table being replaced before failing "
                   "(and rolling back); 0: no limit")
      ->capture_default_str();
  command->add_option("--report-dir", args->report_dir,
                      "folder for placements.csv, report.md, report.json and the QGIS project (default: the --out "
                      "folder; ./placedist-analysis with PostGIS)");
  command->add_option("--dsn", args->dsn, "deprecated: use --out 'PG:...' (with --dsn, --out is the report folder)");
  command->add_option("--home-precision", args->home_precision,
                      "where homes are drawn: sector (postcode-sector centroid, default) or unit");
  command->add_option("--at", args->at, "census date YYYY-MM-DD (default: 31 March of the latest year in the file)");
  command->add_flag("--all-episodes", args->all_episodes, "analyse every SSDA903 episode, not the one open at --at");
  command->add_option("--id-column", args->input_options.id_column, "id column of a plain file");
  command->add_option("--home-column", args->input_options.home_column, "home postcode column of a plain file");
  command->add_option("--placement-column", args->input_options.placement_column,
                      "placement postcode column of a plain file");
  command->add_option("--uasc-column", args->input_options.uasc_column,
                      "column flagging unaccompanied asylum-seeking children (default: UASC, IS_UASC, ...)");
  command->add_flag("--compare", args->compare, "put the DfE's published figures for the council beside ours");
  command->add_option("--reference", args->reference, "DfE reference CSV for --compare (default: in $PLACEDIST_DATA)");
  command->add_flag("--no-layers", args->no_layers, "write placements.csv and the report only");
  command->add_option("--threads", args->threads, "worker threads for geocoding and routing (default: all cores)");
  command->add_option("--roads", args->roads,
                      "road network file (placedist roads build): adds road_miles, road_minutes, shortest_road_miles, "
                      "home_snap_m, placement_snap_m and road_status, road routes and the road 20-mile zone");
  command->add_option("--journeys", args->journeys,
                      "journeys layer: straight, road (the fastest route; default with --roads) or both (routes in "
                      "journeys_road)");
  command->add_option("--snap-radius", args->snap_radius_m, "metres from a road a postcode may lie (with --roads)")
      ->capture_default_str();
  command->add_flag("--no-road-zone", args->no_road_zone, "with --roads: no zone_20_road_miles layer");
  command->callback([args] { run_analyse(*args); });
}

}  // namespace placedist::cli
