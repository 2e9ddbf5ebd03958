// GET /v1/distance?from=&to=&mode=straight|road and POST /v1/matrix (mode=road adds road cells).
// DfE miles: British National Grid straight line, rounded to 0.1 mile; geodesic: WGS84.
#include "src/serve/http_message.hpp"

#include <charconv>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "geo/distance.hpp"
#include "geo/roads/road_precision.hpp"
#include "src/serve/api_error.hpp"
#include "src/serve/json_pieces.hpp"
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
  d.from = data.gazetteer.parse(q.from_text);
  d.to = data.gazetteer.parse(q.to_text);
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
  res.set_content(std::move(body), kJson);
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
    side.postcodes.push_back(data.gazetteer.parse(text));
    side.results.push_back(data.gazetteer.lookup(side.postcodes.back()));
  }
  return side;
}

// The road cells of a matrix between its located ends, from one many-to-many search written
// into columns (RoadQuery::matrix_into): no object per cell. Cell (i, j) of the request is
// at(row[i], column[j]) when both are located (>= 0).
struct RoadCells {
  std::vector<long> row, column;
  std::vector<LonLat> from, to;  // the located ends
  std::size_t width = 0;         // located destinations
  std::vector<roads::RoadStatus> status;
  std::vector<double> seconds, metres, shortest;

  long at(std::size_t i, std::size_t j) const {
    if (row[i] < 0 || column[j] < 0) return -1;
    return row[i] * static_cast<long>(width) + column[j];
  }
};

RoadCells road_ends(const std::vector<GeocodeResult>& a, const std::vector<GeocodeResult>& b) {
  RoadCells c;
  c.row.assign(a.size(), -1);
  c.column.assign(b.size(), -1);
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].located()) c.row[i] = static_cast<long>(c.from.size()), c.from.push_back(a[i].position);
  for (std::size_t j = 0; j < b.size(); ++j)
    if (b[j].located()) c.column[j] = static_cast<long>(c.to.size()), c.to.push_back(b[j].position);
  c.width = c.to.size();
  return c;
}

void search_road_cells(RoadCells& c, roads::RoadQuery& query) {
  const std::size_t cells = c.from.size() * c.to.size();
  c.status.resize(cells);
  c.seconds.resize(cells);
  c.metres.resize(cells);
  c.shortest.resize(cells);
  std::vector<double> from_snap(c.from.size()), to_snap(c.to.size());
  if (cells) query.matrix_into(c.from, c.to, {c.status, c.seconds, c.metres, c.shortest, from_snap, to_snap});
}

// Everything a matrix answer is written from, shared by its pieces while they are written.
struct MatrixAnswer {
  MatrixRequest request;
  MatrixSide from, to;
  std::optional<RoadCells> road;
  std::vector<Outcome> statuses;  // the legend of the columns' road_status, in order of first use

  std::size_t status_index(Outcome o) {
    for (std::size_t k = 0; k < statuses.size(); ++k)
      if (statuses[k] == o) return k;
    statuses.push_back(o);
    return statuses.size() - 1;
  }
};

// One grid of the answer: ,"name":[[cell(0,0),...],...], null where either end is not located.
template <class Write>
void add_grid(JsonPieces& pieces, const std::shared_ptr<MatrixAnswer>& m, const char* name, Write write) {
  pieces.text(std::string(",\"") + name + "\":");
  pieces.grid(m->from.results.size(), m->to.results.size(), [m, write](char* at, std::size_t i, std::size_t j) {
    const GeocodeResult &x = m->from.results[i], &y = m->to.results[j];
    return x.located() && y.located() ? write(at, *m, i, j) : write_raw(at, "null");
  });
}

// A road figure of the fastest or the shortest route: a number when the cell's route is ok.
template <int Decimals, class Value>
void add_road_grid(JsonPieces& pieces, const std::shared_ptr<MatrixAnswer>& m, const char* name, Value value) {
  add_grid(pieces, m, name, [value](char* at, const MatrixAnswer& a, std::size_t i, std::size_t j) {
    const RoadCells& r = *a.road;
    const auto c = static_cast<std::size_t>(r.at(i, j));
    return r.status[c] == roads::RoadStatus::ok ? write_json_fixed<Decimals>(at, value(r, c)) : write_raw(at, "null");
  });
}

void add_dfe_grid(JsonPieces& pieces, const std::shared_ptr<MatrixAnswer>& m) {
  add_grid(pieces, m, "dfe_miles", [](char* at, const MatrixAnswer& a, std::size_t i, std::size_t j) {
    return write_json_fixed<1>(at, dfe_miles(a.from.results[i].grid, a.to.results[j].grid));
  });
}

void add_road_figures(JsonPieces& pieces, const std::shared_ptr<MatrixAnswer>& m) {
  add_road_grid<roads::kRoadMilesDecimals>(
      pieces, m, "road_miles", [](const RoadCells& r, std::size_t c) { return r.metres[c] / kMetresPerMile; });
  add_road_grid<roads::kRoadMinutesDecimals>(pieces, m, "road_minutes",
                                             [](const RoadCells& r, std::size_t c) { return r.seconds[c] / 60; });
  add_road_grid<roads::kRoadMilesDecimals>(pieces, m, "shortest_road_miles", [](const RoadCells& r, std::size_t c) {
    return r.shortest[c] / kMetresPerMile;
  });
}

