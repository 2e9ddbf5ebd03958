#pragma once
// Reading what a client sent: query parameters and JSON bodies, validated (UTF-8, types,
// ranges). Every failure throws ApiError with the code a client can act on.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace httplib {
struct Request;
}

namespace placedist::serve {

bool valid_utf8(std::string_view text);

// The body as JSON: invalid_utf8 when the bytes are not UTF-8, malformed_json when they do
// not parse.
nlohmann::json parse_json_body(const httplib::Request& req);

// A query parameter as UTF-8 text; nullopt when absent. Throws invalid_utf8.
std::optional<std::string> query(const httplib::Request& req, const char* name);
std::string required_query(const httplib::Request& req, const char* name);  // missing_parameter
// A number parameter in [min, max]; `fallback` when absent. wrong_type / invalid_value.
double query_number(const httplib::Request& req, const char* name, double fallback, double min, double max);

// JSON members of an object body.
const nlohmann::json& member(const nlohmann::json& body, const char* name);  // missing_parameter
double number_member(const nlohmann::json& body, const char* name, double fallback, double min, double max);

}  // namespace placedist::serve
