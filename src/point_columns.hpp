#pragma once
// How a CSV row names a location (WGS84 lon/lat). Today: longitude and latitude columns.
// The gazetteer adds a postcode resolver implementing the same interface, so that route and
// matrix take either without change.
#include <memory>
#include <optional>
#include <string>

#include "geo/coords.hpp"
#include "src/csv_table.hpp"

namespace placedist::cli {

class PointColumns {
 public:
  virtual ~PointColumns() = default;
  // The row's location, or nullopt with `problem` set to a stable code (e.g. "invalid_location").
  virtual std::optional<LonLat> resolve(const CsvRow& row, std::string& problem) const = 0;
};

// Reads decimal degrees from the named columns; throws UsageError when a column is missing.
std::unique_ptr<PointColumns> lonlat_columns(const CsvRow& header, const std::string& lon, const std::string& lat);

}  // namespace placedist::cli
