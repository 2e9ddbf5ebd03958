#include "src/serve/request.hpp"

#include "src/serve/http_message.hpp"

#include <charconv>
#include <vector>
#include <cmath>
#include <nlohmann/json.hpp>

#include "geo/io/number_text.hpp"
#include "geo/io/utf8_text.hpp"
#include "src/serve/api_error.hpp"

using namespace placedist::geo;

namespace placedist::serve {

bool valid_utf8(std::string_view text) { return geo::valid_utf8(text); }

nlohmann::json parse_json_body(const Request& req, std::size_t max_items) {
  if (!valid_utf8(req.body)) throw ApiError(ApiCode::invalid_utf8, "the request body is not valid UTF-8");
  // Items of each open array (by depth), and values overall; the callback runs as the parser
  // goes, so a hostile body is refused before its document is built.
  std::vector<std::size_t> items(kMaxJsonDepth + 2, 0);
  std::vector<bool> is_array(kMaxJsonDepth + 2, false);
  std::size_t values = 0;
  const std::size_t max_values = 8 * max_items + 1024;
  auto limit = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json&) {
    using Event = nlohmann::json::parse_event_t;
    if (depth > kMaxJsonDepth)
      throw ApiError(ApiCode::invalid_value, "the JSON body nests deeper than " + std::to_string(kMaxJsonDepth));
    auto d = static_cast<std::size_t>(depth);
    if (event == Event::array_start || event == Event::object_start) {
      // The container itself is an item of its parent.
      if (d > 0 && is_array[d - 1] && ++items[d - 1] > max_items)
        throw ApiError(ApiCode::too_many_rows, "an array of the body has more than " + std::to_string(max_items) +
                                                   " items (--max-rows)");
      is_array[d] = event == Event::array_start;
      items[d] = 0;
    } else if (event == Event::value) {
      if (d > 0 && is_array[d - 1] && ++items[d - 1] > max_items)
        throw ApiError(ApiCode::too_many_rows, "an array of the body has more than " + std::to_string(max_items) +
                                                   " items (--max-rows)");
    }
    if (++values > max_values)
      throw ApiError(ApiCode::too_many_rows, "the JSON body has more than " + std::to_string(max_values) + " values");
    return true;
  };
  nlohmann::json body = nlohmann::json::parse(req.body, limit, false);
  if (body.is_discarded()) throw ApiError(ApiCode::malformed_json, "the request body is not valid JSON");
  return body;
}

std::optional<std::string> query(const Request& req, const char* name) {
  if (!req.has_param(name)) return std::nullopt;
  std::string value = req.get_param_value(name);
  if (!valid_utf8(value))
    throw ApiError(ApiCode::invalid_utf8, std::string("parameter ") + name + " is not valid UTF-8");
  return value;
}

std::string required_query(const Request& req, const char* name) {
  auto value = query(req, name);
  if (!value) throw ApiError(ApiCode::missing_parameter, std::string("parameter ") + name + " is required");
  return *value;
}

namespace {
void check_range(const char* name, double value, double min, double max) {
  if (!std::isfinite(value) || value < min || value > max) {
    throw ApiError(ApiCode::invalid_value,
                   std::string(name) + " must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
}

double hundredths(double miles) { return round_to(miles, 2); }
}  // namespace

bool query_flag(const Request& req, const char* name, bool fallback) {
  auto text = query(req, name);
  if (!text) return fallback;
  if (*text == "true" || *text == "1") return true;
  if (*text == "false" || *text == "0") return false;
  throw ApiError(ApiCode::invalid_value, std::string("parameter ") + name + " must be true or false");
}

double query_number(const Request& req, const char* name, double fallback, double min, double max) {
  auto text = query(req, name);
  if (!text) return fallback;
  double value = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || ptr != text->data() + text->size() || text->empty())
    throw ApiError(ApiCode::wrong_type, std::string("parameter ") + name + " must be a number");
  check_range(name, value, min, max);
  return value;
}

const nlohmann::json& member(const nlohmann::json& body, const char* name) {
  if (!body.is_object()) throw ApiError(ApiCode::wrong_type, "the request body must be a JSON object");
  auto it = body.find(name);
  if (it == body.end()) throw ApiError(ApiCode::missing_parameter, std::string("member ") + name + " is required");
  return *it;
}

double number_member(const nlohmann::json& body, const char* name, double fallback, double min, double max) {
  if (!body.is_object()) throw ApiError(ApiCode::wrong_type, "the request body must be a JSON object");
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return fallback;
  if (!it->is_number()) throw ApiError(ApiCode::wrong_type, std::string("member ") + name + " must be a number");
  double value = it->get<double>();
  check_range(name, value, min, max);
  return value;
}

bool road_mode(std::string_view mode, bool roads_loaded) {
  if (mode == "straight") return false;
  if (mode != "road") throw ApiError(ApiCode::invalid_value, "mode must be straight or road");
  if (!roads_loaded)
    throw ApiError(ApiCode::not_loaded, "mode=road needs a road network: start the server with --roads FILE");
  return true;
}

double miles_query(const Request& req, double max_miles) {
  return hundredths(query_number(req, "miles", 20, 0.1, max_miles));
}

double miles_member(const nlohmann::json& body, double max_miles) {
  return hundredths(number_member(body, "miles", 20, 0.1, max_miles));
}

}  // namespace placedist::serve
