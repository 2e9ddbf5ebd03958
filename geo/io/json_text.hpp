#pragma once
// JSON text written by hand on hot paths (GeoJSON layers, bulk HTTP answers), without a DOM.
#include <string>
#include <string_view>

namespace placedist::geo {

// Appends a JSON string literal, escaping quotes, backslashes and control characters
// (\n \r \t by name, the rest as \u00XX). The text must be valid UTF-8.
void append_json_string(std::string& out, std::string_view text);

}  // namespace placedist::geo
