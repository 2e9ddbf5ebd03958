// placedist coverage HOMES.csv --providers FILE [--miles 20] [--min-places 1]
//                   [--roads FILE [--snap-radius M]] [--column NAME] [--gazetteer FILE] [-o OUT.csv] [--threads N]
//                   [--lenient] [--excel-safe]
// Batch coverage for commissioners: for each home postcode of a CSV, the care providers and
// places within `miles` (DfE straight miles, or road miles with --roads, as the service counts
// them: src/analysis/coverage.hpp). Keeps every input column as written and appends the
// coverage columns; one output row per input row, a status and message on each.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "geo/gazetteer.hpp"
#include "geo/io/atomic_file.hpp"
#include "geo/io/csv_reader.hpp"
#include "geo/io/csv_writer.hpp"
#include "geo/io/number_text.hpp"
#include "geo/roads/road_network.hpp"
#include "geo/roads/road_query.hpp"
#include "src/analysis/coverage.hpp"
#include "src/analysis/providers.hpp"
#include "src/cli/commands.hpp"
#include "src/cli/geocode_fields.hpp"
#include "src/cli/postcode_column.hpp"
#include "src/cli/progress.hpp"
#include "src/cli/run_status.hpp"

using namespace placedist::geo;
using namespace placedist::analysis;

