// GET /v1/distance?from=&to=&mode=straight|road and POST /v1/matrix (mode=road adds road cells).
// DfE miles: British National Grid straight line, rounded to 0.1 mile; geodesic: WGS84.
#include "src/serve/http_message.hpp"

#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

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

// GET /v1/distance, parsed: the two postcodes as typed and the mode.
struct DistanceQuery {
  std::string from_text, to_text;
  std::string mode;  // "straight" or "road"
};

DistanceQuery parse_distance_query(const Request& req, const ServiceData& data) {
  DistanceQuery q;
  q.from_text = required_query(req, "from");
  q.to_text = required_query(req, "to");
  q.mode = road_mode(query(req, "mode").value_or("straight"), data.roads != nullptr) ? "road" : "straight";
  return q;
}

// Both ends located, and the road route whenever a network is loaded (mode=road only insists
// that one is).
struct DistanceAnswer {
  Postcode from, to;
  GeocodeResult a, b;
  std::optional<roads::RoadResult> road;
};

DistanceAnswer compute_distance(const ServiceData& data, const DistanceQuery& q) {
  DistanceAnswer d;
  d.from = parse_postcode(q.from_text);
  d.to = parse_postcode(q.to_text);
  d.a = data.gazetteer.lookup(d.from);
  d.b = data.gazetteer.lookup(d.to);
  if (d.a.located() && d.b.located() && data.roads) d.road = data.road_query().route(d.a.position, d.b.position);
  return d;
}

void append_distances(std::string& body, const DistanceAnswer& d, const std::string& mode) {
  double metres = geodesic_metres(d.a.position, d.b.position);
  body += ",\"mode\":\"" + mode + "\",\"dfe_miles\":";
  append_json_number(body, dfe_miles(d.a.grid, d.b.grid), 1);
  body += ",\"geodesic_metres\":";
  append_json_number(body, metres, 3);
  body += ",\"geodesic_miles\":";
  append_json_number(body, metres / kMetresPerMile, 3);
  body += ",\"same_upper_tier_council\":";
  body += d.a.utla.code == d.b.utla.code ? "true" : "false";
  if (d.road) {
    body += ",\"road\":";
    append_road_json(body, *d.road);
  }
}

// The first end that failed says why, as {code, message} beside both answers.
void append_distance_failure(std::string& body, Response& res, const DistanceAnswer& d) {
  const GeocodeResult& failed = d.a.located() ? d.b : d.a;
  res.status = http_status(failed.status);
  set_current_error_code(to_string(failed.status));
  body += ",\"code\":\"";
  body += to_string(failed.status);
  body += "\",\"message\":";
  append_json_string(body, std::string(d.a.located() ? "to: " : "from: ") + failed.message);
}

void get_distance(const ServiceData& data, const Request& req, Response& res) {
  const DistanceQuery q = parse_distance_query(req, data);
  const DistanceAnswer d = compute_distance(data, q);
  std::string body = "{\"from\":";
  append_geocode_json(body, q.from_text, d.from, d.a);
  body += ",\"to\":";
  append_geocode_json(body, q.to_text, d.to, d.b);
  if (d.a.located() && d.b.located())
    append_distances(body, d, q.mode);
  else
    append_distance_failure(body, res, d);
  body.push_back('}');
  res.set_content(body, kJson);
}

// POST /v1/matrix, parsed: the postcodes as typed, and whether road cells are wanted.
struct MatrixRequest {
  std::vector<std::string> from, to;
  bool road = false;
  bool columns = false;  // "format": "columns": the compact answer (post_matrix_columns)
};

