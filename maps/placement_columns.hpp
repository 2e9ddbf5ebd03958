#pragma once
// The one schema of an analysed placement row: every column placements.csv, the row layers
// (placements, journeys) and the service's JSON rows carry, in order, each with its type, unit,
// precision, disclosure class and the outputs it appears in. The writers only walk this list,
// so a new column is one line in placement_columns.cpp.
//
// A cell is null (blank in CSV, null in JSON and layers), text, a number already rounded to
// the column's decimals (half away from zero), or a boolean. Empty text is written as "" in
// JSON and as null in layers, as the writers always did.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "maps/placement.hpp"

namespace placedist::maps {

enum class ColumnType : std::uint8_t { text, real, boolean };

// Where a column appears.
enum ColumnOutput : std::uint8_t { in_csv = 1, in_layers = 2, in_json = 4, everywhere = 7 };
// Which outputs' audience sees it: restricted columns only restricted outputs; some shareable
// columns (distances between the published areas) only shareable ones, whose restricted
// counterparts are measured between the units.
enum ColumnAudience : std::uint8_t { for_restricted = 1, for_shareable = 2, for_both = 3 };

struct Cell {
  enum Kind : std::uint8_t { null, text, real, boolean } kind = null;
  std::string_view text_value;  // valid while the row lives
  double real_value = 0;
  bool boolean_value = false;

  static Cell of_text(std::string_view s) { return {text, s}; }
  static Cell of_real(double v, int decimals);  // null for NaN; rounded half away from zero
  static Cell of_bool(bool b) { return {boolean, {}, 0, b}; }
};

struct PlacementColumn {
  std::string name;
  ColumnType type = ColumnType::text;
  std::string unit;  // "DfE miles", "miles", "minutes", "metres"; empty for text
  int decimals = 0;  // for real columns
  Disclosure disclosure = Disclosure::shareable;
  std::uint8_t outputs = everywhere;
  std::function<Cell(const PlacementRow&)> value;
  std::uint8_t audiences = disclosure == Disclosure::restricted ? for_restricted : for_both;
};

// The columns, then one per extension column (road_miles, ...) in its order.
std::vector<PlacementColumn> placement_columns(std::span<const ExtraColumn> extras);

// The columns that appear in `output` for `audience` (placements.csv and the service's JSON rows
// are restricted; layers are shareable unless asked otherwise).
std::vector<PlacementColumn> placement_columns(std::span<const ExtraColumn> extras, ColumnOutput output,
                                               Disclosure audience);

}  // namespace placedist::maps
