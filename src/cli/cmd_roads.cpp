// placedist roads build | roads info | route | matrix: building road networks and querying them
// from CSV files. Road miles are international miles (1609.344 m); minutes are drive minutes of
// the fastest route; shortest_road_miles is the shortest route by distance.
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>

#include "geo/distance.hpp"
#include "geo/gazetteer.hpp"
#include "geo/io/atomic_file.hpp"
#include "geo/io/csv_reader.hpp"
#include "geo/io/csv_writer.hpp"
#include "geo/io/number_text.hpp"
#include "geo/roads/huge_page_heap.hpp"
#include "geo/roads/osm_reader.hpp"
#include "geo/roads/road_precision.hpp"
#include "geo/roads/road_query.hpp"
#include "src/cli/commands.hpp"
#include "src/cli/point_columns.hpp"
#include "src/cli/run_status.hpp"

using namespace placedist::geo;

namespace placedist::cli {
namespace {

using namespace placedist::geo::roads;

struct BuildArgs {
  std::vector<std::string> extracts, edge_layers;
  std::string out;
  EdgeLayerSchema schema;
};

std::string hub_label_summary(const BuildReport& r) {
  char text[160];
  if (r.label_bytes == 0)
    std::snprintf(text, sizeof text, "no hub labels (more than %u routing nodes)", kHubLabelMaxNodes);
  else
    std::snprintf(text, sizeof text, "hub labels fastest %.2f s, shortest %.2f s (%.1f MiB)", r.label_seconds[0],
                  r.label_seconds[1], r.label_bytes / 1048576.0);
  return text;
}

double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

void run_build(const BuildArgs& a, EdgeLayerReader read_edge_layer) {
  if (a.extracts.empty() && a.edge_layers.empty())
    throw UsageError("roads build: give OSM extracts and/or --edges layers");
  if (!a.edge_layers.empty() && !read_edge_layer) throw NeedsFullProgram{};
  use_huge_page_heap();
  auto start = std::chrono::steady_clock::now();
  RoadEdges edges;
  if (!a.extracts.empty()) {
    OsmRoadReader reader;
    for (const std::string& f : a.extracts) {
      if (!std::filesystem::exists(f)) throw UsageError("no such extract: " + f);
      OsmFileReport r = reader.add_file(f);
      std::cerr << "read " << f << ": " << r.ways << " car ways"
                << (r.missing_nodes ? ", " + std::to_string(r.missing_nodes) + " ways with missing nodes dropped" : "")
                << '\n';
    }
    edges = reader.finish();
    const OsmRestrictionReport& t = reader.restrictions();
    std::cerr << "turn restrictions: " << t.read << " read, " << t.applied << " applied (via node), " << t.via_way
              << " via-way ignored, " << t.unusable << " unusable\n";
  }
  if (!a.edge_layers.empty()) {
    // OSM and edge layers are separate graphs in one file unless they share node positions.
    for (const std::string& f : a.edge_layers) {
      if (!std::filesystem::exists(f)) throw UsageError("no such edge layer: " + f);
      EdgeLayerReport r = read_edge_layer(f, a.schema, edges);
      std::cerr << "read " << f << ": " << r.features << " features (" << r.skipped << " skipped) as " << r.schema
                << '\n';
    }
  }
  double read_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  BuildReport r = build_network_file(edges, a.out);
  double total_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr,
               "wrote %s: %u junctions, %u edges, largest component %u, %llu junction copies for turn restrictions; "
               "contraction fastest %.2f s (%llu shortcuts), "
               "shortest %.2f s (%llu shortcuts); %s; read %.2f s, total %.2f s, peak memory %.0f MiB, %.1f MiB file\n",
               a.out.c_str(), r.nodes, r.edges, r.largest_component, static_cast<unsigned long long>(r.junction_copies),
               r.contract_seconds[0], static_cast<unsigned long long>(r.shortcuts[0]), r.contract_seconds[1],
               static_cast<unsigned long long>(r.shortcuts[1]), hub_label_summary(r).c_str(), read_s, total_s,
               peak_rss_mib(), r.file_bytes / 1048576.0);
}

// The result columns shared by route and matrix (with a leading comma); numbers only when the
// route is ok, snap distances whenever that end snapped.
void append_result(std::string& out, std::string_view status, const RoadResult& r) {
  const bool ok = status == "ok";
  out.push_back(',');
  append_csv_field(out, status);
  for (auto [value, decimals] : {std::pair{ok ? r.fastest_metres / kMetresPerMile : NAN, kRoadMilesDecimals},
                                 {ok ? r.fastest_seconds / 60 : NAN, kRoadMinutesDecimals},
                                 {ok ? r.shortest_metres / kMetresPerMile : NAN, kRoadMilesDecimals},
                                 {r.from_snap_m, kSnapMetresDecimals},
                                 {r.to_snap_m, kSnapMetresDecimals}}) {
    out.push_back(',');
    append_fixed(out, value, decimals);
  }
}
const char* const kResultColumns = "road_status,road_miles,road_minutes,shortest_road_miles,from_snap_m,to_snap_m";

// Opens a CSV input (plain or gzip, BOM and CRLF allowed) and reads its header.
std::vector<std::string> read_header(CsvReader& reader, const std::string& path) {
  if (!reader.next()) throw UsageError(path + " is empty");
  return {reader.fields().begin(), reader.fields().end()};
}
// `lenient`: damaged records come back with a problem() (status bad_row) instead of stopping the file.
std::unique_ptr<CsvReader> open_input(const std::string& path, bool lenient) {
  try {
    auto reader = std::make_unique<CsvReader>(path);
    reader->set_lenient(lenient);
    return reader;
  } catch (const CsvError& e) {
    throw UsageError(e.what());
  }
}

std::vector<std::string_view> views(const std::vector<std::string>& fields) { return {fields.begin(), fields.end()}; }

void append_row(std::string& out, CsvFields fields, CsvCells cells) { append_csv_row(out, fields, cells); }

const char* const kLenientHelp =
    "read a damaged file as far as it goes: a row with an unclosed quote, a NUL byte or text that is not UTF-8 gets "
    "status bad_row (default: the file is refused, exit 2, naming the line)";

const char* const kExcelSafeHelp =
    "escape text cells a spreadsheet would run as a formula (= + - @ tab CR first) with an apostrophe, as OWASP "
    "recommends; numbers stay numbers";

// Writes the buffered rows once they fill a chunk (or at the end, with force).
void flush(AtomicFile& out, std::string& buffer, bool force = false) {
  if (!force && buffer.size() < (1 << 16)) return;
  out.write(buffer);
  buffer.clear();
}

struct RouteArgs {
  std::string input, output = "-", roads;
  std::string from_lon = "from_lon", from_lat = "from_lat", to_lon = "to_lon", to_lat = "to_lat";
  std::string from_postcode, to_postcode, gazetteer;
  double radius_m = 1000;
  bool geometry = false;
  bool excel_safe = false;
  bool lenient = false;
};

// The gazetteer, opened only when a postcode column is asked for.
std::optional<Gazetteer> open_gazetteer_if(bool wanted, const std::string& path) {
  if (!wanted) return std::nullopt;
  return Gazetteer::open(path.empty() ? Gazetteer::default_path() : std::filesystem::path(path));
}

// Postcode column when one is named, else the lon/lat columns.
std::unique_ptr<PointColumns> point_columns(CsvFields header, const std::string& postcode,
                                            const std::optional<Gazetteer>& gazetteer, const std::string& lon,
                                            const std::string& lat) {
  return postcode.empty() ? lonlat_columns(header, lon, lat) : postcode_column(header, postcode, *gazetteer);
}

void summary(const char* what, std::size_t rows, std::size_t failed) {
  std::cerr << what << ": " << rows << " rows, " << rows - failed << " ok, " << failed << " without a road result\n";
  set_exit_code(failed ? kExitRowsFailed : kExitOk);
}

// The fastest route as WKT, lon/lat to 7 places (the network's own precision).
void append_route_wkt(std::string& out, const RouteGeometry& g) {
  out += "LINESTRING(";
  for (std::size_t i = 0; i < g.points.size(); ++i) {
    if (i) out.push_back(',');
    append_fixed(out, g.points[i].lon, 7);
    out.push_back(' ');
    append_fixed(out, g.points[i].lat, 7);
  }
  out.push_back(')');
}

void run_route(const RouteArgs& a) {
  auto net = RoadNetwork::load(a.roads);
  RoadQuery q(net, {.snap_radius_m = a.radius_m});
  std::unique_ptr<CsvReader> reader = open_input(a.input, a.lenient);
  const std::vector<std::string> header = read_header(*reader, a.input);
  std::optional<Gazetteer> gazetteer =
      open_gazetteer_if(!a.from_postcode.empty() || !a.to_postcode.empty(), a.gazetteer);
  auto from = point_columns(views(header), a.from_postcode, gazetteer, a.from_lon, a.from_lat);
  auto to = point_columns(views(header), a.to_postcode, gazetteer, a.to_lon, a.to_lat);
  const CsvCells cells = a.excel_safe ? CsvCells::excel_safe : CsvCells::plain;
  AtomicFile out(a.output);
  std::string buffer;
  append_row(buffer, views(header), cells);
  buffer.push_back(',');
  buffer += kResultColumns;
  if (a.geometry) buffer += ",route_wkt";
  buffer.push_back('\n');
  std::size_t rows = 0, failed = 0;
  std::vector<std::string_view> fields;
  while (reader->next()) {
    ++rows;
    fields.assign(reader->fields().begin(), reader->fields().end());
    fields.resize(header.size());  // as many columns as the header
    std::string problem;
    const bool damaged = !reader->problem().empty();
    if (damaged) problem = "bad_row";
    auto p = damaged ? std::nullopt : from->resolve(fields, problem);
    auto d = p ? to->resolve(fields, problem) : std::nullopt;
    RoadResult r{};
    std::string status = problem;
    if (p && d) {
      r = q.route(*p, *d);
      status = std::string(to_string(r.status));
    } else {
      r.from_snap_m = r.to_snap_m = NAN;
    }
    append_row(buffer, fields, cells);
    append_result(buffer, status, r);
    if (a.geometry) {
      buffer.push_back(',');
      if (status == "ok") {
        std::string wkt;
        append_route_wkt(wkt, q.route_geometry(*p, *d, Metric::fastest));
        append_csv_field(buffer, wkt);
      }
    }
    buffer.push_back('\n');
    if (status != "ok") ++failed;
    flush(out, buffer);
  }
  flush(out, buffer, true);
  out.commit();
  summary("route", rows, failed);
}

struct MatrixArgs {
  std::string origins, destinations, output = "-", roads;
  std::string lon = "lon", lat = "lat", id = "id", postcode, gazetteer;
  double radius_m = 1000;
  bool excel_safe = false;
  bool lenient = false;
};

struct Places {
  std::vector<std::string> ids, problems;
  std::vector<LonLat> points;
};

Places read_places(const std::string& path, const MatrixArgs& a, const std::optional<Gazetteer>& gazetteer) {
  std::unique_ptr<CsvReader> reader = open_input(path, a.lenient);
  const std::vector<std::string> header = read_header(*reader, path);
  auto cols = point_columns(views(header), a.postcode, gazetteer, a.lon, a.lat);
  int id = csv_column(views(header), a.id);
  Places p;
  while (reader->next()) {
    CsvFields row = reader->fields();
    std::string problem;
    const bool damaged = !reader->problem().empty();
    if (damaged) problem = "bad_row";
    auto where = damaged ? std::nullopt : cols->resolve(row, problem);
    p.ids.push_back(id >= 0 && id < static_cast<int>(row.size()) ? std::string(row[id])
                                                                 : std::to_string(p.ids.size() + 1));
    p.problems.push_back(problem);
    p.points.push_back(where.value_or(LonLat{NAN, NAN}));
  }
  return p;
}

void run_matrix(const MatrixArgs& a) {
  auto net = RoadNetwork::load(a.roads);
  RoadQuery q(net, {.snap_radius_m = a.radius_m});
  std::optional<Gazetteer> gazetteer = open_gazetteer_if(!a.postcode.empty(), a.gazetteer);
  Places from = read_places(a.origins, a, gazetteer), to = read_places(a.destinations, a, gazetteer);
  const CsvCells cells = a.excel_safe ? CsvCells::excel_safe : CsvCells::plain;
  AtomicFile out(a.output);
  std::string buffer = std::string("origin_id,destination_id,") + kResultColumns + "\n";
  std::size_t failed = 0;
  constexpr std::size_t kBlock = 256;  // origins per bucket run, bounding memory
  for (std::size_t start = 0; start < from.points.size(); start += kBlock) {
    std::size_t n = std::min(kBlock, from.points.size() - start);
    std::vector<RoadResult> m = q.matrix(std::span(from.points).subspan(start, n), to.points);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < to.points.size(); ++j) {
        const RoadResult& r = m[i * to.points.size() + j];
        std::string status = !from.problems[start + i].empty() ? from.problems[start + i]
                             : !to.problems[j].empty()         ? to.problems[j]
                                                               : std::string(to_string(r.status));
        append_csv_field(buffer, from.ids[start + i], cells);
        buffer.push_back(',');
        append_csv_field(buffer, to.ids[j], cells);
        append_result(buffer, status, r);
        buffer.push_back('\n');
        if (status != "ok") ++failed;
        flush(out, buffer);
      }
  }
  flush(out, buffer, true);
  out.commit();
  summary("matrix", from.points.size() * to.points.size(), failed);
}

