// libFuzzer target: the CSV reader on any bytes, from memory (a request body) and from a file
// (plain or gzip: the reader decides by the magic bytes). Both ways read the same records.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "geo/io/csv_reader.hpp"
#include "tests/fuzz/fuzz_file.hpp"

namespace {

// Every record's fields joined (a unit separator between fields, a record separator after each);
// *refused when the reader refuses the input (it may, with a message).
std::string read_all(placedist::geo::CsvReader& csv, bool* refused) {
  std::string out;
  *refused = false;
  try {
    while (csv.next()) {
      for (std::string_view f : csv.fields()) out.append(f).push_back('\x1f');
      out.push_back('\x1e');
      placedist::fuzz::require(csv.line() > 0);
    }
  } catch (const placedist::geo::CsvError& e) {
    *refused = true;
    placedist::fuzz::require(*e.what() != '\0');
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using placedist::geo::CsvReader;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const bool gzip = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
  std::string from_memory;
  bool memory_refused = false, file_refused = false;
  if (!gzip) {
    CsvReader csv = CsvReader::from_text(text);
    from_memory = read_all(csv, &memory_refused);
  }
  placedist::fuzz::MemoryFile file(data, size);
  try {
    CsvReader csv(file.path());
    std::string from_file = read_all(csv, &file_refused);
    if (!gzip) placedist::fuzz::require(file_refused == memory_refused && (file_refused || from_file == from_memory));
  } catch (const placedist::geo::CsvError&) {
    // An unreadable gzip stream: refused with a message, which is all that is asked.
  }
  return 0;
}
