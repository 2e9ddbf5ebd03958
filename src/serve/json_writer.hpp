#pragma once
// Hand-written JSON output for the hot paths (bulk postcode answers run to megabytes):
// appends to a std::string without building a DOM. Coordinates: easting/northing are British
// National Grid metres (0.1 m), lon/lat WGS84 degrees (6 decimals, about 0.1 m).
#include <string>
#include <string_view>

#include "geo/gazetteer.hpp"
#include "geo/io/json_text.hpp"
#include "geo/io/number_text.hpp"

namespace placedist::serve {

// A JSON string literal (geo/io/json_text.hpp); request.hpp checks that clients send UTF-8.
using geo::append_json_string;
// Numbers: geo/io/number_text.hpp (round_to for numbers put into nlohmann::json).
using geo::append_json_number;
using geo::round_to;

// One postcode answer:
// {"query":..., "status":..., "postcode":..., "match":..., "easting":..., "northing":...,
//  "lon":..., "lat":..., "quality":..., "ltla":{"code","name"}, "utla":{"code","name"},
//  "message":...}; location fields only when located, message only when not ok.
void append_geocode_json(std::string& out, std::string_view query, const geo::Postcode& postcode,
                         const geo::GeocodeResult& result);

}  // namespace placedist::serve
