#include "src/geocode_fields.hpp"

#include <charconv>
#include <cmath>

#include "geo/io/csv_writer.hpp"

namespace placedist::cli {

const char* const kGeocodeHeader =
    "pc_normalised,match,status,easting,northing,lon,lat,ltla_code,ltla_name,utla_code,utla_name,error";

void append_number(std::string& out, double value, int decimals) {
  char buffer[32];
  double whole = std::round(value);
  auto result = std::abs(value - whole) < 1e-9
                    ? std::to_chars(buffer, buffer + sizeof buffer, static_cast<long long>(whole))
                    : std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, decimals);
  out.append(buffer, result.ptr);
}

void append_geocode_fields(std::string& out, const Postcode& postcode, const GeocodeResult& result) {
  out.push_back(',');
  if (postcode.ok()) out.append(postcode.normalised());
  out.push_back(',');
  out.append(to_string(result.match));
  out.push_back(',');
  out.append(to_string(result.status));
  out.push_back(',');
  if (result.located()) {
    append_number(out, result.grid.easting, 1);
    out.push_back(',');
    append_number(out, result.grid.northing, 1);
    out.push_back(',');
    char buffer[32];
    out.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, result.position.lon, std::chars_format::fixed, 6).ptr);
    out.push_back(',');
    out.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, result.position.lat, std::chars_format::fixed, 6).ptr);
    out.push_back(',');
    out.append(result.ltla.code);
    out.push_back(',');
    append_csv_field(out, result.ltla.name);
    out.push_back(',');
    out.append(result.utla.code);
    out.push_back(',');
    append_csv_field(out, result.utla.name);
  } else {
    out.append(",,,,,,,");
  }
  out.push_back(',');
  append_csv_field(out, result.message);
}

}  // namespace placedist::cli
