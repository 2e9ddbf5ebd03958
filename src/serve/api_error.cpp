#include "src/serve/api_error.hpp"

#include <httplib.h>

#include <nlohmann/json.hpp>

using namespace placedist::geo;

namespace placedist::serve {

namespace {
thread_local const char* t_error_code = "";
}

const char* to_string(ApiCode code) {
  switch (code) {
    case ApiCode::bad_request: return "bad_request";
    case ApiCode::malformed_json: return "malformed_json";
    case ApiCode::wrong_type: return "wrong_type";
    case ApiCode::missing_parameter: return "missing_parameter";
    case ApiCode::invalid_value: return "invalid_value";
    case ApiCode::invalid_utf8: return "invalid_utf8";
    case ApiCode::unauthorized: return "unauthorized";
    case ApiCode::not_found: return "not_found";
    case ApiCode::payload_too_large: return "payload_too_large";
    case ApiCode::too_many_rows: return "too_many_rows";
    case ApiCode::not_loaded: return "not_loaded";
    case ApiCode::internal: return "internal";
  }
  return "internal";
}

int http_status(ApiCode code) {
  switch (code) {
    case ApiCode::bad_request:
    case ApiCode::malformed_json:
    case ApiCode::wrong_type:
    case ApiCode::missing_parameter:
    case ApiCode::invalid_value:
    case ApiCode::invalid_utf8: return 400;
    case ApiCode::unauthorized: return 401;
    case ApiCode::not_found: return 404;
    case ApiCode::payload_too_large:
    case ApiCode::too_many_rows: return 413;
    case ApiCode::not_loaded: return 501;
    case ApiCode::internal: return 500;
  }
  return 500;
}

int http_status(GeocodeStatus status) {
  switch (status) {
    case GeocodeStatus::ok:
    case GeocodeStatus::terminated:
    case GeocodeStatus::approximate: return 200;
    case GeocodeStatus::empty:
    case GeocodeStatus::malformed: return 400;
    case GeocodeStatus::non_geographic:
    case GeocodeStatus::unknown:
    case GeocodeStatus::no_coordinates: return 404;
  }
  return 500;
}

ApiCode code_for_status(int status) {
  switch (status) {
    case 401: return ApiCode::unauthorized;
    case 404: return ApiCode::not_found;
    case 413: return ApiCode::payload_too_large;
    case 501: return ApiCode::not_loaded;
    default: return status >= 500 ? ApiCode::internal : ApiCode::bad_request;
  }
}

void write_error(httplib::Response& res, ApiCode code, std::string_view message) {
  res.status = http_status(code);
  nlohmann::json body = {{"code", to_string(code)}, {"message", message}};
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
  if (code == ApiCode::unauthorized) res.set_header("WWW-Authenticate", "Bearer");
  t_error_code = to_string(code);
}

const char* current_error_code() { return t_error_code; }
void set_current_error_code(const char* code) { t_error_code = code; }

}  // namespace placedist::serve
