// placedist geocode [IN.csv|-] [--column NAME] [--gazetteer FILE] [-o OUT.csv]
// Streams rows, keeps every input column as written and appends the geocode columns.
#include <algorithm>
#include <array>
#include <cstdio>
#include <future>
#include <span>
#include <vector>

#include "geo/gazetteer.hpp"
#include "geo/io/ascii_case.hpp"
#include "geo/io/atomic_file.hpp"
#include "geo/io/csv_reader.hpp"
#include "src/cli/commands.hpp"
#include "src/cli/geocode_fields.hpp"
#include "src/cli/postcode_column.hpp"
#include "src/cli/progress.hpp"
#include "src/cli/run_status.hpp"

using namespace placedist::geo;

namespace placedist::cli {
namespace {

struct GeocodeArgs {
  std::string input = "-";
  std::string column;
  std::string gazetteer;
  std::string output = "-";
};

// A batch of input rows: the records as written, back to back, and their parsed postcodes.
struct RowBatch {
  std::string raws;
  std::vector<std::size_t> raw_ends;
  std::vector<std::size_t> missing;  // columns missing from a short row
  std::vector<Postcode> postcodes;
  std::uint64_t position = 0;  // bytes of input consumed, for the progress bar

  std::size_t size() const { return postcodes.size(); }
  void clear() {
    raws.clear();
    raw_ends.clear();
    missing.clear();
    postcodes.clear();
  }
};

// Reads up to `limit` rows into `batch`.
void read_batch(CsvReader& csv, std::size_t column, std::size_t columns, std::size_t limit, RowBatch& batch) {
  batch.clear();
  while (batch.size() < limit && csv.next()) {
    batch.postcodes.push_back(parse_postcode(column < csv.size() ? csv[column] : std::string_view()));
    batch.raws.append(csv.raw());
    batch.raw_ends.push_back(batch.raws.size());
    batch.missing.push_back(csv.size() < columns ? columns - csv.size() : 0);
  }
  batch.position = csv.position();
}

struct GeocodeCounts {
  std::uint64_t rows = 0;
  std::array<std::uint64_t, 5> by_level{};   // PostcodeLevel
  std::array<std::uint64_t, 8> by_status{};  // GeocodeStatus
};

void print_summary(const GeocodeCounts& counts) {
  std::uint64_t failed = 0;
  std::string failures;
  for (int s = 0; s < static_cast<int>(counts.by_status.size()); ++s) {
    auto status = static_cast<GeocodeStatus>(s);
    if (located(status) || counts.by_status[s] == 0) continue;
    failed += counts.by_status[s];
    failures +=
        std::string(failures.empty() ? "" : ", ") + to_string(status) + " " + std::to_string(counts.by_status[s]);
  }
  auto count = [&](auto value) { return static_cast<unsigned long long>(value); };
  std::fprintf(stderr,
               "placedist: geocoded %llu rows: unit %llu, sector %llu, district %llu, area %llu (terminated %llu, "
               "approximate %llu); failed %llu%s%s%s\n",
               count(counts.rows), count(counts.by_level[4]), count(counts.by_level[3]), count(counts.by_level[2]),
               count(counts.by_level[1]), count(counts.by_status[static_cast<int>(GeocodeStatus::terminated)]),
               count(counts.by_status[static_cast<int>(GeocodeStatus::approximate)]), count(failed),
               failures.empty() ? "" : " (", failures.c_str(), failures.empty() ? "" : ")");
  set_exit_code(failed > 0 ? kExitRowsFailed : kExitOk);
}

void run_geocode(const GeocodeArgs& args) {
  Gazetteer gazetteer =
      Gazetteer::open(args.gazetteer.empty() ? Gazetteer::default_path() : std::filesystem::path(args.gazetteer));
  auto [csv, column, columns] = open_postcode_file(args.input, args.column);

  AtomicFile output(args.output);
  std::string buffer;
  buffer.reserve(4 << 20);
  buffer.append(csv->raw());
  buffer.push_back(',');
  buffer.append(kGeocodeHeader);
  buffer.push_back('\n');

  GeocodeCounts counts;
  Progress progress("geocode");
  // Rows go through in batches, so that the gazetteer can overlap its memory loads, and the
  // next batch is read and parsed on a second thread while this one is geocoded and written.
  constexpr std::size_t kBatch = 16384;
  RowBatch current, next;
  std::vector<GeocodeResult> results(kBatch);
  read_batch(*csv, column, columns, kBatch, current);
  while (current.size() > 0) {
    // Named captures: clang 14 (the sanitized build) cannot capture structured bindings.
    std::future<void> reading = std::async(std::launch::async, [&, &csv = csv, column = column, columns = columns] {
      read_batch(*csv, column, columns, kBatch, next);
    });
    std::span<GeocodeResult> answers(results.data(), current.size());
    gazetteer.lookup(current.postcodes, answers);
    std::size_t begin = 0;
    for (std::size_t i = 0; i < current.size(); ++i) {
      GeocodeResult& result = answers[i];
      if (current.missing[i] > columns - 1 - column) result.message = "row has fewer columns than the header";
      ++counts.by_status[static_cast<int>(result.status)];
      if (result.located()) ++counts.by_level[static_cast<int>(result.match)];
      buffer.append(current.raws, begin, current.raw_ends[i] - begin);
      buffer.append(current.missing[i], ',');  // keep the output rectangular
      append_geocode_fields(buffer, current.postcodes[i], result);
      buffer.push_back('\n');
      begin = current.raw_ends[i];
    }
    counts.rows += current.size();
    output.write(buffer);
    buffer.clear();
    progress.update(current.position, csv->file_size(), counts.rows);
    reading.get();  // rethrows a read error
    std::swap(current, next);
  }
  output.write(buffer);
  output.commit();
  progress.finish();
  print_summary(counts);
}

}  // namespace

void add_geocode_command(CLI::App& app) {
  auto args = std::make_shared<GeocodeArgs>();
  CLI::App* command = app.add_subcommand(
      "geocode",
      "Geocode the postcodes of a CSV file: every input column is kept and the location, councils and a "
      "status are appended to each row");
  command->add_option("input", args->input, "CSV file with a header row, or - for standard input (default)");
  command->add_option("--column", args->column,
                      "the postcode column (default: the column named postcode, pcds, pcd7, ... or the only column)");
  command->add_option("--gazetteer", args->gazetteer, "gazetteer file (default: $PLACEDIST_GAZETTEER or the cache)");
  command->add_option("-o,--output", args->output, "output CSV (default: standard output)");
  command->callback([args] { run_geocode(*args); });
}

}  // namespace placedist::cli