namespace placedist::cli {
namespace {

struct CoverageArgs {
  std::string input;
  std::string providers;
  double miles = 20;
  double min_places = 1;
  std::string roads;
  double snap_radius_m = 1000;
  std::string column;
  std::string gazetteer;
  std::string output = "-";
  unsigned threads = 0;
  bool excel_safe = false;
  bool lenient = false;  // damaged rows get status bad_row instead of stopping the file
};

const char* const kCoverageHeader =
    "pc_normalised,match,status,providers_within,places_within,providers_without_places,at_least_min_places";
const char* const kRoadHeader = ",road_status,home_snap_m,providers_not_routed";

// Rows of input held at once: the road matrix blocks are formed within a chunk.
constexpr std::size_t kChunk = 65536;

struct RowChunk {
  std::string raws;  // the records as written, back to back
  std::vector<std::size_t> raw_ends;
  std::vector<std::size_t> missing;  // columns missing from a short row
  std::vector<bool> short_of_postcode;
  std::vector<Postcode> postcodes;
  std::vector<std::string> problems;  // what is wrong with a damaged row (lenient), else empty
  std::size_t size() const { return postcodes.size(); }
};

RowChunk read_chunk(CsvReader& csv, std::size_t column, std::size_t columns, CsvCells cells) {
  RowChunk chunk;
  while (chunk.size() < kChunk && csv.next()) {
    const bool damaged = !csv.problem().empty();
    chunk.problems.push_back(csv.problem());
    chunk.postcodes.push_back(damaged ? Postcode{}
                                      : parse_postcode(column < csv.size() ? csv[column] : std::string_view()));
    // A damaged row is written re-encoded, so that an unclosed quote is not carried on.
    if (cells == CsvCells::excel_safe || damaged)
      append_csv_row(chunk.raws, csv.fields(), cells);
    else
      chunk.raws.append(csv.raw());
    chunk.raw_ends.push_back(chunk.raws.size());
    chunk.missing.push_back(csv.size() < columns ? columns - csv.size() : 0);
    chunk.short_of_postcode.push_back(column >= csv.size());
  }
  return chunk;
}

// Rows by outcome, for the summary line and the exit code.
struct CoverageCounts {
  CoverageSummary summary;
  std::map<std::string, std::size_t> failed;  // by status code: geocoding, then road
  std::size_t failures() const {
    std::size_t n = 0;
    for (const auto& [status, count] : failed) n += count;
    return n;
  }
  void add(const CoverageSummary& s) {
    summary.homes += s.homes;
    summary.located += s.located;
    summary.counted += s.counted;
    summary.with_min_places += s.with_min_places;
  }
};

// The coverage columns of one row (with a leading comma).
void append_coverage_fields(std::string& out, const Postcode& postcode, const GeocodeResult& geocoded,
                            const HomeCoverage& home, bool road, const char* message) {
  out.push_back(',');
  if (postcode.well_formed()) out.append(postcode.normalised());
  out.push_back(',');
  out.append(to_string(geocoded.match));
  out.push_back(',');
  out.append(to_string(geocoded.status));
  out.push_back(',');
  if (home.counted) {
    append_number(out, static_cast<double>(home.within.providers), 0);
    out.push_back(',');
    append_number(out, static_cast<double>(home.within.places), 0);
    out.push_back(',');
    append_number(out, static_cast<double>(home.within.providers_without_places), 0);
    out.append(home.at_least_min_places ? ",true" : ",false");
  } else {
    out.append(",,,");  // no numbers unless the home is counted
  }
  if (road) {
    out.push_back(',');
    if (home.located) out.append(to_string(home.road_status));
    out.push_back(',');
    if (home.located && std::isfinite(home.home_snap_m)) append_number(out, home.home_snap_m, 1);
    out.push_back(',');
    if (home.located) append_number(out, static_cast<double>(home.providers_not_routed), 0);
  }
  out.push_back(',');
  append_csv_field(out, message);
}

void print_summary(const CoverageCounts& counts, const CoverageParameters& parameters) {
  const CoverageSummary& s = counts.summary;
  const bool road = parameters.mode == CoverageMode::road;
  char within[64];
  std::snprintf(within, sizeof within, " homes within %g %s miles: located ", parameters.miles, road ? "road" : "DfE");
  std::string line = "placedist: coverage of " + std::to_string(s.homes) + within + std::to_string(s.located);
  if (road) line += ", routed " + std::to_string(s.counted);
  char share[96];
  std::snprintf(share, sizeof share, "; at least %g places for %zu of %zu (%.1f%%)", parameters.min_places,
                s.with_min_places, s.counted, 100.0 * s.share_with_min_places());
  line += share;
  line += "; failed " + std::to_string(counts.failures());
  std::string failures;
  for (const auto& [status, count] : counts.failed)
    failures += (failures.empty() ? " (" : ", ") + status + " " + std::to_string(count);
  if (!failures.empty()) line += failures + ")";
  std::fprintf(stderr, "%s\n", line.c_str());
  set_exit_code(counts.failures() > 0 ? kExitRowsFailed : kExitOk);
}

// Geocodes, covers and writes one chunk of rows.
void cover_chunk(const RowChunk& chunk, const Gazetteer& gazetteer, const ProviderSet& providers,
                 const CoverageParameters& parameters, std::span<roads::RoadQuery* const> queries,
                 CoverageCounts& counts, std::string& out) {
  std::vector<GeocodeResult> geocoded(chunk.size());
  std::vector<Postcode> postcodes(chunk.size());  // the readings the directory holds (O/0, I/1)
  for (std::size_t i = 0; i < chunk.size(); ++i) postcodes[i] = gazetteer.resolve(chunk.postcodes[i]);
  gazetteer.lookup(postcodes, geocoded);
  for (std::size_t i = 0; i < chunk.size(); ++i)
    if (!chunk.problems[i].empty()) {
      geocoded[i] = GeocodeResult{};
      geocoded[i].status = Outcome::bad_row;
      geocoded[i].message = chunk.problems[i].c_str();
    }
  std::vector<CoverageHome> homes(chunk.size());
  for (std::size_t i = 0; i < chunk.size(); ++i) homes[i] = coverage_home(postcodes[i], geocoded[i]);
  CoverageResult result;
  if (CoverageStatus status = compute_coverage(providers, homes, parameters, queries, result);
      status != CoverageStatus::ok)
    throw UsageError(std::string("coverage: ") + coverage_status_code(status));
  counts.add(result.summary);
  const bool road = parameters.mode == CoverageMode::road;
  std::size_t begin = 0;
  for (std::size_t i = 0; i < chunk.size(); ++i) {
    const HomeCoverage& home = result.homes[i];
    const char* message = "";
    if (!home.located) {
      ++counts.failed[to_string(geocoded[i].status)];
      message = chunk.short_of_postcode[i] && chunk.problems[i].empty() ? "row has fewer columns than the header"
                                                                        : geocoded[i].message;
    } else if (!home.counted) {
      ++counts.failed[std::string(to_string(home.road_status))];
      message = home_road_message(home.road_status);
    } else {
      message = geocoded[i].message;  // warnings of located homes (terminated, approximate)
    }
    out.append(chunk.raws, begin, chunk.raw_ends[i] - begin);
    out.append(chunk.missing[i], ',');  // keep the output rectangular
    append_coverage_fields(out, postcodes[i], geocoded[i], home, road, message);
    out.push_back('\n');
    begin = chunk.raw_ends[i];
  }
}

void run_coverage(const CoverageArgs& args) {
  const CsvCells cells = args.excel_safe ? CsvCells::excel_safe : CsvCells::plain;
  CoverageParameters parameters;
  parameters.miles = std::round(args.miles * 100) / 100;  // to the hundredth, as the service takes it
  parameters.min_places = args.min_places;
  parameters.mode = args.roads.empty() ? CoverageMode::straight : CoverageMode::road;
  parameters.threads = args.threads ? args.threads : std::max(1u, std::thread::hardware_concurrency());

  auto [csv, column, columns] = open_postcode_file(args.input, args.column, args.lenient);

  Gazetteer gazetteer =
      Gazetteer::open(args.gazetteer.empty() ? Gazetteer::default_path() : std::filesystem::path(args.gazetteer));
  const ProviderSet providers = load_providers(args.providers, gazetteer);
  // Road mode: one network shared by the workers, a query object each.
  std::vector<std::unique_ptr<roads::RoadQuery>> owned;
  std::vector<roads::RoadQuery*> queries;
  if (parameters.mode == CoverageMode::road) {
    std::shared_ptr<const roads::RoadNetwork> network = roads::RoadNetwork::load(args.roads);
    roads::QueryOptions options;
    options.snap_radius_m = args.snap_radius_m;
    for (unsigned t = 0; t < parameters.threads; ++t) {
      owned.push_back(std::make_unique<roads::RoadQuery>(network, options));
      queries.push_back(owned.back().get());
    }
  }

  AtomicFile output(args.output);
  std::string buffer;
  if (cells == CsvCells::excel_safe)
    append_csv_row(buffer, csv->fields(), cells);
  else
    buffer.append(csv->raw());
  buffer.push_back(',');
  buffer.append(kCoverageHeader);
  if (parameters.mode == CoverageMode::road) buffer.append(kRoadHeader);
  buffer.append(",message\n");

  CoverageCounts counts;
  Progress progress("coverage");
  for (RowChunk chunk = read_chunk(*csv, column, columns, cells); chunk.size() > 0;
       chunk = read_chunk(*csv, column, columns, cells)) {
    cover_chunk(chunk, gazetteer, providers, parameters, queries, counts, buffer);
    output.write(buffer);
    buffer.clear();
    progress.update(csv->position(), csv->file_size(), counts.summary.homes);
  }
  output.write(buffer);
  output.commit();
  progress.finish();
  print_summary(counts, parameters);
}

}  // namespace

void add_coverage_command(CLI::App& app) {
  auto args = std::make_shared<CoverageArgs>();
  CLI::App* command = app.add_subcommand(
      "coverage",
      "Care providers and places within a distance of each home postcode of a CSV file (DfE straight miles, or "
      "road miles with --roads): every input column is kept and the coverage columns are appended");
  command
      ->add_option("homes", args->input, "CSV file of homes with a header row (gzip allowed), or - for standard input")
      ->required();
  command->add_option("--providers", args->providers, "providers CSV (urn,name,type,postcode,places)")->required();
  command->add_option("--miles", args->miles, "distance limit in miles (default 20; to the hundredth)")
      ->check(CLI::Range(0.1, 1000.0));
  command->add_option("--min-places", args->min_places, "places a home should have within reach (default 1)")
      ->check(CLI::Range(0.0, 1e6));
  CLI::Option* roads =
      command->add_option("--roads", args->roads, "road network file (placedist roads build): road miles instead");
  command->add_option("--snap-radius", args->snap_radius_m, "metres from a road a home may lie (default 1000)")
      ->check(CLI::Range(0.0, 100000.0))
      ->needs(roads);
  command->add_option("--column", args->column,
                      "the postcode column (default: the column named postcode, pcds, pcd7, ... or the only column)");
  command->add_option("--gazetteer", args->gazetteer, "gazetteer file (default: $PLACEDIST_GAZETTEER or the cache)");
  command->add_option("-o,--output", args->output, "output CSV (default: standard output)");
  command->add_option("--threads", args->threads, "worker threads (default: all cores)")->check(CLI::Range(1u, 1024u));
  command->add_flag("--excel-safe", args->excel_safe,
                    "escape text cells a spreadsheet would run as a formula (= + - @ tab CR first) with an "
                    "apostrophe, as OWASP recommends; numbers stay numbers");
  command->add_flag("--lenient", args->lenient,
                    "read a damaged file as far as it goes: a row with an unclosed quote, a NUL byte or text that is "
                    "not UTF-8 gets status bad_row (default: the file is refused, exit 2, naming the line)");
  command->callback([args] { run_coverage(*args); });
}

}  // namespace placedist::cli