// The default answer: each postcode's full answer per side, then the grids; road statuses as
// strings.
//   {"from":[{geocode}...],"to":[...],"mode":"road","dfe_miles":[[...]],"geodesic_metres":[[...]],
//    "road_miles":[[...]],"road_minutes":[[...]],"shortest_road_miles":[[...]],"road_status":[[...]]}
void add_cells_answer(JsonPieces& pieces, const std::shared_ptr<MatrixAnswer>& m) {
  auto side = [&pieces, &m](const char* prefix, const std::vector<std::string> MatrixRequest::*typed,
                            MatrixSide MatrixAnswer::*which) {
    pieces.text(prefix);
    pieces.list((m.get()->*which).results.size(), [m, typed, which](std::string& out, std::size_t k) {
      const MatrixSide& s = m.get()->*which;
      append_geocode_json(out, (m->request.*typed)[k], s.postcodes[k], s.results[k]);
    });
  };
  side("{\"from\":", &MatrixRequest::from, &MatrixAnswer::from);
  side(",\"to\":", &MatrixRequest::to, &MatrixAnswer::to);
  pieces.text(m->request.road ? ",\"mode\":\"road\"" : ",\"mode\":\"straight\"");
  add_dfe_grid(pieces, m);
  add_grid(pieces, m, "geodesic_metres", [](char* at, const MatrixAnswer& a, std::size_t i, std::size_t j) {
    return write_json_number(at, geodesic_metres(a.from.results[i].position, a.to.results[j].position), 3);
  });
  if (m->road) {
    add_road_figures(pieces, m);
    add_grid(pieces, m, "road_status", [](char* at, const MatrixAnswer& a, std::size_t i, std::size_t j) {
      *at++ = '"';  // status codes are plain identifiers: nothing to escape
      at = write_raw(at, to_string(a.road->status[static_cast<std::size_t>(a.road->at(i, j))]));
      *at++ = '"';
      return at;
    });
  }
  pieces.text("}");
}

// The compact answer, like OSRM's table: per side the normalised postcodes and their statuses,
// then one array of rows of numbers per field (null where a cell has no value), and the road
// statuses as small numbers indexing `statuses`; no object per cell, nor per postcode.
//   {"format":"columns","mode":"road","sources":[...],"source_status":[...],"destinations":[...],
//    "destination_status":[...],"dfe_miles":[[...]],"road_miles":[[...]],"road_minutes":[[...]],
//    "shortest_road_miles":[[...]],"road_status":[[0,...]],"statuses":["ok",...]}
void add_columns_answer(JsonPieces& pieces, const std::shared_ptr<MatrixAnswer>& m) {
  auto side = [&pieces, &m](const char* names, const char* statuses, MatrixSide MatrixAnswer::*which) {
    const std::size_t n = (m.get()->*which).results.size();
    pieces.text(names);
    pieces.list(n, [m, which](std::string& out, std::size_t k) {
      const MatrixSide& s = m.get()->*which;
      if (s.results[k].located())
        append_json_string(out, s.postcodes[k].normalised());
      else
        out += "null";
    });
    pieces.text(statuses);
    pieces.list(n, [m, which](std::string& out, std::size_t k) {
      append_json_string(out, to_string((m.get()->*which).results[k].status));
    });
  };
  pieces.text(m->request.road ? "{\"format\":\"columns\",\"mode\":\"road\""
                              : "{\"format\":\"columns\",\"mode\":\"straight\"");
  side(",\"sources\":", ",\"source_status\":", &MatrixAnswer::from);
  side(",\"destinations\":", ",\"destination_status\":", &MatrixAnswer::to);
  add_dfe_grid(pieces, m);
  if (!m->road) return pieces.text("}");
  add_road_figures(pieces, m);
  add_grid(pieces, m, "road_status", [](char* at, MatrixAnswer& a, std::size_t i, std::size_t j) {
    const std::size_t k = a.status_index(a.road->status[static_cast<std::size_t>(a.road->at(i, j))]);
    return std::to_chars(at, at + 24, k).ptr;
  });
  pieces.text(",\"statuses\":");
  pieces.list(1, [m](std::string& out, std::size_t) {  // written last: the legend is complete by now
    for (std::size_t k = 0; k < m->statuses.size(); ++k) {
      if (k) out.push_back(',');
      append_json_string(out, to_string(m->statuses[k]));
    }
  });
  pieces.text("}");
}

// The postcodes are looked up and the road cells searched here (on the worker), then the answer
// is written in pieces as the client reads it. (Searching while the first pieces are written was
// measured and dropped: no faster, 15 ms more CPU on 1000 x 1000; issue 12.)
void post_matrix(const ServiceData& data, const Limits& limits, const Request& req, Response& res) {
  auto m = std::make_shared<MatrixAnswer>();
  m->request = parse_matrix_request(req, data, limits);
  m->from = geocode_side(data, m->request.from);
  m->to = geocode_side(data, m->request.to);
  if (m->request.road) {
    m->road = road_ends(m->from.results, m->to.results);
    // Lent from the per-core pool for the search only (throws not_loaded before any work);
    // given back before the answer is written. A failure is the request's (500).
    RoadLease query = data.lend_road_query();
    search_road_cells(*m->road, *query);
  }
  auto pieces = std::make_shared<JsonPieces>();
  if (m->request.columns)
    add_columns_answer(*pieces, m);
  else
    add_cells_answer(*pieces, m);
  res.content_type = kJson;
  res.stream = [pieces](std::string& piece) { return pieces->next(piece); };
}

}  // namespace

void add_distance_routes(Router& router, const RouteContext& context) {
  const ServiceData& data = context.data;
  const Limits& limits = context.options.limits;
  router.get("/v1/distance", [&data](const Request& req, Response& res) { get_distance(data, req, res); });
  router.post(
      "/v1/matrix", [&data, &limits](const Request& req, Response& res) { post_matrix(data, limits, req, res); },
      Work::heavy);
}

}  // namespace placedist::serve
