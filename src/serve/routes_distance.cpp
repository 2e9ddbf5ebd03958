// GET /v1/distance?from=&to=&mode=straight|road and POST /v1/matrix (mode=road adds road cells).
// DfE miles: British National Grid straight line, rounded to 0.1 mile; geodesic: WGS84.
#include <httplib.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "geo/distance.hpp"
#include "geo/roads/road_precision.hpp"
#include "src/serve/api_error.hpp"
#include "src/serve/json_writer.hpp"
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

// As `placedist distance --roads --json`: numbers only when the route is ok (snap distances
// whenever that end snapped), null otherwise. Miles are international miles (1609.344 m).
void append_road_json(std::string& out, const roads::RoadResult& r) {
  const bool ok = r.status == roads::RoadStatus::ok;
  auto value = [&out](bool known, double v, int decimals) {
    if (known && std::isfinite(v))
      append_json_number(out, v, decimals);
    else
      out += "null";
  };
  out += "{\"status\":";
  append_json_string(out, to_string(r.status));
  out += ",\"miles\":";
  value(ok, r.fastest_metres / kMetresPerMile, roads::kRoadMilesDecimals);
  out += ",\"minutes\":";
  value(ok, r.fastest_seconds / 60, roads::kRoadMinutesDecimals);
  out += ",\"shortest_miles\":";
  value(ok, r.shortest_metres / kMetresPerMile, roads::kRoadMilesDecimals);
  out += ",\"from_snap_m\":";
  value(true, r.from_snap_m, roads::kSnapMetresDecimals);
  out += ",\"to_snap_m\":";
  value(true, r.to_snap_m, roads::kSnapMetresDecimals);
  out.push_back('}');
}

std::vector<std::string> string_list(const nlohmann::json& body, const char* name) {
  const nlohmann::json& list = member(body, name);
  if (!list.is_array()) throw ApiError(ApiCode::wrong_type, std::string(name) + " must be an array of strings");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_string())
      throw ApiError(ApiCode::wrong_type, std::string(name) + "[" + std::to_string(i) + "] must be a string");
    out.push_back(list[i].get<std::string>());
  }
  return out;
}

// Road cells of a matrix: one many-to-many query between the located ends. As the distance
// answer: road_miles and road_minutes of the fastest route, shortest_road_miles, road_status
// (null numbers unless ok; status null where either end is not located).
void append_road_matrix(std::string& out, const ServiceData& data, const std::vector<GeocodeResult>& a,
                        const std::vector<GeocodeResult>& b) {
  std::vector<LonLat> from, to;
  std::vector<long> row(a.size(), -1), column(b.size(), -1);
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].located()) row[i] = static_cast<long>(from.size()), from.push_back(a[i].position);
  for (std::size_t j = 0; j < b.size(); ++j)
    if (b[j].located()) column[j] = static_cast<long>(to.size()), to.push_back(b[j].position);
  std::vector<roads::RoadResult> cells;
  if (!from.empty() && !to.empty()) cells = data.road_query().matrix(from, to);
  auto grid = [&](const char* name, auto&& write) {
    out += ",\"";
    out += name;
    out += "\":[";
    for (std::size_t i = 0; i < a.size(); ++i) {
      out += i ? ",[" : "[";
      for (std::size_t j = 0; j < b.size(); ++j) {
        if (j) out.push_back(',');
        if (row[i] < 0 || column[j] < 0) {
          out += "null";
          continue;
        }
        write(cells[static_cast<std::size_t>(row[i]) * to.size() + static_cast<std::size_t>(column[j])]);
      }
      out.push_back(']');
    }
    out.push_back(']');
  };
  auto number = [&out](const roads::RoadResult& r, double v, int decimals) {
    if (r.status == roads::RoadStatus::ok && std::isfinite(v))
      append_json_number(out, v, decimals);
    else
      out += "null";
  };
  grid("road_miles",
       [&](const roads::RoadResult& r) { number(r, r.fastest_metres / kMetresPerMile, roads::kRoadMilesDecimals); });
  grid("road_minutes",
       [&](const roads::RoadResult& r) { number(r, r.fastest_seconds / 60, roads::kRoadMinutesDecimals); });
  grid("shortest_road_miles",
       [&](const roads::RoadResult& r) { number(r, r.shortest_metres / kMetresPerMile, roads::kRoadMilesDecimals); });
  grid("road_status", [&](const roads::RoadResult& r) { append_json_string(out, to_string(r.status)); });
}

}  // namespace

