#pragma once
// placements.csv: one row per analysed input row, in input order, with the CSV columns of the
// row schema (maps/placement_columns.hpp): id, matches, councils, placement_location, dfe_miles
// (0.1 DfE mile), geodesic_miles (0.001 international mile), within_20_miles (true/false, blank
// when the distance is not known), status, message, then the extension's columns (road_miles,
// ...). No postcodes are written. CsvCells::excel_safe escapes formula-like text cells (an id
// typed as =HYPERLINK(...)) as geo/io/csv_writer.hpp describes.
#include <filesystem>
#include <span>
#include <string>

#include "geo/io/csv_writer.hpp"
#include "maps/placement_columns.hpp"

namespace placedist::maps {

// The header line, without its line ending.
std::string placements_csv_header(std::span<const PlacementColumn> columns);

void append_placement_row(std::string& out, const PlacementRow& row, std::span<const PlacementColumn> columns,
                          geo::CsvCells cells = geo::CsvCells::plain);

// Written to a temporary name and renamed.
void write_placements_csv(const std::filesystem::path& path, std::span<const PlacementRow> rows,
                          std::span<const ExtraColumn> extras, geo::CsvCells cells = geo::CsvCells::plain);

}  // namespace placedist::maps
