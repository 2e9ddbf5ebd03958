#pragma once
// placements.csv: one row per analysed input row, in input order. Columns:
//   id,home_match,placement_match,home_la_code,home_la_name,placement_la_code,placement_la_name,
//   placement_location,dfe_miles,geodesic_miles,within_20_miles,status,message
// then one column per extension column (road_miles, ...). dfe_miles to 0.1 (DfE miles),
// geodesic_miles to 0.001 (international miles); within_20_miles is true/false on dfe_miles,
// blank when the distance is not known. No postcodes are written.
#include <filesystem>
#include <span>
#include <string>

#include "maps/placement.hpp"

namespace placedist::maps {

extern const char* const kPlacementsHeader;

void append_placement_row(std::string& out, const PlacementRow& row, std::span<const ExtraColumn> extras);

// Written to a temporary name and renamed.
void write_placements_csv(const std::filesystem::path& path, std::span<const PlacementRow> rows,
                          std::span<const ExtraColumn> extras);

}  // namespace placedist::maps