void add_distance_routes(Router& router, const RouteContext& context) {
  const ServiceData& data = context.data;
  const Limits& limits = context.options.limits;

  router.get("/v1/distance", [&data](const httplib::Request& req, httplib::Response& res) {
    std::string from_text = required_query(req, "from"), to_text = required_query(req, "to");
    const std::string mode =
        road_mode(query(req, "mode").value_or("straight"), data.roads != nullptr) ? "road" : "straight";
    Postcode from = parse_postcode(from_text), to = parse_postcode(to_text);
    GeocodeResult a = data.gazetteer.lookup(from), b = data.gazetteer.lookup(to);
    std::string body = "{\"from\":";
    append_geocode_json(body, from_text, from, a);
    body += ",\"to\":";
    append_geocode_json(body, to_text, to, b);
    if (a.located() && b.located()) {
      double metres = geodesic_metres(a.position, b.position);
      body += ",\"mode\":\"" + mode + "\",\"dfe_miles\":";
      append_json_number(body, dfe_miles(a.grid, b.grid), 1);
      body += ",\"geodesic_metres\":";
      append_json_number(body, metres, 3);
      body += ",\"geodesic_miles\":";
      append_json_number(body, metres / kMetresPerMile, 3);
      body += ",\"same_upper_tier_council\":";
      body += a.utla.code == b.utla.code ? "true" : "false";
      if (data.roads) {
        // Whenever a network is loaded; mode=road only insists that one is.
        body += ",\"road\":";
        append_road_json(body, data.road_query().route(a.position, b.position));
      }
      body.push_back('}');
    } else {
      // The first end that failed says why, as {code, message} beside both answers.
      const GeocodeResult& failed = a.located() ? b : a;
      res.status = http_status(failed.status);
      set_current_error_code(to_string(failed.status));
      body += ",\"code\":\"";
      body += to_string(failed.status);
      body += "\",\"message\":";
      append_json_string(body, std::string(a.located() ? "to: " : "from: ") + failed.message);
      body.push_back('}');
    }
    res.set_content(body, kJson);
  });

  router.post("/v1/matrix", [&data, &limits](const httplib::Request& req, httplib::Response& res) {
    nlohmann::json body = parse_json_body(req);
    std::vector<std::string> from = string_list(body, "from"), to = string_list(body, "to");
    bool road = false;
    if (auto mode = body.find("mode"); mode != body.end() && body.is_object()) {
      if (!mode->is_string()) throw ApiError(ApiCode::wrong_type, "mode must be a string");
      road = road_mode(mode->get<std::string>(), data.roads != nullptr);
    }
    if (from.size() * to.size() > limits.max_rows)
      throw ApiError(ApiCode::too_many_rows, std::to_string(from.size() * to.size()) + " cells; the limit is " +
                                                 std::to_string(limits.max_rows) + " (--max-rows)");
    std::vector<GeocodeResult> a, b;
    std::string out = "{\"from\":[";
    for (std::size_t i = 0; i < from.size(); ++i) {
      Postcode pc = parse_postcode(from[i]);
      a.push_back(data.gazetteer.lookup(pc));
      if (i) out.push_back(',');
      append_geocode_json(out, from[i], pc, a.back());
    }
    out += "],\"to\":[";
    for (std::size_t j = 0; j < to.size(); ++j) {
      Postcode pc = parse_postcode(to[j]);
      b.push_back(data.gazetteer.lookup(pc));
      if (j) out.push_back(',');
      append_geocode_json(out, to[j], pc, b.back());
    }
    out += road ? "],\"mode\":\"road\",\"dfe_miles\":[" : "],\"mode\":\"straight\",\"dfe_miles\":[";
    for (std::size_t i = 0; i < a.size(); ++i) {
      out += i ? ",[" : "[";
      for (std::size_t j = 0; j < b.size(); ++j) {
        if (j) out.push_back(',');
        if (a[i].located() && b[j].located())
          append_json_number(out, dfe_miles(a[i].grid, b[j].grid), 1);
        else
          out += "null";
      }
      out.push_back(']');
    }
    out += "],\"geodesic_metres\":[";
    for (std::size_t i = 0; i < a.size(); ++i) {
      out += i ? ",[" : "[";
      for (std::size_t j = 0; j < b.size(); ++j) {
        if (j) out.push_back(',');
        if (a[i].located() && b[j].located())
          append_json_number(out, geodesic_metres(a[i].position, b[j].position), 3);
        else
          out += "null";
      }
      out.push_back(']');
    }
    out.push_back(']');
    if (road) append_road_matrix(out, data, a, b);
    out.push_back('}');
    res.set_content(out, kJson);
  });
}

}  // namespace placedist::serve