MatrixRequest parse_matrix_request(const Request& req, const ServiceData& data, const Limits& limits) {
  nlohmann::json body = parse_json_body(req, limits.max_rows);
  MatrixRequest m;
  m.from = string_list(body, "from");
  m.to = string_list(body, "to");
  if (auto mode = body.find("mode"); mode != body.end() && body.is_object()) {
    if (!mode->is_string()) throw ApiError(ApiCode::wrong_type, "mode must be a string");
    m.road = road_mode(mode->get<std::string>(), data.roads != nullptr);
  }
  if (auto format = body.find("format"); format != body.end() && body.is_object()) {
    if (!format->is_string() || (*format != "columns" && *format != "cells"))
      throw ApiError(ApiCode::invalid_value, "format must be cells (default) or columns");
    m.columns = *format == "columns";
  }
  // Every shape counts, 0 x n included: an empty side asks for nothing and is refused.
  if (m.from.empty() || m.to.empty())
    throw ApiError(ApiCode::invalid_value, "from and to must each name at least one postcode");
  if (m.from.size() * m.to.size() > limits.max_rows)
    throw ApiError(ApiCode::too_many_rows, std::to_string(m.from.size() * m.to.size()) + " cells; the limit is " +
                                               std::to_string(limits.max_rows) + " (--max-rows)");
  return m;
}

// One side of a matrix: each postcode parsed and looked up.
struct MatrixSide {
  std::vector<Postcode> postcodes;
  std::vector<GeocodeResult> results;
};

MatrixSide geocode_side(const ServiceData& data, const std::vector<std::string>& typed) {
  MatrixSide side;
  for (const std::string& text : typed) {
    side.postcodes.push_back(parse_postcode(text));
    side.results.push_back(data.gazetteer.lookup(side.postcodes.back()));
  }
  return side;
}

void append_side(std::string& out, const std::vector<std::string>& typed, const MatrixSide& side) {
  out.push_back('[');
  for (std::size_t i = 0; i < typed.size(); ++i) {
    if (i) out.push_back(',');
    append_geocode_json(out, typed[i], side.postcodes[i], side.results[i]);
  }
  out.push_back(']');
}

// [[cell(a[0], b[0]), ...], ...]: null where either end is not located.
template <class Cell>
void append_straight_grid(std::string& out, const std::vector<GeocodeResult>& a, const std::vector<GeocodeResult>& b,
                          Cell&& cell) {
  out.push_back('[');
  for (std::size_t i = 0; i < a.size(); ++i) {
    out += i ? ",[" : "[";
    for (std::size_t j = 0; j < b.size(); ++j) {
      if (j) out.push_back(',');
      if (a[i].located() && b[j].located())
        cell(a[i], b[j]);
      else
        out += "null";
    }
    out.push_back(']');
  }
  out.push_back(']');
}

