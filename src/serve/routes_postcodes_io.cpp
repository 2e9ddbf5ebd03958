// The postcodes.io-compatible surface, so that clients written for api.postcodes.io can ask
// this service on premises instead (children's postcodes should not go to a public API):
//   GET /postcodes/{postcode}, POST /postcodes ({postcodes} or {geolocations}),
//   GET /postcodes?lon=&lat=, GET /postcodes/{postcode}/nearest,
//   GET /postcodes/{postcode}/validate, GET /outcodes/{outcode}.
// postcodes.io's shapes throughout, {status, result} and errors {status, error}, with its field
// names for what placedist knows: postcode, quality (ONSPD's 1-9: Code-Point's / 10), eastings,
// northings, country, longitude, latitude, outcode, incode, admin_district, admin_county (null
// for a unitary council, as postcodes.io), codes {admin_district, admin_county}. Fields
// placedist does not hold (wards, parishes, constituencies, ...) are left out, not faked.
// Only live units located at unit level are found; others answer 404 "Postcode not found".
#include <nlohmann/json.hpp>

#include "src/serve/api_error.hpp"
#include "src/serve/geojson.hpp"
#include "src/serve/json_writer.hpp"
#include "src/serve/metrics.hpp"
#include "src/serve/request.hpp"
#include "src/serve/router.hpp"
#include "src/serve/routes.hpp"
#include "src/serve/service_data.hpp"

using namespace placedist::geo;
using json = nlohmann::json;

