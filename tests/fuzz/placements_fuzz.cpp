// libFuzzer target: reading placements (SSDA903 episodes or plain) from CSV text, as the
// service reads a request body, and from a file (plain or gzip) as `analyse` reads one. Unusable
// input is refused with an InputError; otherwise one row per data record (plain, or every
// episode) and never more rows than records.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "geo/io/csv_reader.hpp"
#include "src/analysis/input_error.hpp"
#include "src/analysis/placement_input.hpp"
#include "tests/fuzz/fuzz_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace placedist::analysis;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  placedist::fuzz::MemoryFile file(data, size);
  for (int way = 0; way < 3; ++way) {
    InputOptions options;
    options.all_episodes = way == 1;
    const bool all_episodes = options.all_episodes;
    try {
      InputRead read = way < 2 ? read_placements_text(text, options) : read_placements(file.path(), options);
      placedist::fuzz::require(read.rows.size() <= read.records);
      if (read.kind == InputKind::plain || all_episodes) placedist::fuzz::require(read.rows.size() == read.records);
    } catch (const InputError&) {
    } catch (const placedist::geo::CsvError&) {}
  }
  return 0;
}
