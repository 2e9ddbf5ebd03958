// placedist geocode [IN.csv|-] [--column NAME] [--gazetteer FILE] [-o OUT.csv] [--lenient] [--excel-safe]
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
#include "geo/io/csv_writer.hpp"
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
  bool lenient = false;     // damaged rows get status bad_row instead of stopping the file
  bool excel_safe = false;  // formula-like text cells escaped (geo/io/csv_writer.hpp)
};

// A batch of input rows: the records as written, back to back, and their parsed postcodes.
struct RowBatch {
  std::string raws;
  std::vector<std::size_t> raw_ends;
  std::vector<std::size_t> missing;  // columns missing from a short row
  std::vector<Postcode> postcodes;
  std::vector<std::string> problems;  // what is wrong with a damaged row (lenient), else empty
  std::uint64_t position = 0;         // bytes of input consumed, for the progress bar

  std::size_t size() const { return postcodes.size(); }
  void clear() {
    raws.clear();
    raw_ends.clear();
    missing.clear();
    postcodes.clear();
    problems.clear();
  }
};

// Reads up to `limit` rows into `batch`. A row goes out as written unless its cells must be
// made Excel-safe or it is damaged (an unclosed quote is not carried on).
void read_batch(CsvReader& csv, std::size_t column, std::size_t columns, std::size_t limit, CsvCells cells,
                RowBatch& batch) {
  batch.clear();
  while (batch.size() < limit && csv.next()) {
    batch.problems.push_back(csv.problem());
    batch.postcodes.push_back(csv.problem().empty() && column < csv.size() ? parse_postcode(csv[column]) : Postcode{});
    if (cells == CsvCells::excel_safe || !csv.problem().empty())
      append_csv_row(batch.raws, csv.fields(), cells);
    else
      batch.raws.append(csv.raw());
    batch.raw_ends.push_back(batch.raws.size());
    batch.missing.push_back(csv.size() < columns ? columns - csv.size() : 0);
  }
  batch.position = csv.position();
}

struct GeocodeCounts {
  std::uint64_t rows = 0;
  std::array<std::uint64_t, 5> by_level{};                                         // PostcodeLevel
  std::array<std::uint64_t, static_cast<int>(Outcome::internal) + 1> by_status{};  // GeocodeStatus, bad_row
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
  auto [csv, column, columns] = open_postcode_file(args.input, args.column, args.lenient);
  const CsvCells cells = args.excel_safe ? CsvCells::excel_safe : CsvCells::plain;

  AtomicFile output(args.output);
  std::string buffer;
  buffer.reserve(4 << 20);
  if (cells == CsvCells::excel_safe)
    append_csv_row(buffer, csv->fields(), cells);
  else
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
  read_batch(*csv, column, columns, kBatch, cells, current);
  while (current.size() > 0) {
    // Named captures: clang 14 (the sanitized build) cannot capture structured bindings.
    std::future<void> reading = std::async(std::launch::async, [&, &csv = csv, column = column, columns = columns] {
      read_batch(*csv, column, columns, kBatch, cells, next);
    });
    std::span<GeocodeResult> answers(results.data(), current.size());
    for (Postcode& pc : current.postcodes)  // the reading the directory holds, to write beside its answer
      if (pc.alternative) pc = gazetteer.resolve(pc);
    gazetteer.lookup(current.postcodes, answers);
    std::size_t begin = 0;
    for (std::size_t i = 0; i < current.size(); ++i) {
      GeocodeResult& result = answers[i];
      if (current.missing[i] > columns - 1 - column) result.message = "row has fewer columns than the header";
      if (!current.problems[i].empty()) {
        result = GeocodeResult{};
        result.status = Outcome::bad_row;
        result.message = current.problems[i].c_str();
      }
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
  command->add_flag("--lenient", args->lenient,
                    "read a damaged file as far as it goes: a row with an unclosed quote, a NUL byte or text that is "
                    "not UTF-8 gets status bad_row (default: the file is refused, exit 2, naming the line)");
  command->add_flag("--excel-safe", args->excel_safe,
                    "escape text cells that a spreadsheet would run as a formula (= + - @ tab CR first) with an "
                    "apostrophe, as OWASP recommends; numbers stay numbers");
  command->callback([args] { run_geocode(*args); });
}

}  // namespace placedist::cli