namespace placedist::serve {

namespace {

const char* const kJson = "application/json";
constexpr const char* kUnitaryCounty = "E99999999";  // postcodes.io's code for "no county"

const char* country_of(std::string_view gss) {
  if (gss.empty()) return nullptr;
  switch (gss.front()) {
    case 'E': return "England";
    case 'W': return "Wales";
    case 'S': return "Scotland";
    case 'N': return "Northern Ireland";
    default: return nullptr;
  }
}

json nullable(std::string_view text) { return text.empty() ? json() : json(std::string(text)); }

// One postcode as postcodes.io's result object.
json postcode_result(const Postcode& pc, const GeocodeResult& r) {
  std::string_view normalised = pc.normalised();
  std::size_t space = normalised.find(' ');
  bool unitary = r.utla.empty() || r.utla.code == r.ltla.code;
  json out = {{"postcode", std::string(normalised)},
              {"quality", r.quality >= 10 ? r.quality / 10 : r.quality},
              {"eastings", static_cast<long>(std::lround(r.grid.easting))},
              {"northings", static_cast<long>(std::lround(r.grid.northing))},
              {"country", country_of(r.ltla.code) ? json(country_of(r.ltla.code)) : json()},
              {"longitude", round_to(r.position.lon, 6)},
              {"latitude", round_to(r.position.lat, 6)},
              {"outcode", std::string(normalised.substr(0, space))},
              {"incode", space == std::string_view::npos ? std::string() : std::string(normalised.substr(space + 1))},
              {"admin_district", nullable(r.ltla.name)},
              {"admin_county", unitary ? json() : nullable(r.utla.name)},
              {"codes",
               {{"admin_district", nullable(r.ltla.code)},
                {"admin_county", unitary ? json(kUnitaryCounty) : nullable(r.utla.code)}}}};
  return out;
}

bool found(const Postcode& pc, const GeocodeResult& r) {
  return pc.ok() && pc.level == PostcodeLevel::unit && r.status == Outcome::ok && r.match == PostcodeLevel::unit;
}

void answer(Response& res, const json& result) {
  res.set_content(json{{"status", 200}, {"result", result}}.dump(-1, ' ', false, json::error_handler_t::replace),
                  kJson);
}

void not_found(Response& res, const char* message) {
  write_postcodes_io_error(res, 404, message);
  set_current_error_code(to_string(Outcome::not_found));
}

// The nearest live units to a point, each with its distance (metres), nearest first.
json nearest_results(const ServiceData& data, GridRef at, double radius_m, std::size_t limit) {
  json list = json::array();
  for (const NearestIndex::Hit& hit : data.nearest.nearest(at, radius_m, limit)) {
    Postcode pc = parse_postcode(hit.postcode);
    GeocodeResult r = data.gazetteer.lookup(pc);
    if (!found(pc, r)) continue;
    json item = postcode_result(pc, r);
    item["distance"] = round_to(hit.distance_m, 1);
    list.push_back(std::move(item));
  }
  return list;
}

// radius (metres, default 100) and limit (default 10) as postcodes.io takes them; values over
// the service's limits are refused (400), as postcodes.io refuses its own.
struct NearOptions {
  double radius_m;
  std::size_t limit;
};

NearOptions near_options(const Request& req, const Limits& limits) {
  return {query_number(req, "radius", 100, 0, limits.max_nearest_radius_m),
          static_cast<std::size_t>(query_number(req, "limit", 10, 1, static_cast<double>(limits.max_nearest)))};
}

std::string segment(const Request& req) {
  if (!valid_utf8(req.matches[1])) throw ApiError(ApiCode::invalid_utf8, "Invalid postcode");
  return req.matches[1];
}

void get_postcode(const ServiceData& data, Metrics& metrics, const Request& req, Response& res) {
  Postcode pc = data.gazetteer.parse(segment(req));
  metrics.add_postcodes(1);
  if (!pc.ok() || pc.level != PostcodeLevel::unit) return not_found(res, "Invalid postcode");
  GeocodeResult r = data.gazetteer.lookup(pc);
  if (!found(pc, r)) return not_found(res, "Postcode not found");
  answer(res, postcode_result(pc, r));
}

void get_validate(const ServiceData& data, const Request& req, Response& res) {
  Postcode pc = data.gazetteer.parse(segment(req));
  bool valid = pc.ok() && pc.level == PostcodeLevel::unit && found(pc, data.gazetteer.lookup(pc));
  answer(res, valid);
}

void get_nearest_to_postcode(const ServiceData& data, const Limits& limits, const Request& req, Response& res) {
  Postcode pc = data.gazetteer.parse(segment(req));
  if (!pc.ok() || pc.level != PostcodeLevel::unit) return not_found(res, "Invalid postcode");
  GeocodeResult r = data.gazetteer.lookup(pc);
  if (!found(pc, r)) return not_found(res, "Postcode not found");
  NearOptions near = near_options(req, limits);
  answer(res, nearest_results(data, r.grid, near.radius_m, near.limit));
}

// GET /postcodes?lon=&lat= (also longitude=, latitude=): result null when none is near.
void get_reverse(const ServiceData& data, const Limits& limits, const Request& req, Response& res) {
  const char* lon_name = req.has_param("lon") ? "lon" : "longitude";
  const char* lat_name = req.has_param("lat") ? "lat" : "latitude";
  if (!req.has_param(lon_name) || !req.has_param(lat_name))
    throw ApiError(ApiCode::missing_parameter, "Invalid longitude/latitude submitted");
  LonLat at{query_number(req, lon_name, 0, -180, 180), query_number(req, lat_name, 0, -90, 90)};
  NearOptions near = near_options(req, limits);
  GridRef grid = thread_crs().to_bng(at);
  json list = is_finite(grid) ? nearest_results(data, grid, near.radius_m, near.limit) : json::array();
  answer(res, list.empty() ? json() : list);
}

// POST /postcodes: {"postcodes": [...]} or {"geolocations": [{longitude, latitude[, radius, limit]}]}.
void post_bulk(const ServiceData& data, Metrics& metrics, const Limits& limits, const Request& req, Response& res) {
  json body = parse_json_body(req, limits.max_rows);
  if (!body.is_object() || (!body.contains("postcodes") && !body.contains("geolocations")))
    throw ApiError(ApiCode::invalid_value,
                   "Invalid JSON query submitted. You need to submit a JSON object with an array of postcodes or "
                   "geolocation objects");
  json results = json::array();
  if (auto list = body.find("postcodes"); list != body.end()) {
    if (!list->is_array())
      throw ApiError(ApiCode::wrong_type, "Invalid data submitted. You need to provide a JSON array");
    std::vector<Postcode> parsed;
    parsed.reserve(list->size());
    for (const json& item : *list) parsed.push_back(data.gazetteer.parse(item.is_string() ? item.get<std::string>() : ""));
    std::vector<GeocodeResult> found_results(parsed.size());
    data.gazetteer.lookup(parsed, found_results);
    for (std::size_t i = 0; i < parsed.size(); ++i) {
      bool ok = parsed[i].level == PostcodeLevel::unit && found(parsed[i], found_results[i]);
      results.push_back(
          {{"query", (*list)[i]}, {"result", ok ? postcode_result(parsed[i], found_results[i]) : json()}});
    }
    metrics.add_postcodes(parsed.size());
    return answer(res, results);
  }
  const json& list = body["geolocations"];
  if (!list.is_array()) throw ApiError(ApiCode::wrong_type, "Invalid data submitted. You need to provide a JSON array");
  // Each may return up to --max-nearest postcodes: the rows limit counts those.
  const std::size_t max_points = std::max<std::size_t>(1, limits.max_rows / limits.max_nearest);
  if (list.size() > max_points)
    throw ApiError(ApiCode::too_many_rows,
                   std::to_string(list.size()) + " geolocations; the limit is " + std::to_string(max_points));
  for (const json& point : list) {
    json result;
    if (point.is_object() && point.contains("longitude") && point.contains("latitude") &&
        point["longitude"].is_number() && point["latitude"].is_number()) {
      double radius = number_member(point, "radius", 100, 0, limits.max_nearest_radius_m);
      double limit = number_member(point, "limit", 10, 1, static_cast<double>(limits.max_nearest));
      GridRef grid = thread_crs().to_bng({point["longitude"].get<double>(), point["latitude"].get<double>()});
      json near =
          is_finite(grid) ? nearest_results(data, grid, radius, static_cast<std::size_t>(limit)) : json::array();
      if (!near.empty()) result = std::move(near);
    }
    results.push_back({{"query", point}, {"result", result}});
  }
  answer(res, results);
}

// GET /outcodes/{outcode}: the district's centroid and councils (from its centroid's councils).
void get_outcode(const ServiceData& data, const Request& req, Response& res) {
  Postcode pc = data.gazetteer.parse(segment(req));
  if (!pc.ok() || pc.level != PostcodeLevel::district) return not_found(res, "Outcode not found");
  GeocodeResult r = data.gazetteer.lookup(pc);
  if (!r.located()) return not_found(res, "Outcode not found");
  bool unitary = r.utla.empty() || r.utla.code == r.ltla.code;
  json district = r.ltla.empty() ? json::array() : json::array({std::string(r.ltla.name)});
  json county = unitary ? json::array() : json::array({std::string(r.utla.name)});
  json country = country_of(r.ltla.code) ? json::array({country_of(r.ltla.code)}) : json::array();
  answer(res, {{"outcode", std::string(pc.normalised())},
               {"longitude", round_to(r.position.lon, 6)},
               {"latitude", round_to(r.position.lat, 6)},
               {"eastings", static_cast<long>(std::lround(r.grid.easting))},
               {"northings", static_cast<long>(std::lround(r.grid.northing))},
               {"admin_district", district},
               {"admin_county", county},
               {"country", country}});
}

}  // namespace

void add_postcodes_io_routes(Router& router, const RouteContext& context) {
  const ServiceData& data = context.data;
  const Limits& limits = context.options.limits;
  Metrics& metrics = context.metrics;
  constexpr ErrorStyle io = ErrorStyle::postcodes_io;
  router.get(
      "/postcodes/{postcode}",
      [&data, &metrics](const Request& req, Response& res) { get_postcode(data, metrics, req, res); }, Work::light, io);
  router.post(
      "/postcodes",
      [&data, &metrics, &limits](const Request& req, Response& res) { post_bulk(data, metrics, limits, req, res); },
      Work::heavy, io);
  router.get(
      "/postcodes", [&data, &limits](const Request& req, Response& res) { get_reverse(data, limits, req, res); },
      Work::light, io);
  router.get(
      "/postcodes/{postcode}/nearest",
      [&data, &limits](const Request& req, Response& res) { get_nearest_to_postcode(data, limits, req, res); },
      Work::light, io);
  router.get(
      "/postcodes/{postcode}/validate", [&data](const Request& req, Response& res) { get_validate(data, req, res); },
      Work::light, io);
  router.get(
      "/outcodes/{outcode}", [&data](const Request& req, Response& res) { get_outcode(data, req, res); }, Work::light,
      io);
}

}  // namespace placedist::serve
