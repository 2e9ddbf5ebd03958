// GET /v1/postcodes/{postcode}, POST /v1/postcodes (bulk), GET /v1/postcodes?lon=&lat=
// (nearest), GET /v1/sectors/{sector}, GET /v1/districts/{district}.
#include "src/serve/http_message.hpp"

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
using namespace placedist::shapes;
using namespace placedist::maps;
using namespace placedist::analysis;

namespace placedist::serve {

namespace {

const char* const kJson = "application/json";

void answer_single(Response& res, std::string_view query, const Postcode& pc, const GeocodeResult& r,
                   const std::string& extra = {}) {
  std::string body;
  append_geocode_json(body, query, pc, r);
  if (!extra.empty()) {
    body.pop_back();
    body += extra;
    body.push_back('}');
  }
  res.status = http_status(r.status);
  if (res.status >= 400) set_current_error_code(to_string(r.status));
  res.set_content(std::move(body), kJson);
}

// The postcodes of a bulk request: {"postcodes": [...]}, a bare JSON array, or text with
// one postcode per line (Content-Type text/plain or text/csv).
std::vector<std::string> bulk_postcodes(const Request& req, std::size_t max_rows) {
  const Limits limits{.max_rows = max_rows};
  std::vector<std::string> out;
  std::string type = req.get_header_value("Content-Type");
  if (type.rfind("text/", 0) == 0) {
    if (!valid_utf8(req.body)) throw ApiError(ApiCode::invalid_utf8, "the request body is not valid UTF-8");
    std::size_t start = 0;
    while (start < req.body.size()) {
      std::size_t end = req.body.find('\n', start);
      if (end == std::string::npos) end = req.body.size();
      std::string_view line(req.body.data() + start, end - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!line.empty()) {
        if (out.size() == max_rows)
          throw ApiError(ApiCode::too_many_rows, "more than " + std::to_string(max_rows) + " postcodes in one request");
        out.emplace_back(line);
      }
      start = end + 1;
    }
    return out;
  }
  nlohmann::json body = parse_json_body(req, limits.max_rows);
  const nlohmann::json& list = body.is_array() ? body : member(body, "postcodes");
  if (!list.is_array()) throw ApiError(ApiCode::wrong_type, "postcodes must be an array of strings");
  if (list.size() > max_rows)
    throw ApiError(ApiCode::too_many_rows, std::to_string(list.size()) + " postcodes in one request; the limit is " +
                                               std::to_string(max_rows) + " (--max-rows)");
  out.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_string())
      throw ApiError(ApiCode::wrong_type, "postcodes[" + std::to_string(i) + "] must be a string");
    out.push_back(list[i].get<std::string>());
  }
  return out;
}

// A path segment as typed, refused unless it is UTF-8 (`what`: "the postcode", ...).
std::string typed_segment(const Request& req, const char* what) {
  const std::string& typed = req.matches[1];
  if (!valid_utf8(typed)) throw ApiError(ApiCode::invalid_utf8, std::string(what) + " is not valid UTF-8");
  return typed;
}

void get_postcode(const ServiceData& data, Metrics& metrics, const Request& req, Response& res) {
  const std::string typed = typed_segment(req, "the postcode");
  Postcode pc = data.gazetteer.parse(typed);
  metrics.add_postcodes(1);
  answer_single(res, typed, pc, data.gazetteer.lookup(pc));
}

void post_postcodes(const ServiceData& data, Metrics& metrics, const Limits& limits, const Request& req,
                    Response& res) {
  std::vector<std::string> postcodes = bulk_postcodes(req, limits.max_rows);
  std::vector<Postcode> parsed(postcodes.size());
  for (std::size_t i = 0; i < postcodes.size(); ++i) parsed[i] = data.gazetteer.parse(postcodes[i]);
  std::vector<GeocodeResult> results(postcodes.size());
  data.gazetteer.lookup(parsed, results);  // batched: memory loads overlap
  std::string body;
  body.reserve(postcodes.size() * 260 + 64);
  body += "{\"count\":";
  body += std::to_string(postcodes.size());
  body += ",\"results\":[";
  for (std::size_t i = 0; i < postcodes.size(); ++i) {
    if (i) body.push_back(',');
    append_geocode_json(body, postcodes[i], parsed[i], results[i]);
  }
  body += "]}";
  metrics.add_postcodes(postcodes.size());
  res.set_content(std::move(body), kJson);
}

