#pragma once
// Which column of a CSV header holds the postcode, for the commands that read postcode files
// (`geocode`, `coverage`): the column named with --column (any case), else the first named
// postcode, pcds, pcd, pcd7, pcd8, post_code, postal_code or zip, else the only column.
#include <cstddef>
#include <string>

#include "geo/io/csv_reader.hpp"

namespace placedist::cli {

// Throws UsageError when no such column is named or none can be told.
std::size_t find_postcode_column(const geo::CsvReader& header, const std::string& wanted);

}  // namespace placedist::cli
