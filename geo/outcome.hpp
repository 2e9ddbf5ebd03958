#pragma once
// The one vocabulary of outcomes every room answers in, each with a stable string code that
// outputs carry (CSV status columns, JSON bodies, report tables), grouped as PROJ groups its
// errors. Each room names the subset it gives (geo::GeocodeStatus, geo::roads::RoadStatus,
// maps::RowStatus, shapes::BoundaryErrorCode, serve::ApiCode are this type), and each front end
// turns groups into its own answers in exactly one place: exit codes in src/cli/commands.cpp,
// HTTP statuses in src/serve/api_error.cpp.
//
// Per-item outcomes (a postcode, a journey, a row) are values: processing goes on. Whole-run or
// whole-request failures are thrown as Failure.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace placedist {

enum class OutcomeGroup : std::uint8_t {
  success,     // ok
  warning,     // answered, with a caveat (terminated, approximate, uasc)
  unanswered,  // this item could not be answered (a postcode, a route, a row); the run goes on
  request,     // the request, its arguments or its input are wrong (command: exit 2; HTTP 4xx)
  data,        // a data file is missing, broken or not loaded (command: exit 3)
  internal,    // a bug
};

enum class Outcome : std::uint8_t {
  // Geocoding a postcode (geo::GeocodeStatus); ok, terminated and approximate are located.
  ok,
  terminated,      // warning: the postcode is no longer in use; its last location is given
  approximate,     // warning: not found at the level asked; a sector or district centroid is given
  empty,           // no postcode given
  malformed,       // not a UK postcode
  non_geographic,  // a real but non-geographic postcode (BFPO, GIR 0AA, ZZ99 ...)
  unknown,         // well-formed but not in the directory
  no_coordinates,  // in the directory without a grid reference
  // A road journey (geo::roads::RoadStatus), besides ok.
  no_road_within_radius,  // inside the network's area, but no drivable road within the snap radius
  no_route,               // both ends snapped, but no drivable route joins them
  outside_network,        // the location lies outside the area covered by the loaded network(s)
  // An analysed placement (maps::RowStatus), besides ok, terminated and approximate.
  uasc,                   // unaccompanied asylum-seeking child: distance blank by rule
  home_not_located,       // the home postcode is empty, malformed, unknown, ...
  placement_not_located,  // the placement postcode is
  not_located,            // neither is
  bad_row,                // the input row itself is unusable (too few fields, a bad date)
  // A request or a command line (serve::ApiCode).
  bad_request,        // a request the server cannot read
  malformed_json,     // the body is not JSON
  wrong_type,         // a member or parameter has the wrong type
  missing_parameter,  // a required member, parameter or argument is absent
  invalid_value,      // a value out of its documented range; input that cannot be used
  invalid_utf8,       // text that is not valid UTF-8
  unauthorized,       // no or wrong bearer token
  not_found,          // no such route, council or file
  payload_too_large,  // the body exceeds the limit
  too_many_rows,      // more rows than the limit
  forbidden_origin,      // a request from a web origin that is not allowed (Origin)
  misdirected,           // a host name (Host) this server does not answer for
  unsupported_encoding,  // a compressed request body (Content-Encoding)
  header_too_large,      // the request line and headers exceed the limit
  request_timeout,       // the request did not arrive in time
  busy,                  // too many connections or queued requests: try again
  // Data files (shapes::BoundaryErrorCode and the files placedist builds).
  not_loaded,        // the data or feature this needs is not loaded
  unreadable,        // a file is missing or no reader can open it
  layer_missing,     // the named layer does not exist, or the source has no layer
  field_missing,     // a field is absent, or none could be detected
  field_ambiguous,   // several fields could be the one wanted: name one
  crs_missing,       // the layer declares no CRS and none was assumed
  transform_failed,  // a geometry could not be reprojected
  no_polygons,       // no feature had a polygon geometry
  corrupt,           // a file placedist built is damaged or of another version
  internal,          // a bug
};

const char* to_string(Outcome outcome);  // the stable code: "ok", "no_route", "invalid_value", ...
std::optional<Outcome> parse_outcome(std::string_view code);
OutcomeGroup group(Outcome outcome);

// A whole run or request that cannot go on, with its outcome and a message for the user.
class Failure : public std::runtime_error {
 public:
  Failure(Outcome outcome, const std::string& message) : std::runtime_error(message), m_outcome(outcome) {}
  Outcome outcome() const { return m_outcome; }

 private:
  Outcome m_outcome;
};

}  // namespace placedist
