#pragma once
// Which column of a CSV header holds the postcode, for the commands that read postcode files
// (`geocode`, `coverage`): the column named with --column (any case), else the first named
// postcode, pcds, pcd, pcd7, pcd8, post_code, postal_code or zip, else the only column.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "geo/io/csv_reader.hpp"

namespace placedist::cli {

// Throws UsageError when no such column is named or none can be told.
std::size_t find_postcode_column(const geo::CsvReader& header, const std::string& wanted);

// A postcode file opened with its header read: the reader, the postcode column and the number
// of columns. Throws UsageError for an unreadable or empty file, or no postcode column.
// `lenient`: CsvReader::set_lenient (damaged rows come back with a problem()).
struct PostcodeFile {
  std::unique_ptr<geo::CsvReader> csv;
  std::size_t column = 0;
  std::size_t columns = 0;
};
PostcodeFile open_postcode_file(const std::filesystem::path& path, const std::string& wanted_column,
                                bool lenient = false);

}  // namespace placedist::cli