// GET /v1/postcodes?lon=&lat=, parsed: where, how far (metres) and how many.
struct NearestQuery {
  LonLat at;
  double radius_m = 0;
  std::size_t limit = 0;
};

NearestQuery parse_nearest_query(const Request& req, const Limits& limits) {
  if (!req.has_param("lon") || !req.has_param("lat"))
    throw ApiError(ApiCode::missing_parameter, "give lon and lat (WGS84 degrees) for the nearest postcodes");
  NearestQuery q;
  q.at = {query_number(req, "lon", 0, -180, 180), query_number(req, "lat", 0, -90, 90)};
  q.radius_m = query_number(req, "radius", 100, 0, limits.max_nearest_radius_m);
  q.limit = static_cast<std::size_t>(query_number(req, "limit", 10, 1, static_cast<double>(limits.max_nearest)));
  return q;
}

void get_nearest(const ServiceData& data, const Limits& limits, const Request& req, Response& res) {
  const NearestQuery q = parse_nearest_query(req, limits);
  GridRef grid = thread_crs().to_bng(q.at);
  std::string body = "{\"results\":[";
  if (is_finite(grid)) {
    bool first = true;
    for (const NearestIndex::Hit& hit : data.nearest.nearest(grid, q.radius_m, q.limit)) {
      if (!first) body.push_back(',');
      first = false;
      Postcode pc = parse_postcode(hit.postcode);
      append_geocode_json(body, hit.postcode, pc, data.gazetteer.lookup(pc));
      body.pop_back();
      body += ",\"distance_m\":";
      append_json_number(body, hit.distance_m, 1);
      body.push_back('}');
    }
  }
  body += "]}";
  res.set_content(std::move(body), kJson);
}

void get_sector(const ServiceData& data, const Request& req, Response& res) {
  const std::string typed = typed_segment(req, "the sector");
  Postcode pc = data.gazetteer.parse(typed);
  if (pc.ok() && pc.level != PostcodeLevel::sector)
    throw ApiError(ApiCode::invalid_value, "not a postcode sector (e.g. HP20 1)");
  std::string extra;
  if (auto it = data.sector_index.find(std::string(pc.normalised())); pc.ok() && it != data.sector_index.end())
    extra = ",\"live_units\":" + std::to_string(data.sectors[it->second].units);
  answer_single(res, typed, pc, data.gazetteer.lookup(pc), extra);
}

// A district's sectors and their live units, as members to add to its answer.
std::string district_members(const ServiceData& data, const Postcode& district) {
  std::string prefix = std::string(district.normalised()) + " ";
  std::string extra = ",\"sectors\":[";
  bool first = true;
  std::uint32_t units = 0;
  for (const SectorInfo& s : data.sectors) {
    if (s.sector.rfind(prefix, 0) != 0) continue;
    if (!first) extra.push_back(',');
    first = false;
    append_json_string(extra, s.sector);
    units += s.units;
  }
  extra += "],\"live_units\":" + std::to_string(units);
  return extra;
}

void get_district(const ServiceData& data, const Request& req, Response& res) {
  const std::string typed = typed_segment(req, "the district");
  Postcode pc = data.gazetteer.parse(typed);
  if (pc.ok() && pc.level != PostcodeLevel::district)
    throw ApiError(ApiCode::invalid_value, "not a postcode district (outward code, e.g. HP20)");
  answer_single(res, typed, pc, data.gazetteer.lookup(pc), pc.ok() ? district_members(data, pc) : std::string());
}

}  // namespace

void add_postcode_routes(Router& router, const RouteContext& context) {
  const ServiceData& data = context.data;
  const Limits& limits = context.options.limits;
  Metrics& metrics = context.metrics;
  using Req = Request;
  using Res = Response;
  router.get("/v1/postcodes/{postcode}",
             [&data, &metrics](const Req& req, Res& res) { get_postcode(data, metrics, req, res); });
  router.post("/v1/postcodes", [&data, &metrics, &limits](const Req& req, Res& res) {
    post_postcodes(data, metrics, limits, req, res);
  }, Work::heavy);
  router.get("/v1/postcodes", [&data, &limits](const Req& req, Res& res) { get_nearest(data, limits, req, res); });
  router.get("/v1/sectors/{sector}", [&data](const Req& req, Res& res) { get_sector(data, req, res); });
  router.get("/v1/districts/{district}", [&data](const Req& req, Res& res) { get_district(data, req, res); });
}

}  // namespace placedist::serve
