#include "geo/outcome.hpp"

namespace placedist {

const char* to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::ok: return "ok";
    case Outcome::terminated: return "terminated";
    case Outcome::approximate: return "approximate";
    case Outcome::empty: return "empty";
    case Outcome::malformed: return "malformed";
    case Outcome::non_geographic: return "non_geographic";
    case Outcome::unknown: return "unknown";
    case Outcome::no_coordinates: return "no_coordinates";
    case Outcome::no_road_within_radius: return "no_road_within_radius";
    case Outcome::no_route: return "no_route";
    case Outcome::outside_network: return "outside_network";
    case Outcome::uasc: return "uasc";
    case Outcome::home_not_located: return "home_not_located";
    case Outcome::placement_not_located: return "placement_not_located";
    case Outcome::not_located: return "not_located";
    case Outcome::bad_row: return "bad_row";
    case Outcome::bad_request: return "bad_request";
    case Outcome::malformed_json: return "malformed_json";
    case Outcome::wrong_type: return "wrong_type";
    case Outcome::missing_parameter: return "missing_parameter";
    case Outcome::invalid_value: return "invalid_value";
    case Outcome::invalid_utf8: return "invalid_utf8";
    case Outcome::unauthorized: return "unauthorized";
    case Outcome::not_found: return "not_found";
    case Outcome::payload_too_large: return "payload_too_large";
    case Outcome::too_many_rows: return "too_many_rows";
    case Outcome::forbidden_origin: return "forbidden_origin";
    case Outcome::misdirected: return "misdirected";
    case Outcome::unsupported_encoding: return "unsupported_encoding";
    case Outcome::header_too_large: return "header_too_large";
    case Outcome::request_timeout: return "request_timeout";
    case Outcome::busy: return "busy";
    case Outcome::not_loaded: return "not_loaded";
    case Outcome::unreadable: return "unreadable";
    case Outcome::layer_missing: return "layer_missing";
    case Outcome::field_missing: return "field_missing";
    case Outcome::field_ambiguous: return "field_ambiguous";
    case Outcome::crs_missing: return "crs_missing";
    case Outcome::transform_failed: return "transform_failed";
    case Outcome::no_polygons: return "no_polygons";
    case Outcome::corrupt: return "corrupt";
    case Outcome::internal: return "internal";
  }
  return "internal";
}

std::optional<Outcome> parse_outcome(std::string_view code) {
  for (int i = 0; i <= static_cast<int>(Outcome::internal); ++i)
    if (code == to_string(static_cast<Outcome>(i))) return static_cast<Outcome>(i);
  return std::nullopt;
}

OutcomeGroup group(Outcome outcome) {
  switch (outcome) {
    case Outcome::ok: return OutcomeGroup::success;
    case Outcome::terminated:
    case Outcome::approximate:
    case Outcome::uasc: return OutcomeGroup::warning;
    case Outcome::empty:
    case Outcome::malformed:
    case Outcome::non_geographic:
    case Outcome::unknown:
    case Outcome::no_coordinates:
    case Outcome::no_road_within_radius:
    case Outcome::no_route:
    case Outcome::outside_network:
    case Outcome::home_not_located:
    case Outcome::placement_not_located:
    case Outcome::not_located:
    case Outcome::bad_row: return OutcomeGroup::unanswered;
    case Outcome::bad_request:
    case Outcome::malformed_json:
    case Outcome::wrong_type:
    case Outcome::missing_parameter:
    case Outcome::invalid_value:
    case Outcome::invalid_utf8:
    case Outcome::unauthorized:
    case Outcome::not_found:
    case Outcome::payload_too_large:
    case Outcome::too_many_rows:
    case Outcome::forbidden_origin:
    case Outcome::misdirected:
    case Outcome::unsupported_encoding:
    case Outcome::header_too_large:
    case Outcome::request_timeout:
    case Outcome::busy: return OutcomeGroup::request;
    case Outcome::not_loaded:
    case Outcome::unreadable:
    case Outcome::layer_missing:
    case Outcome::field_missing:
    case Outcome::field_ambiguous:
    case Outcome::crs_missing:
    case Outcome::transform_failed:
    case Outcome::no_polygons:
    case Outcome::corrupt: return OutcomeGroup::data;
    case Outcome::internal: return OutcomeGroup::internal;
  }
  return OutcomeGroup::internal;
}

}  // namespace placedist
