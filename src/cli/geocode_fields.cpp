#include "src/cli/geocode_fields.hpp"

#include <charconv>
#include <cmath>

#include "geo/io/csv_writer.hpp"

using namespace placedist::geo;

namespace placedist::cli {

const char* const kGeocodeHeader =
    "pc_normalised,match,status,easting,northing,lon,lat,ltla_code,ltla_name,utla_code,utla_name,error";

namespace {
// Fixed-point formatting through integers: exact for the gazetteer's stored precision and
// several times faster than formatting the double.
void append_fixed(std::string& out, double value, int decimals, bool drop_zero_fraction) {
  static constexpr long long kScale[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};
  long long scaled = std::llround(value * kScale[decimals]);
  if (scaled < 0) {
    out.push_back('-');
    scaled = -scaled;
  }
  char buffer[24];
  out.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, scaled / kScale[decimals]).ptr);
  long long fraction = scaled % kScale[decimals];
  if (decimals == 0 || (drop_zero_fraction && fraction == 0)) return;
  out.push_back('.');
  char digits[8];
  for (int i = decimals - 1; i >= 0; --i, fraction /= 10) digits[i] = static_cast<char>('0' + fraction % 10);
  out.append(digits, static_cast<std::size_t>(decimals));
}
}  // namespace

void append_number(std::string& out, double value, int decimals) { append_fixed(out, value, decimals, true); }

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
    append_fixed(out, result.position.lon, 6, false);
    out.push_back(',');
    append_fixed(out, result.position.lat, 6, false);
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