void run_info(const std::string& path, bool verify) {
  auto net = RoadNetwork::load(path);
  if (verify) {
    net->verify();  // throws, naming the damaged section (exit 3)
    std::cerr << "placedist: road network " << path << ": every section's checksum verified\n";
  }
  std::time_t t = net->built_unix();
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  std::cout << "file: " << path << "\njunctions: " << net->node_count() << "\nedges: " << net->edge_count()
            << "\nbuilt: " << when << "\nsource: " << net->source() << "\nprofile: " << net->profile()
            << "\nhub labels: ";
  if (const std::uint64_t b = net->hub_label_bytes())
    std::cout << std::fixed << std::setprecision(1) << b / 1048576.0 << " MiB\n";
  else
    std::cout << "none (more than " << kHubLabelMaxNodes
              << " routing nodes: queries search the hierarchy, through core tables made for the first query, "
              << std::fixed << std::setprecision(1) << net->core_table_bytes() / 1048576.0 << " MiB)\n";
}

}  // namespace

void add_roads_command(CLI::App& app, EdgeLayerReader read_edge_layer) {
  auto* roads = app.add_subcommand("roads", "Build road networks (contraction hierarchies) and inspect them");
  roads->require_subcommand(1);

  auto build = std::make_shared<BuildArgs>();
  auto* b = roads->add_subcommand("build", "Build a road network file from OSM extracts and/or edge layers");
  b->add_option("extracts", build->extracts, "OpenStreetMap extracts (.osm.pbf), read with the British car profile");
  b->add_option("--edges", build->edge_layers, "Line layers (any GDAL/OGR source) of road edges")->expected(1);
  b->add_option("-o,--output", build->out, "The network file to write")->required();
  b->add_option("--layer", build->schema.layer, "Layer name in the edge sources (default: the first)");
  b->add_option("--from-node", build->schema.from_node, "Edge layer field: start junction id")->capture_default_str();
  b->add_option("--to-node", build->schema.to_node, "Edge layer field: end junction id")->capture_default_str();
  b->add_option("--length", build->schema.length_m, "Edge layer field: length in metres")->capture_default_str();
  b->add_option("--speed", build->schema.speed_kmh, "Edge layer field: car speed km/h")->capture_default_str();
  b->add_option("--forward-access", build->schema.forward_access, "Edge layer field: 1 when cars may drive start->end")
      ->capture_default_str();
  b->add_option("--backward-access", build->schema.backward_access,
                "Edge layer field: 1 when cars may drive end->start")
      ->capture_default_str();
  b->callback([build, read_edge_layer] { run_build(*build, read_edge_layer); });

  auto info = std::make_shared<std::string>();
  auto info_verify = std::make_shared<bool>(false);
  auto* i = roads->add_subcommand("info", "Describe a road network file");
  i->add_option("file", *info, "Network file")->required();
  i->add_flag("--verify", *info_verify,
              "read the whole file and check every section's CRC-32C first (exit 3 naming the damaged section)");
  i->callback([info, info_verify] { run_info(*info, *info_verify); });

  auto route = std::make_shared<RouteArgs>();
  auto* r =
      app.add_subcommand("route", "Road distance and drive time for each row of a CSV (from/to lon/lat or postcodes)");
  r->add_option("input", route->input, "CSV with one journey per row")->required();
  r->add_option("--roads", route->roads, "Road network file (placedist roads build)")->required();
  r->add_option("-o,--output", route->output, "Output CSV ('-' for stdout)")->capture_default_str();
  r->add_option("--from-lon", route->from_lon)->capture_default_str();
  r->add_option("--from-lat", route->from_lat)->capture_default_str();
  r->add_option("--to-lon", route->to_lon)->capture_default_str();
  r->add_option("--to-lat", route->to_lat)->capture_default_str();
  r->add_option("--from-postcode", route->from_postcode,
                "Origin postcode column (geocoded; instead of --from-lon/--from-lat)");
  r->add_option("--to-postcode", route->to_postcode,
                "Destination postcode column (geocoded; instead of --to-lon/--to-lat)");
  r->add_option("--gazetteer", route->gazetteer,
                "Gazetteer for postcode columns (default: $PLACEDIST_GAZETTEER or the cache)");
  r->add_option("--snap-radius", route->radius_m, "Metres from a road a location may lie")->capture_default_str();
  r->add_flag("--geometry", route->geometry, "Add the fastest route as WKT (route_wkt)");
  r->add_flag("--excel-safe", route->excel_safe, kExcelSafeHelp);
  r->add_flag("--lenient", route->lenient, kLenientHelp);
  r->callback([route] { run_route(*route); });

  auto matrix = std::make_shared<MatrixArgs>();
  auto* m = app.add_subcommand("matrix", "Road distances and times from every origin to every destination");
  m->add_option("origins", matrix->origins, "CSV of origins (id, lon, lat or a postcode column)")->required();
  m->add_option("destinations", matrix->destinations, "CSV of destinations (id, lon, lat or a postcode column)")
      ->required();
  m->add_option("--roads", matrix->roads, "Road network file (placedist roads build)")->required();
  m->add_option("-o,--output", matrix->output, "Output CSV ('-' for stdout), one row per pair")->capture_default_str();
  m->add_option("--lon", matrix->lon)->capture_default_str();
  m->add_option("--lat", matrix->lat)->capture_default_str();
  m->add_option("--postcode", matrix->postcode, "Postcode column (geocoded; instead of --lon/--lat), in both files");
  m->add_flag("--excel-safe", matrix->excel_safe, kExcelSafeHelp);
  m->add_flag("--lenient", matrix->lenient, kLenientHelp);
  m->add_option("--gazetteer", matrix->gazetteer,
                "Gazetteer for --postcode (default: $PLACEDIST_GAZETTEER or the cache)");
  m->add_option("--id", matrix->id, "Identifier column (default: row number)")->capture_default_str();
  m->add_option("--snap-radius", matrix->radius_m, "Metres from a road a location may lie")->capture_default_str();
  m->callback([matrix] { run_matrix(*matrix); });
}

}  // namespace placedist::cli
