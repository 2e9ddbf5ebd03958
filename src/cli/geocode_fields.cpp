#include "src/cli/geocode_fields.hpp"

#include "geo/io/csv_writer.hpp"
#include "geo/io/number_text.hpp"

using namespace placedist::geo;

namespace placedist::cli {

const char* const kGeocodeHeader =
    "pc_normalised,match,status,easting,northing,lon,lat,ltla_code,ltla_name,utla_code,utla_name,error";

void append_geocode_fields(std::string& out, const Postcode& postcode, const GeocodeResult& result) {
  out.push_back(',');
  if (postcode.well_formed()) out.append(postcode.normalised());
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
    append_fixed(out, result.position.lon, 6);
    out.push_back(',');
    append_fixed(out, result.position.lat, 6);
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
