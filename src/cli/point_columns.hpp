#pragma once
// How a CSV row names a location (WGS84 lon/lat): longitude and latitude columns, or a postcode
// column geocoded through the gazetteer (unit, sector or district: what the gazetteer locates).
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "geo/coords.hpp"

namespace placedist::geo {
class Gazetteer;
}

namespace placedist::cli {

// One CSV record's fields (geo::CsvReader::fields()).
using CsvFields = std::span<const std::string_view>;

// Index of a header column (exact name), or -1.
int csv_column(CsvFields header, std::string_view name);

class PointColumns {
 public:
  virtual ~PointColumns() = default;
  // The row's location, or nullopt with `problem` set to a stable code (e.g. "invalid_location").
  virtual std::optional<geo::LonLat> resolve(CsvFields row, std::string& problem) const = 0;
};

// Reads decimal degrees from the named columns; throws UsageError when a column is missing.
std::unique_ptr<PointColumns> lonlat_columns(CsvFields header, const std::string& lon, const std::string& lat);

// Geocodes the named postcode column; a postcode not located gives the gazetteer's status code
// ("malformed", "not_found", ...) as the problem. The gazetteer must outlive the resolver.
// Throws UsageError when the column is missing.
std::unique_ptr<PointColumns> postcode_column(CsvFields header, const std::string& column,
                                              const geo::Gazetteer& gazetteer);

}  // namespace placedist::cli
