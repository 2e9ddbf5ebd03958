#pragma once
// The service's outcomes, each with a stable string code, and the ONE place where outcomes
// (the service's own and the gazetteer's GeocodeStatus) become HTTP statuses and the JSON
// error body {"code": ..., "message": ...}. Handlers throw ApiError; router.cpp catches it.
#include <stdexcept>
#include <string>
#include <string_view>

#include "geo/gazetteer.hpp"

namespace httplib {
struct Response;
}

namespace placedist::serve {

enum class ApiCode {
  bad_request,        // 400 a request the server cannot read (e.g. a malformed request line)
  malformed_json,     // 400 the body is not JSON
  wrong_type,         // 400 a JSON member or query parameter has the wrong type
  missing_parameter,  // 400 a required member or query parameter is absent
  invalid_value,      // 400 a value out of its documented range
  invalid_utf8,       // 400 text that is not valid UTF-8
  unauthorized,       // 401 no or wrong bearer token
  not_found,          // 404 no such route, council or file
  payload_too_large,  // 413 the body exceeds --max-body-bytes
  too_many_rows,      // 413 more rows than --max-rows
  not_loaded,         // 501 the data or feature this needs is not loaded in this server
  internal,           // 500 a bug; logged without request data
};
const char* to_string(ApiCode code);
int http_status(ApiCode code);

class ApiError : public std::runtime_error {
 public:
  ApiError(ApiCode code, const std::string& message) : std::runtime_error(message), m_code(code) {}
  ApiCode code() const { return m_code; }

 private:
  ApiCode m_code;
};

// The HTTP status of a single-postcode answer: 200 for located postcodes (ok, terminated,
// approximate: the status says which), 400 for empty/malformed, 404 for unknown,
// non_geographic and no_coordinates (the body still carries the status).
int http_status(geo::GeocodeStatus status);

// Writes {"code", "message"} with the code's status and records the code for /metrics.
void write_error(httplib::Response& res, ApiCode code, std::string_view message);
// For statuses set by the HTTP library itself (404 unmatched route, 413, 400): the code
// that status stands for.
ApiCode code_for_status(int status);

// The error code of the response being written on this thread ("" when none), for metrics.
const char* current_error_code();
void set_current_error_code(const char* code);

}  // namespace placedist::serve
