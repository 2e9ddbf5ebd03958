#include "src/serve/api_error.hpp"

#include "src/serve/http_message.hpp"

#include <nlohmann/json.hpp>

using namespace placedist::geo;

namespace placedist::serve {

namespace {
thread_local const char* t_error_code = "";
}

int http_status(Outcome outcome) {
  switch (outcome) {
    case Outcome::empty:
    case Outcome::malformed: return 400;
    case Outcome::non_geographic:
    case Outcome::unknown:
    case Outcome::no_coordinates: return 404;
    case Outcome::unauthorized: return 401;
    case Outcome::not_found: return 404;
    case Outcome::payload_too_large:
    case Outcome::too_many_rows: return 413;
    case Outcome::not_loaded: return 501;
    case Outcome::forbidden_origin: return 403;
    case Outcome::misdirected: return 421;
    case Outcome::unsupported_encoding: return 415;
    case Outcome::header_too_large: return 431;
    case Outcome::request_timeout: return 408;
    case Outcome::busy: return 503;
    default: break;
  }
  switch (group(outcome)) {
    case OutcomeGroup::success:
    case OutcomeGroup::warning:
    case OutcomeGroup::unanswered: return 200;
    case OutcomeGroup::request: return 400;
    case OutcomeGroup::data:
    case OutcomeGroup::internal: return 500;
  }
  return 500;
}

ApiCode code_for_status(int status) {
  switch (status) {
    case 401: return ApiCode::unauthorized;
    case 404: return ApiCode::not_found;
    case 413: return ApiCode::payload_too_large;
    case 403: return ApiCode::forbidden_origin;
    case 408: return ApiCode::request_timeout;
    case 415: return ApiCode::unsupported_encoding;
    case 421: return ApiCode::misdirected;
    case 431: return ApiCode::header_too_large;
    case 503: return ApiCode::busy;
    case 501: return ApiCode::not_loaded;
    default: return status >= 500 ? ApiCode::internal : ApiCode::bad_request;
  }
}

void write_error(Response& res, ApiCode code, std::string_view message) {
  res.status = http_status(code);
  nlohmann::json body = {{"code", to_string(code)}, {"message", message}};
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
  if (code == ApiCode::unauthorized) res.set_header("WWW-Authenticate", "Bearer");
  t_error_code = to_string(code);
  res.error_code = t_error_code;
}

void write_postcodes_io_error(Response& res, int status, std::string_view message) {
  res.status = status;
  nlohmann::json body = {{"status", status}, {"error", message}};
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

void rewrite_as_postcodes_io_error(Response& res) {
  nlohmann::json body = nlohmann::json::parse(res.body, nullptr, false);
  std::string message = body.is_object() ? body.value("message", "") : std::string();
  write_postcodes_io_error(res, res.status, message);
}

const char* current_error_code() { return t_error_code; }
void set_current_error_code(const char* code) { t_error_code = code; }

}  // namespace placedist::serve
