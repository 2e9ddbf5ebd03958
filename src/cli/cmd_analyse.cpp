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
#include <memory>
#include <set>

#include <nlohmann/json.hpp>

#include "geo/data_dir.hpp"
#include "geo/gazetteer.hpp"
#include "geo/io/atomic_file.hpp"
#include "geo/io/output_set.hpp"
#include "geo/roads/road_network.hpp"
#include "maps/attribution.hpp"
#include "maps/layers.hpp"
#include "maps/placements_csv.hpp"
#include "maps/postgis_target.hpp"
#include "maps/qgis_project.hpp"
#include "maps/report.hpp"
#include "maps/report_html.hpp"
#include "maps/report_map.hpp"
#include "shapes/sector_areas_file.hpp"
#include "src/analysis/pipeline.hpp"
#include "src/analysis/placement_input.hpp"
#include "src/analysis/road_columns.hpp"
#include "src/cli/commands.hpp"
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
  std::string disclosure = "shareable";
  std::string at;
  bool all_episodes = false;
  bool excel_safe = false;
  InputOptions input_options;
  bool compare = false;
  std::string reference;
  bool no_layers = false;
  bool sector_areas = false;
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

// PostGIS: connect and check now, so that a database that cannot take the layers stops the
// run before the analysis, with nothing written.
std::optional<PostgisTarget> checked_postgis(const AnalyseArgs& args, PostgisServer& server) {
  try {
    PostgisTarget target = parse_postgis_target(args.out, args.pg_schema);
    if (args.pg_lock_timeout_s < 0 || args.pg_lock_timeout_s > 86400)
      throw PostgisUnusable("--pg-lock-timeout must be 0 (no limit) to 86400 seconds");
    target.lock_timeout_s = args.pg_lock_timeout_s;
    server = check_postgis_target(target, kLayerNames);
    return target;
  } catch (const PostgisUnusable& e) {
    throw UsageError(std::string("PostGIS: ") + e.what());
  }
}

// The request as the options give it (checked by run_analyse); the input is read here.
AnalysisRequest analysis_request(const AnalyseArgs& args, const Gazetteer& gazetteer, JourneyLines journeys) {
  AnalysisRequest request;
  request.gazetteer = &gazetteer;
  request.input = read_placements(args.input, args.input_options);
  request.la = args.la;
  request.boundaries_file = args.boundaries;
  request.boundary_options.code_field = args.boundary_code_field;
  request.boundary_options.name_field = args.boundary_name_field;
  request.home_precision = args.home_precision == "unit" ? HomePrecision::unit : HomePrecision::sector;
  request.disclosure = args.disclosure == "restricted" ? Disclosure::restricted : Disclosure::shareable;
  request.zones = !args.no_layers;
  request.compare = args.compare;
  request.reference = args.reference;
  request.threads = args.threads;
  if (!args.roads.empty()) {
    // One network shared by the worker threads, a query object per thread.
    if (!fs::exists(args.roads)) throw UsageError("no such road network file: " + args.roads);
    request.roads.network = roads::RoadNetwork::load(args.roads);
    request.roads.source = fs::path(args.roads).filename().string();
    request.roads.snap_radius_m = args.snap_radius_m;
    request.roads.routes = !args.no_layers && journeys != JourneyLines::straight;
    request.roads.zone = !args.no_layers && !args.no_road_zone;
  }
  return request;
}

