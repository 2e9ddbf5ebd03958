// libFuzzer target: what the service reads from a request before any handler logic, through
// the service's own functions (src/serve/http_message.hpp, request.hpp): the request target
// split and percent-decoded into path and query parameters, the parameters read as text, flags
// and bounded numbers; the body as JSON under the row limits (parse_json_body), its members;
// and the body as CSV placements, as POST /v1/analyse reads text/csv. The input is the request
// target, a newline, then the body. Refusals are ApiError/InputError; what is accepted must
// keep the documented limits: no JSON array longer than max_items, no nesting deeper than
// kMaxJsonDepth, numbers within their range.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "geo/io/csv_reader.hpp"
#include "src/analysis/input_error.hpp"
#include "src/analysis/placement_input.hpp"
#include "src/serve/api_error.hpp"
#include "src/serve/http_message.hpp"
#include "src/serve/request.hpp"
#include "tests/fuzz/fuzz_file.hpp"

namespace {

using namespace placedist::serve;
using placedist::fuzz::require;

constexpr std::size_t kMaxItems = 16;  // small, so that fuzzing reaches the limit often

// Depth (the top value is 1) and the longest array, of an accepted document.
void check_limits(const nlohmann::json& value, int depth) {
  require(depth <= kMaxJsonDepth + 1);
  if (value.is_array()) require(value.size() <= kMaxItems);
  if (value.is_structured())
    for (const auto& item : value) check_limits(item, depth + 1);
}

void read_parameters(const Request& req) {
  for (const char* name : {"miles", "mode", "la", "zone", "limit", "radius", "postcode", "q"}) {
    try {
      (void)query(req, name);
    } catch (const ApiError&) {}
    try {
      (void)query_flag(req, name, false);
    } catch (const ApiError&) {}
    try {
      if (req.has_param(name)) {
        const double v = query_number(req, name, 0, -5, 100);
        require(v >= -5 && v <= 100);
      }
      const double m = miles_query(req, 100);
      require(m >= 0.1 && m <= 100);
    } catch (const ApiError&) {}
    try {
      (void)required_query(req, name);
    } catch (const ApiError&) {}
  }
}

void read_json_body(const Request& req) {
  nlohmann::json body;
  try {
    body = parse_json_body(req, kMaxItems);
  } catch (const ApiError&) {
    return;
  }
  check_limits(body, 1);
  for (const char* name : {"placements", "postcodes", "homes", "from", "to", "miles", "min_places"}) {
    try {
      (void)member(body, name);
    } catch (const ApiError&) {}
    try {
      const double v = number_member(body, name, 1, 0, 1e6);
      require(v >= 0 && v <= 1e6);
      const double m = miles_member(body, 100);
      require(m >= 0.1 && m <= 100);
    } catch (const ApiError&) {}
  }
}

// As POST /v1/analyse reads a text/csv body: UTF-8 first, then the placements reader.
void read_csv_body(const Request& req) {
  if (!valid_utf8(req.body)) return;
  try {
    placedist::analysis::InputRead read = placedist::analysis::read_placements_text(req.body, {});
    require(read.rows.size() <= read.records);
  } catch (const placedist::analysis::InputError&) {
  } catch (const placedist::geo::CsvError&) {}
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  Request req;
  req.method = "POST";
  req.target = std::string(input.substr(0, newline));
  if (newline != std::string_view::npos) req.body = std::string(input.substr(newline + 1));
  if (parse_target(req.target, req.path, req.params)) {
    // A target with nothing to decode is its own path.
    if (req.target.find_first_of("%?") == std::string::npos) require(req.path == req.target);
    read_parameters(req);
  }
  read_json_body(req);
  read_csv_body(req);
  return 0;
}
