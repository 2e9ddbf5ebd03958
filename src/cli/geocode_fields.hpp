#pragma once
// The columns `placedist geocode` appends to each row, in one place so that every command
// writes a geocoded postcode the same way.
#include <string>
#include <string_view>

#include "geo/gazetteer.hpp"

namespace placedist::cli {

// "pc_normalised,match,status,easting,northing,lon,lat,ltla_code,ltla_name,utla_code,utla_name,error"
extern const char* const kGeocodeHeader;

// Appends the columns above for one postcode (with a leading comma).
void append_geocode_fields(std::string& out, const geo::Postcode& postcode, const geo::GeocodeResult& result);

}  // namespace placedist::cli
