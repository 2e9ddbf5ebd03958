// placedist geocode [IN.csv|-] [--column NAME] [--gazetteer FILE] [-o OUT.csv]
// Streams rows, keeps every input column as written and appends the geocode columns.
#include <algorithm>
#include <array>
#include <cstdio>
#include <span>
#include <vector>

#include "geo/gazetteer.hpp"
#include "geo/io/atomic_file.hpp"
#include "geo/io/csv_reader.hpp"
#include "src/commands.hpp"
#include "src/geocode_fields.hpp"
#include "src/progress.hpp"
#include "src/run_status.hpp"

namespace placedist::cli {
namespace {

struct GeocodeArgs {
  std::string input = "-";
  std::string column;
  std::string gazetteer;
  std::string output = "-";
};

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::size_t find_postcode_column(const CsvReader& header, const std::string& wanted) {
  if (!wanted.empty()) {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (lower(header[i]) == lower(wanted)) return i;
    throw UsageError("no column named '" + wanted + "' in the header");
  }
  for (const char* name : {"postcode", "pcds", "pcd", "pcd7", "pcd8", "post_code", "postal_code", "zip"}) {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (lower(header[i]) == name) return i;
  }
  if (header.size() == 1) return 0;
  throw UsageError("cannot tell which column holds the postcode: name it with --column");
}

void run_geocode(const GeocodeArgs& args) {
  Gazetteer gazetteer = Gazetteer::open(args.gazetteer.empty() ? Gazetteer::default_path() : std::filesystem::path(args.gazetteer));
  std::unique_ptr<CsvReader> csv;
  try {
    csv = std::make_unique<CsvReader>(args.input);
  } catch (const CsvError& e) {
    throw UsageError(e.what());
  }
  if (!csv->next()) throw UsageError("the input is empty: a header row is needed");
  const std::size_t column = find_postcode_column(*csv, args.column);
  const std::size_t columns = csv->size();

  AtomicFile output(args.output);
  std::string buffer;
  buffer.reserve(2 << 20);
  buffer.append(csv->raw());
  buffer.push_back(',');
  buffer.append(kGeocodeHeader);
  buffer.push_back('\n');

  std::uint64_t rows = 0;
  std::array<std::uint64_t, 5> by_level{};  // PostcodeLevel
  std::array<std::uint64_t, 8> by_status{};  // GeocodeStatus
  Progress progress("geocode");

  // Rows go through in batches so that the gazetteer can overlap its memory loads.
  constexpr std::size_t kBatch = 4096;
  std::string raws;                  // the batch's records as written, back to back
  std::vector<std::size_t> raw_ends;
  std::vector<std::size_t> missing;  // columns missing from a short row
  std::vector<Postcode> postcodes;
  std::vector<GeocodeResult> results(kBatch);
  auto geocode_batch = [&] {
    std::span<GeocodeResult> answers(results.data(), postcodes.size());
    gazetteer.lookup(postcodes, answers);
    std::size_t begin = 0;
    for (std::size_t i = 0; i < postcodes.size(); ++i) {
      GeocodeResult& result = answers[i];
      if (missing[i] > columns - 1 - column) result.message = "row has fewer columns than the header";
      ++by_status[static_cast<int>(result.status)];
      if (result.located()) ++by_level[static_cast<int>(result.match)];
      buffer.append(raws, begin, raw_ends[i] - begin);
      buffer.append(missing[i], ',');  // keep the output rectangular
      append_geocode_fields(buffer, postcodes[i], result);
      buffer.push_back('\n');
      begin = raw_ends[i];
    }
    raws.clear();
    raw_ends.clear();
    missing.clear();
    postcodes.clear();
    if (buffer.size() > (1 << 20)) {
      output.write(buffer);
      buffer.clear();
    }
  };
  while (csv->next()) {
    ++rows;
    postcodes.push_back(parse_postcode(column < csv->size() ? (*csv)[column] : std::string_view()));
    raws.append(csv->raw());
    raw_ends.push_back(raws.size());
    missing.push_back(csv->size() < columns ? columns - csv->size() : 0);
    if (postcodes.size() == kBatch) {
      geocode_batch();
      progress.update(csv->position(), csv->file_size(), rows);
    }
  }
  geocode_batch();
  output.write(buffer);
  output.commit();
  progress.finish();

  std::uint64_t failed = 0;
  std::string failures;
  for (int s = 0; s < static_cast<int>(by_status.size()); ++s) {
    auto status = static_cast<GeocodeStatus>(s);
    if (located(status) || by_status[s] == 0) continue;
    failed += by_status[s];
    failures += std::string(failures.empty() ? "" : ", ") + to_string(status) + " " + std::to_string(by_status[s]);
  }
  std::fprintf(stderr,
               "placedist: geocoded %llu rows: unit %llu, sector %llu, district %llu, area %llu (terminated %llu, "
               "approximate %llu); failed %llu%s%s%s\n",
               static_cast<unsigned long long>(rows), static_cast<unsigned long long>(by_level[4]),
               static_cast<unsigned long long>(by_level[3]), static_cast<unsigned long long>(by_level[2]),
               static_cast<unsigned long long>(by_level[1]),
               static_cast<unsigned long long>(by_status[static_cast<int>(GeocodeStatus::terminated)]),
               static_cast<unsigned long long>(by_status[static_cast<int>(GeocodeStatus::approximate)]),
               static_cast<unsigned long long>(failed), failures.empty() ? "" : " (", failures.c_str(),
               failures.empty() ? "" : ")");
  set_exit_code(failed > 0 ? kExitRowsFailed : kExitOk);
}

}  // namespace

void add_geocode_command(CLI::App& app) {
  auto args = std::make_shared<GeocodeArgs>();
  CLI::App* command = app.add_subcommand(
      "geocode", "Geocode the postcodes of a CSV file: every input column is kept and the location, councils and a "
                 "status are appended to each row");
  command->add_option("input", args->input, "CSV file with a header row, or - for standard input (default)");
  command->add_option("--column", args->column,
                      "the postcode column (default: the column named postcode, pcds, pcd7, ... or the only column)");
  command->add_option("--gazetteer", args->gazetteer, "gazetteer file (default: $PLACEDIST_GAZETTEER or the cache)");
  command->add_option("-o,--output", args->output, "output CSV (default: standard output)");
  command->callback([args] { run_geocode(*args); });
}

}  // namespace placedist::cli