// The compact answer, like OSRM's table: per side the normalised postcodes and their statuses,
// then one array of rows of numbers per field (null where a cell has no value), and the road
// statuses as small numbers indexing `statuses`; no object per cell, nor per postcode.
//   {"format":"columns","mode":"road","sources":[...],"source_status":[...],"destinations":[...],
//    "destination_status":[...],"dfe_miles":[[...]],"road_miles":[[...]],"road_minutes":[[...]],
//    "shortest_road_miles":[[...]],"road_status":[[0,...]],"statuses":["ok",...]}
void append_matrix_columns(std::string& out, const ServiceData& data, const MatrixRequest& m, const MatrixSide& from,
                           const MatrixSide& to) {
  auto side = [&out](const char* name, const MatrixSide& s) {
    out += ",\"";
    out += name;
    out += "\":[";
    for (std::size_t i = 0; i < s.postcodes.size(); ++i) {
      if (i) out.push_back(',');
      if (s.results[i].located())
        append_json_string(out, s.postcodes[i].normalised());
      else
        out += "null";
    }
    out += "],\"";
    out += name == std::string_view("sources") ? "source_status" : "destination_status";
    out += "\":[";
    for (std::size_t i = 0; i < s.postcodes.size(); ++i) {
      if (i) out.push_back(',');
      append_json_string(out, to_string(s.results[i].status));
    }
    out.push_back(']');
  };
  out += m.road ? "{\"format\":\"columns\",\"mode\":\"road\"" : "{\"format\":\"columns\",\"mode\":\"straight\"";
  side("sources", from);
  side("destinations", to);
  const std::vector<GeocodeResult>&a = from.results, &b = to.results;
  out += ",\"dfe_miles\":";
  append_straight_grid(out, a, b, [&out](const GeocodeResult& x, const GeocodeResult& y) {
    append_json_number(out, dfe_miles(x.grid, y.grid), 1);
  });
  if (!m.road) {
    out.push_back('}');
    return;
  }
  std::vector<LonLat> starts, ends;
  std::vector<long> row(a.size(), -1), column(b.size(), -1);
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].located()) row[i] = static_cast<long>(starts.size()), starts.push_back(a[i].position);
  for (std::size_t j = 0; j < b.size(); ++j)
    if (b[j].located()) column[j] = static_cast<long>(ends.size()), ends.push_back(b[j].position);
  std::vector<roads::RoadResult> cells;
  if (!starts.empty() && !ends.empty()) cells = data.road_query().matrix(starts, ends);
  std::vector<Outcome> statuses;  // the legend of road_status, in order of first use
  auto status_index = [&statuses](Outcome o) {
    for (std::size_t k = 0; k < statuses.size(); ++k)
      if (statuses[k] == o) return k;
    statuses.push_back(o);
    return statuses.size() - 1;
  };
  auto grid = [&](const char* name, auto&& write) {
    out += ",\"";
    out += name;
    out += "\":[";
    for (std::size_t i = 0; i < a.size(); ++i) {
      out += i ? ",[" : "[";
      for (std::size_t j = 0; j < b.size(); ++j) {
        if (j) out.push_back(',');
        if (row[i] < 0 || column[j] < 0)
          out += "null";
        else
          write(cells[static_cast<std::size_t>(row[i]) * ends.size() + static_cast<std::size_t>(column[j])]);
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
  grid("road_status", [&](const roads::RoadResult& r) { out += std::to_string(status_index(r.status)); });
  out += ",\"statuses\":[";
  for (std::size_t k = 0; k < statuses.size(); ++k) {
    if (k) out.push_back(',');
    append_json_string(out, to_string(statuses[k]));
  }
  out += "]}";
}

void post_matrix(const ServiceData& data, const Limits& limits, const Request& req, Response& res) {
  const MatrixRequest m = parse_matrix_request(req, data, limits);
  const MatrixSide from = geocode_side(data, m.from), to = geocode_side(data, m.to);
  if (m.columns) {
    std::string out;
    out.reserve(m.from.size() * m.to.size() * (m.road ? 24 : 6) + 64);
    append_matrix_columns(out, data, m, from, to);
    res.set_content(std::move(out), kJson);
    return;
  }
  const std::vector<GeocodeResult>&a = from.results, &b = to.results;
  std::string out = "{\"from\":";
  append_side(out, m.from, from);
  out += ",\"to\":";
  append_side(out, m.to, to);
  out += m.road ? ",\"mode\":\"road\",\"dfe_miles\":" : ",\"mode\":\"straight\",\"dfe_miles\":";
  append_straight_grid(out, a, b, [&out](const GeocodeResult& x, const GeocodeResult& y) {
    append_json_number(out, dfe_miles(x.grid, y.grid), 1);
  });
  out += ",\"geodesic_metres\":";
  append_straight_grid(out, a, b, [&out](const GeocodeResult& x, const GeocodeResult& y) {
    append_json_number(out, geodesic_metres(x.position, y.position), 3);
  });
  if (m.road) append_road_matrix(out, data, a, b);
  out.push_back('}');
  res.set_content(out, kJson);
}

}  // namespace

void add_distance_routes(Router& router, const RouteContext& context) {
  const ServiceData& data = context.data;
  const Limits& limits = context.options.limits;
  router.get("/v1/distance",
             [&data](const Request& req, Response& res) { get_distance(data, req, res); });
  router.post("/v1/matrix", [&data, &limits](const Request& req, Response& res) {
    post_matrix(data, limits, req, res);
  }, Work::heavy);
}

}  // namespace placedist::serve
