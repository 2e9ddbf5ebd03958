#pragma once
// The service's outcomes, each with a stable string code, and the ONE place where outcomes
// (the service's own and the gazetteer's GeocodeStatus) become HTTP statuses and the JSON
// error body {"code": ..., "message": ...}. Handlers throw ApiError; router.cpp catches it.
#include <stdexcept>
#include <string>
#include <string_view>

#include "geo/gazetteer.hpp"

#include "src/serve/http_message.hpp"

namespace placedist::serve {

// The service's own outcomes (geo/outcome.hpp) with their HTTP statuses: bad_request,
// malformed_json, wrong_type, missing_parameter, invalid_value, invalid_utf8 400; unauthorized
// 401; not_found 404; payload_too_large, too_many_rows 413; not_loaded 501; internal 500.
using ApiCode = Outcome;

// A request that cannot be answered; router.cpp catches it (and any other Failure: an analysis
// InputError is invalid_value, a broken data file 500).
class ApiError : public Failure {
 public:
  ApiError(ApiCode code, const std::string& message) : Failure(code, message) {}
  ApiCode code() const { return outcome(); }
};

// The ONE place outcomes become HTTP statuses: the service's own as above; a single postcode's
// answer 200 when located (ok, terminated, approximate: the status says which), 400 for empty
// and malformed, 404 for unknown, non_geographic and no_coordinates (the body still carries the
// status); other per-item outcomes are values inside a 200 answer; data files 500.
int http_status(Outcome outcome);

// Writes {"code", "message"} with the code's status and records the code for /metrics.
void write_error(Response& res, ApiCode code, std::string_view message);
// postcodes.io's error shape, {"status": N, "error": message}, for the compatible routes: the
// same status and message as write_error gave (which stays the one place statuses are chosen).
void write_postcodes_io_error(Response& res, int status, std::string_view message);
void rewrite_as_postcodes_io_error(Response& res);  // a {code, message} answer to that shape
// For statuses set by the HTTP library itself (404 unmatched route, 413, 400): the code
// that status stands for.
ApiCode code_for_status(int status);

// The error code of the response being written on this thread ("" when none), for metrics.
const char* current_error_code();
void set_current_error_code(const char* code);

}  // namespace placedist::serve