// The layers (into `layer_folder`, or PostGIS in one transaction) and the QGIS project (into
// `project_folder`): the staging folders of the run's output sets.
// --sector-areas: the responsible council's postcode sector areas (the sectors most of whose live
// units lie in it), read from the cache or built there once for this gazetteer and these boundaries.
std::vector<std::pair<shapes::SectorArea, std::string>> council_sector_areas(const Gazetteer& gazetteer,
                                                                             const AnalysisResult& result) {
  std::vector<std::pair<shapes::SectorArea, std::string>> out;
  if (!result.boundaries) return out;
  const auto started = std::chrono::steady_clock::now();
  shapes::CachedSectorAreas cached = shapes::cached_sector_areas(gazetteer, *result.boundaries, geo::cache_dir());
  std::map<std::string, std::string> council_of;
  for (auto& [sector, council] : shapes::sector_councils(gazetteer)) council_of.emplace(sector, council);
  for (shapes::SectorArea& area : cached.areas)
    if (auto it = council_of.find(area.sector); it != council_of.end() && it->second == result.la_code)
      out.emplace_back(std::move(area), it->second);
  std::fprintf(stderr, "placedist: %zu postcode sector areas of %s (%s %s in %.1f s)\n", out.size(),
               result.la_code.c_str(), cached.built ? "built and cached in" : "read from",
               cached.file.string().c_str(), std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return out;
}

std::size_t write_analysis_layers(const AnalyseArgs& args, const AnalysisResult& result, LayerFormat format,
                                  JourneyLines journeys, const std::optional<PostgisTarget>& postgis,
                                  const PostgisServer& server, const fs::path& layer_folder,
                                  const fs::path& project_folder, const Gazetteer& gazetteer) {
  const bool unit = args.home_precision == "unit";
  LayerInputs layers =
      result.layer_inputs(unit ? HomePrecision::unit : HomePrecision::sector, journeys == JourneyLines::both);
  if (args.sector_areas) layers.sector_areas = council_sector_areas(gazetteer, result);
  const auto started = std::chrono::steady_clock::now();
  std::vector<WrittenLayer> written;
  try {
    written = write_layers(layers, format, postgis ? fs::path() : layer_folder, postgis ? &*postgis : nullptr);
  } catch (const std::exception& e) {
    if (!postgis) throw;
    throw std::runtime_error(
        "PostGIS: writing the layers into " + postgis->describe() + " schema " + postgis->schema +
        " failed and was rolled back; the tables there are as they were before this run: " + e.what());
  }
  std::fprintf(stderr, "placedist: %zu %s layers written in %.3f s\n", written.size(), to_string(format),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  ProjectOptions project;
  result.zone_extent(project.xmin, project.ymin, project.xmax, project.ymax);
  const bool restricted = result.disclosure == Disclosure::restricted;
  project.abstract = std::string(restricted ? "RESTRICTED: for the council's own analysts, not to be shared. "
                                            : "Shareable: no child's home or placement is shown more precisely "
                                              "than an area of at least 5 unit postcodes. ") +
                     "Made by placedist analyse: placements at their " +
                     std::string(restricted ? "unit postcodes" : "postcode sectors (or districts)") +
                     ", homes at their " + std::string(unit ? "unit postcodes" : "postcode sectors (or districts)") +
                     ", journeys from home to placement, the council's boundary, every council with counts, and "
                     "the 20-mile zone.";
  project.title = "Placements of " + result.la_name + "'s children" +
                  (result.census_date ? ", " + format_date(*result.census_date) : std::string());
  project.attribution = data_attribution(result.vintages.year, false);
  if (postgis) {
    project.postgres_connection = qgis_postgres_connection(*postgis, server);
    project.postgres_schema = postgis->schema;
  }
  write_qgis_project(project_folder, written, format, project);
  return written.size();
}

void run_analyse(AnalyseArgs& args) {
  const auto started = std::chrono::steady_clock::now();
  auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };

  const LayerFormat format = resolve_outputs(args);
  std::optional<PostgisTarget> postgis;
  PostgisServer server;
  if (format == LayerFormat::postgresql && !args.no_layers) postgis = checked_postgis(args, server);
  if (args.home_precision != "sector" && args.home_precision != "unit")
    throw UsageError("--home-precision must be sector or unit");
  if (args.disclosure != "shareable" && args.disclosure != "restricted")
    throw UsageError("--disclosure must be shareable or restricted");
  if (args.home_precision == "unit" && args.disclosure != "restricted")
    throw UsageError("--home-precision unit draws children's homes: it needs --disclosure restricted");
  if (args.disclosure == "restricted")
    std::fprintf(stderr,
                 "placedist: warning: --disclosure restricted: the layers and project show placements (and with "
                 "--home-precision unit, homes) at their unit postcodes; they are for the council's own analysts, "
                 "never to be shared\n");
  if (args.journeys.empty()) args.journeys = args.roads.empty() ? "straight" : "road";
  std::optional<JourneyLines> journeys = parse_journey_lines(args.journeys);
  if (!journeys) throw UsageError("--journeys must be straight, road or both");
  if (*journeys != JourneyLines::straight && args.roads.empty())
    throw UsageError("--journeys " + args.journeys + " needs --roads");

  if (!args.at.empty()) {
    args.input_options.at = parse_date(args.at);
    if (!args.input_options.at) throw UsageError("--at " + args.at + ": not a date (YYYY-MM-DD)");
  }
  args.input_options.all_episodes = args.all_episodes;

  Gazetteer gazetteer = Gazetteer::open(args.gazetteer.empty() ? Gazetteer::default_path() : fs::path(args.gazetteer));
  const AnalysisResult result = run_analysis(analysis_request(args, gazetteer, *journeys));

  // Each folder's outputs appear whole or not at all (geo/io/output_set.hpp): the layers'
  // folder and --report-dir, one set when they are the same folder.
  const fs::path report_dir = args.report_dir;
  OutputSet reports(report_dir);
  std::unique_ptr<OutputSet> layer_set;
  if (!postgis && !args.no_layers && fs::weakly_canonical(args.out) != fs::weakly_canonical(report_dir))
    layer_set = std::make_unique<OutputSet>(args.out);
  write_placements_csv(reports.staging() / "placements.csv", result.rows, result.extra_columns,
                       args.excel_safe ? CsvCells::excel_safe : CsvCells::plain);
  const std::size_t layer_count =
      args.no_layers ? 0
                     : write_analysis_layers(args, result, format, *journeys, postgis, server,
                                             layer_set ? layer_set->staging() : reports.staging(), reports.staging(), gazetteer);
  {
    AtomicFile md(reports.staging() / "report.md");
    md.write(render_markdown(result.table, result.report, result.published));
    md.commit();
    AtomicFile json(reports.staging() / "report.json");
    json.write(render_json(result.table, result.report, result.published));
    json.commit();
    // report.html: the same report as charts; with --compare, the council's published years.
    PublishedHistory history;
    if (result.published) {
      const fs::path reference = args.reference.empty() ? default_reference_path() : fs::path(args.reference);
      for (int year : result.published->years) {
        if (auto f = load_published(reference, result.published->la_code, result.published->la_name, year)) {
          if (auto region = load_published_area(reference, f->region_code, year); region && region->exact_year)
            history.region.push_back(std::move(*region));
          history.council.push_back(std::move(*f));
        }
        if (auto england = load_published_area(reference, "", year); england && england->exact_year)
          history.england.push_back(std::move(*england));
      }
    }
    AtomicFile html(reports.staging() / "report.html");
    // The overview map: the councils layer's shareable counts on the analysis's own boundaries.
    const std::string map =
        result.boundaries ? placements_map_svg(*result.boundaries, shareable_council_placements(
                                                                       *result.boundaries, result.rows,
                                                                       result.table.council_code))
                          : std::string();
    html.write(render_html(result.table, result.report, result.published, history, map));
    html.commit();
  }
  if (layer_set) layer_set->publish();
  reports.publish();

  std::cout << render_summary(result.table, result.published);
  std::fprintf(stderr, "placedist: boundaries %s\n", result.report.boundaries.c_str());
  for (const std::string& note : result.report.notes) std::fprintf(stderr, "placedist: %s\n", note.c_str());
  std::fprintf(
      stderr,
      "placedist: analysed %s rows (%s failed, %s uasc) in %.2f s (rows %.2f s); wrote placements.csv, %zu "
      "layers%s, report.md, report.json and report.html to %s\n",
      thousands(result.rows.size()).c_str(), thousands(result.table.failed).c_str(),
      thousands(result.table.uasc).c_str(), seconds(), result.seconds_rows, layer_count,
      postgis ? (" (PostGIS tables in schema " + postgis->schema + " of database " + server.dbname + ")").c_str() : "",
      report_dir.string().c_str());
  set_exit_code(result.table.failed > 0 ? kExitRowsFailed : kExitOk);
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
                      "where homes are drawn: sector (postcode-sector centroid, default) or unit (needs --disclosure "
                      "restricted)");
  command
      ->add_option("--disclosure", args->disclosure,
                   "who the layers, project and report are for: shareable (default: homes and placements at areas "
                   "of at least 5 unit postcodes, miles between those areas) or restricted (placements at unit "
                   "postcodes and unit-to-unit miles, for the council's own analysts; placements.csv is always "
                   "restricted)")
      ->capture_default_str();
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
  command->add_flag("--sector-areas", args->sector_areas,
                    "also write the council's postcode sector areas as a layer (built once per gazetteer and "
                    "boundaries and kept in the cache folder: a minute or two for Great Britain the first time)");
  command->add_flag("--lenient", args->input_options.lenient,
                    "read a damaged input as far as it goes: a row with an unclosed quote, a NUL byte or text that "
                    "is not UTF-8 becomes a bad_row (default: the file is refused, exit 2, naming the line)");
  command->add_flag("--excel-safe", args->excel_safe,
                    "in placements.csv, escape text cells a spreadsheet would run as a formula (= + - @ tab CR first) "
                    "with an apostrophe, as OWASP recommends; numbers stay numbers");
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
