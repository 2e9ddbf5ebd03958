#include "maps/placements_csv.hpp"

#include <charconv>
#include <cmath>

#include "geo/io/atomic_file.hpp"
#include "geo/io/csv_writer.hpp"

using namespace placedist::geo;

namespace placedist::maps {
namespace {

void append_fixed(std::string& out, double value, int decimals) {
  if (!std::isfinite(value)) return;
  char buffer[32];
  out.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, decimals).ptr);
}

}  // namespace

const char* const kPlacementsHeader =
    "id,home_match,placement_match,home_la_code,home_la_name,placement_la_code,placement_la_name,placement_location,"
    "dfe_miles,geodesic_miles,within_20_miles,status,message";

void append_placement_row(std::string& out, const PlacementRow& row, std::span<const ExtraColumn> extras) {
  append_csv_field(out, row.id);
  out.push_back(',');
  if (row.home_located()) out.append(to_string(row.home_match));
  out.push_back(',');
  if (row.placement_located()) out.append(to_string(row.placement_match));
  out.push_back(',');
  out.append(row.home_la_code);
  out.push_back(',');
  append_csv_field(out, row.home_la_name);
  out.push_back(',');
  out.append(row.placement_la_code);
  out.push_back(',');
  append_csv_field(out, row.placement_la_name);
  out.push_back(',');
  out.append(to_string(row.location));
  out.push_back(',');
  append_fixed(out, row.dfe_miles, 1);
  out.push_back(',');
  append_fixed(out, row.geodesic_miles, 3);
  out.push_back(',');
  if (std::isfinite(row.dfe_miles)) out.append(row.dfe_miles <= 20 ? "true" : "false");
  out.push_back(',');
  out.append(to_string(row.status));
  out.push_back(',');
  append_csv_field(out, row.message);
  for (std::size_t e = 0; e < extras.size(); ++e) {
    out.push_back(',');
    const double value = e < row.extras.size() ? row.extras[e] : NAN;
    if (extras[e].codes.empty())
      append_fixed(out, value, extras[e].decimals);
    else
      append_csv_field(out, extra_code(extras[e], value));
  }
  out.push_back('\n');
}

void write_placements_csv(const std::filesystem::path& path, std::span<const PlacementRow> rows,
                          std::span<const ExtraColumn> extras) {
  AtomicFile file(path);
  std::string buffer = kPlacementsHeader;
  for (const ExtraColumn& extra : extras) buffer += "," + extra.name;
  buffer.push_back('\n');
  for (const PlacementRow& row : rows) {
    append_placement_row(buffer, row, extras);
    if (buffer.size() > (1 << 20)) {
      file.write(buffer);
      buffer.clear();
    }
  }
  file.write(buffer);
  file.commit();
}

}  // namespace placedist::maps
