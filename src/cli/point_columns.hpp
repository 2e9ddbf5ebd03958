#pragma once
// How a CSV row names a location (WGS84 lon/lat): longitude and latitude columns, or a postcode
// column geocoded through the gazetteer (unit, sector or district: what the gazetteer locates).
#include <memory>
#include <optional>
#include <string>

#include "geo/coords.hpp"
#include "src/cli/csv_table.hpp"

namespace placedist::geo {
class Gazetteer;
}

namespace placedist::cli {

class PointColumns {
 public:
  virtual ~PointColumns() = default;
  // The row's location, or nullopt with `problem` set to a stable code (e.g. "invalid_location").
  virtual std::optional<geo::LonLat> resolve(const CsvRow& row, std::string& problem) const = 0;
};

// Reads decimal degrees from the named columns; throws UsageError when a column is missing.
std::unique_ptr<PointColumns> lonlat_columns(const CsvRow& header, const std::string& lon, const std::string& lat);

// Geocodes the named postcode column; a postcode not located gives the gazetteer's status code
// ("malformed", "not_found", ...) as the problem. The gazetteer must outlive the resolver.
// Throws UsageError when the column is missing.
std::unique_ptr<PointColumns> postcode_column(const CsvRow& header, const std::string& column,
                                              const geo::Gazetteer& gazetteer);

}  // namespace placedist::cli
