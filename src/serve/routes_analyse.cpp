// POST /v1/analyse: a batch of placements -> per-row results (the fields of placements.csv)
// and the report (the content of report.json), with the same meaning as `placedist analyse`:
// the same input rules (src/placement_input.hpp), analysis (maps/analysis.hpp) and report
// (maps/report.hpp). Distances are DfE miles (0.1) and geodesic international miles (0.001).
#include "src/serve/http_message.hpp"

#include <cmath>
#include <nlohmann/json.hpp>
#include <span>
#include <tuple>

#include "maps/placement_columns.hpp"
#include "maps/report.hpp"
#include "src/analysis/input_error.hpp"
#include "src/analysis/pipeline.hpp"
#include "src/analysis/placement_input.hpp"
#include "src/serve/api_error.hpp"
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

using nlohmann::json;

// A CSV body, read in memory as `placedist analyse` reads a file.
InputRead read_csv_body(const std::string& body) {
  try {
    return read_placements_text(body, {});
  } catch (const InputError& e) {
    throw ApiError(ApiCode::invalid_value, std::string("the CSV body: ") + e.what());
  }
}

// id may be a whole number (CSV-born ids often are); postcodes must be strings.
std::string text_member(const json& row, const char* name, std::size_t i, bool required) {
  auto it = row.find(name);
  if (it == row.end() || it->is_null()) {
    if (!required) return {};
    throw ApiError(ApiCode::missing_parameter, "placements[" + std::to_string(i) + "]." + name + " is missing");
  }
  if (it->is_string()) return it->get<std::string>();
  if (!required && it->is_number_integer()) return it->dump();
  throw ApiError(ApiCode::wrong_type, "placements[" + std::to_string(i) + "]." + name + " must be a string");
}

std::vector<PlacementInput> json_rows(const json& list) {
  if (!list.is_array()) throw ApiError(ApiCode::wrong_type, "placements must be an array of objects");
  std::vector<PlacementInput> rows;
  rows.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    const json& row = list[i];
    if (!row.is_object())
      throw ApiError(ApiCode::wrong_type, "placements[" + std::to_string(i) + "] must be an object");
    PlacementInput in;
    in.line = i + 1;
    in.id = text_member(row, "id", i, false);
    if (in.id.empty()) in.id = std::to_string(i + 1);
    in.home_postcode = text_member(row, "home_postcode", i, true);
    in.placement_postcode = text_member(row, "placement_postcode", i, true);
    if (auto uasc = row.find("uasc"); uasc != row.end() && !uasc->is_null()) {
      if (!uasc->is_boolean())
        throw ApiError(ApiCode::wrong_type, "placements[" + std::to_string(i) + "].uasc must be a boolean");
      in.uasc = uasc->get<bool>();
    }
    rows.push_back(std::move(in));
  }
  return rows;
}

// Records of a CSV text (line ends outside quotes, and a last line without one): the header
// and the rows, before any of them is read.
std::size_t csv_records(std::string_view text) {
  std::size_t records = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    else if (c == '\n' && !quoted) ++records;
  }
  if (!text.empty() && text.back() != '\n') ++records;
  return records;
}

json cell_json(const Cell& cell) {
  switch (cell.kind) {
    case Cell::null: return nullptr;
    case Cell::text: return std::string(cell.text_value);
    case Cell::real: return cell.real_value;
    case Cell::boolean: return cell.boolean_value;
  }
  return nullptr;
}

// The row as the schema's JSON columns give it (the fields of placements.csv).
json row_json(const PlacementRow& row, std::span<const PlacementColumn> columns) {
  json out = json::object();
  for (const PlacementColumn& column : columns) out[column.name] = cell_json(column.value(row));
  return out;
}

}  // namespace

