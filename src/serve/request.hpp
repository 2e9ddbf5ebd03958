#pragma once
// Reading what a client sent: query parameters and JSON bodies, validated (UTF-8, types,
// ranges). Every failure throws ApiError with the code a client can act on.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "src/serve/http_message.hpp"

namespace placedist::serve {

bool valid_utf8(std::string_view text);

// The body as JSON: invalid_utf8 when the bytes are not UTF-8, malformed_json when they do
// not parse. Limits are enforced while parsing, before the document's memory is spent: no array
// longer than `max_items` (too_many_rows), nesting no deeper than kMaxJsonDepth and no more
// than 8 values per allowed item overall (invalid_value).
inline constexpr int kMaxJsonDepth = 32;
nlohmann::json parse_json_body(const Request& req, std::size_t max_items);

// A query parameter as UTF-8 text; nullopt when absent. Throws invalid_utf8.
std::optional<std::string> query(const Request& req, const char* name);
std::string required_query(const Request& req, const char* name);  // missing_parameter
// A true/false parameter (also 1/0); `fallback` when absent. invalid_value otherwise.
bool query_flag(const Request& req, const char* name, bool fallback);
// A number parameter in [min, max]; `fallback` when absent. wrong_type / invalid_value.
double query_number(const Request& req, const char* name, double fallback, double min, double max);

// JSON members of an object body.
const nlohmann::json& member(const nlohmann::json& body, const char* name);  // missing_parameter
double number_member(const nlohmann::json& body, const char* name, double fallback, double min, double max);

// mode=straight|road: true for road. invalid_value for anything else; not_loaded for road when
// no road network is loaded (--roads).
bool road_mode(std::string_view mode, bool roads_loaded);

// The `miles` of a reach question (default 20), 0.1 to max_miles, to the hundredth of a mile:
// answers, and the caches of the expensive ones (road zones and layers), use the rounded value.
double miles_query(const Request& req, double max_miles);
double miles_member(const nlohmann::json& body, double max_miles);

}  // namespace placedist::serve
