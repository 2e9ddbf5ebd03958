#include "src/serve/json_writer.hpp"

using namespace placedist::geo;

namespace placedist::serve {

namespace {
void append_council(std::string& out, const char* key, const Council& council) {
  out += key;
  if (council.empty()) {
    out += "null";
    return;
  }
  out += "{\"code\":";
  append_json_string(out, council.code);
  out += ",\"name\":";
  append_json_string(out, council.name);
  out.push_back('}');
}
}  // namespace

void append_geocode_json(std::string& out, std::string_view query, const Postcode& postcode,
                         const GeocodeResult& result) {
  out += "{\"query\":";
  append_json_string(out, query);
  out += ",\"status\":\"";
  out += to_string(result.status);
  out += "\",\"postcode\":";
  if (postcode.well_formed())  // non-geographic ones too (BFPO 57, GIR 0AA): a normalised form
    append_json_string(out, postcode.normalised());
  else
    out += "null";
  if (result.located()) {
    out += ",\"match\":\"";
    out += to_string(result.match);
    out += "\",\"easting\":";
    append_json_number(out, result.grid.easting, 1);
    out += ",\"northing\":";
    append_json_number(out, result.grid.northing, 1);
    out += ",\"lon\":";
    append_json_number(out, result.position.lon, 6);
    out += ",\"lat\":";
    append_json_number(out, result.position.lat, 6);
    out += ",\"quality\":";
    append_json_number(out, result.quality, 0);
    append_council(out, ",\"ltla\":", result.ltla);
    append_council(out, ",\"utla\":", result.utla);
  }
  if (!result.located()) {  // the code of an error body, for clients that read {code, message}
    out += ",\"code\":\"";
    out += to_string(result.status);
    out += '"';
  }
  if (*result.message) {
    out += ",\"message\":";
    append_json_string(out, result.message);
  }
  out.push_back('}');
}

}  // namespace placedist::serve