void add_analyse_routes(Router& router, const RouteContext& context) {
  const ServiceData& data = context.data;
  const Limits& limits = context.options.limits;

  router.post("/v1/analyse", [&data, &limits](const Request& req, Response& res) {
    // The placements: CSV (text/csv, a header row) or JSON (an array, or {la, placements}).
    std::optional<std::string> la = query(req, "la");
    InputRead input;
    std::string input_line;
    const std::string type = req.get_header_value("Content-Type");
    if (type.starts_with("text/csv")) {
      if (!valid_utf8(req.body)) throw ApiError(ApiCode::invalid_utf8, "the CSV body is not valid UTF-8");
      // Counted before reading, so that a huge batch costs nothing.
      if (std::size_t records = csv_records(req.body); records > limits.max_rows + 1)
        throw ApiError(ApiCode::too_many_rows, std::to_string(records - 1) + " placements; the limit is " +
                                                   std::to_string(limits.max_rows) + " (--max-rows)");
      input = read_csv_body(req.body);
      input_line = std::string(to_string(input.kind)) + " (CSV): " + std::to_string(input.records) + " rows read";
    } else {
      json body = parse_json_body(req, limits.max_rows);
      const json* list = &body;
      if (body.is_object()) {
        if (auto it = body.find("la"); it != body.end() && !la) {
          if (!it->is_string()) throw ApiError(ApiCode::wrong_type, "la must be a string");
          la = it->get<std::string>();
        }
        list = &member(body, "placements");
      }
      // Counted before reading, so that a huge batch costs nothing.
      if (list->is_array() && list->size() > limits.max_rows)
        throw ApiError(ApiCode::too_many_rows, std::to_string(list->size()) + " placements; the limit is " +
                                                   std::to_string(limits.max_rows) + " (--max-rows)");
      input.rows = json_rows(*list);
      input.records = input.rows.size();
      input_line = "JSON: " + std::to_string(input.records) + " rows read";
    }
    if (!la || la->empty())
      throw ApiError(ApiCode::missing_parameter, "la (the responsible council, code or name) is required");
    if (input.rows.size() > limits.max_rows)
      throw ApiError(ApiCode::too_many_rows, std::to_string(input.rows.size()) + " placements; the limit is " +
                                                 std::to_string(limits.max_rows) + " (--max-rows)");
    if (input.rows.empty()) throw ApiError(ApiCode::invalid_value, "no placements: the body has no data rows");
    // As `placedist analyse` runs it (src/analysis/pipeline.hpp), without layers.
    AnalysisRequest request;
    request.gazetteer = &data.gazetteer;
    request.input = std::move(input);
    request.la = *la;
    request.boundaries = data.councils ? &data.councils->boundaries() : nullptr;
    request.default_boundaries = &data.default_boundaries;
    request.zones = false;
    request.threads = request.input.rows.size() < 2000 ? 1 : 0;  // small batches on the request's own thread
    // The road columns (road_miles, road_minutes, ... road_status), without route geometry.
    request.roads.network = data.roads;
    request.roads.source = data.roads_path.filename().string();
    // Queries borrowed from the per-core pool, as the other heavy routes do: a request makes
    // none of its own (each would allocate its dense arrays, ~120 MB on a GB network).
    if (data.roads)
      request.roads.lend = [&data] {
        auto lease = std::make_shared<RoadLease>(data.lend_road_query());
        return std::shared_ptr<geo::roads::RoadQuery>(lease, &**lease);
      };
    AnalysisResult result;
    try {
      result = run_analysis(request);
    } catch (const InputError& e) {
      throw ApiError(ApiCode::invalid_value, e.what());
    }
    result.report.input = input_line + ", " + std::to_string(result.rows.size()) + " analysed";

    json out;
    out["la"] = {{"code", result.la_code}, {"name", result.la_name}};
    json list = json::array();
    const std::vector<PlacementColumn> columns =
        placement_columns(result.extra_columns, in_json, Disclosure::restricted);
    for (const PlacementRow& row : result.rows) list.push_back(row_json(row, columns));
    out["rows"] = std::move(list);
    out["report"] = json::parse(render_json(result.table, result.report, std::nullopt));
    res.set_content(out.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
  }, Work::heavy);
}

}  // namespace placedist::serve
