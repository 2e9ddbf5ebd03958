#include "src/cli/postcode_column.hpp"

#include <string_view>

#include "geo/io/ascii_case.hpp"
#include "src/cli/run_status.hpp"

using namespace placedist::geo;

namespace placedist::cli {

std::size_t find_postcode_column(const CsvReader& header, const std::string& wanted) {
  if (!wanted.empty()) {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (equals_ignoring_ascii_case(header[i], wanted)) return i;
    throw UsageError("no column named '" + wanted + "' in the header");
  }
  for (const char* name : {"postcode", "pcds", "pcd", "pcd7", "pcd8", "post_code", "postal_code", "zip"}) {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (equals_ignoring_ascii_case(header[i], name)) return i;
  }
  if (header.size() == 1) return 0;
  throw UsageError("cannot tell which column holds the postcode: name it with --column");
}

PostcodeFile open_postcode_file(const std::filesystem::path& path, const std::string& wanted_column, bool lenient) {
  PostcodeFile file;
  try {
    file.csv = std::make_unique<CsvReader>(path);
  } catch (const CsvError& e) {
    throw UsageError(e.what());
  }
  file.csv->set_lenient(lenient);
  if (!file.csv->next()) throw UsageError("the input is empty: a header row is needed");
  if (!file.csv->problem().empty())
    throw UsageError(path.string() + ": the header row is damaged: " + file.csv->problem());
  file.column = find_postcode_column(*file.csv, wanted_column);
  file.columns = file.csv->size();
  return file;
}

}  // namespace placedist::cli
