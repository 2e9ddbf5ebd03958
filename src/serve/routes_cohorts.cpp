// Placement cohorts loaded with --cohort LA=FILE (cohorts.hpp):
//   GET /v1/cohorts                        what is loaded: council, file, census date, counts
//   GET /v1/cohorts/{la}                   one cohort's report (the content of report.json)
//   GET /v1/layers/analysis/{la}/{layer}   its analysis layers, as `placedist analyse` writes them
#include "src/serve/http_message.hpp"

#include <nlohmann/json.hpp>

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

std::string path_segment(const Request& req, int index, const char* what) {
  std::string text = req.matches[index];
  if (!valid_utf8(text)) throw ApiError(ApiCode::invalid_utf8, std::string("the ") + what + " is not valid UTF-8");
  return text;
}

json cohort_summary(const Cohort& cohort) {
  std::size_t located = 0;
  for (const PlacementRow& row : cohort.rows) located += row.home_located() && row.placement_located();
  json layers = json::array();
  for (const auto& [name, text] : cohort.layers) layers.push_back(name);
  return {{"la", {{"code", cohort.la_code}, {"name", cohort.la_name}}},
          {"source", cohort.source},
          {"disclosure", cohort.disclosure == Disclosure::restricted ? "restricted" : "shareable"},
          {"census_date", cohort.census_date.empty() ? json(nullptr) : json(cohort.census_date)},
          {"placements", cohort.rows.size()},
          {"both_ends_located", located},
          {"layers", std::move(layers)}};
}

}  // namespace

void add_cohort_routes(Router& router, const RouteContext& context) {
  const ServiceData& data = context.data;

  router.get("/v1/cohorts", [&data](const Request&, Response& res) {
    json list = json::array();
    for (const auto& [code, cohort] : data.cohorts) list.push_back(cohort_summary(cohort));
    res.set_content(json{{"cohorts", std::move(list)}}.dump(), "application/json");
  });

  router.get("/v1/cohorts/{la}", [&data](const Request& req, Response& res) {
    const Cohort& cohort = data.cohort(path_segment(req, 1, "council"));
    json out = cohort_summary(cohort);
    out["report"] = json::parse(cohort.report_json);
    res.set_content(out.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
  });

  router.get("/v1/layers/analysis/{la}/{layer}", [&data](const Request& req, Response& res) {
    const Cohort& cohort = data.cohort(path_segment(req, 1, "council"));
    const std::string layer = path_segment(req, 2, "layer name");
    auto it = cohort.layers.find(layer);
    if (it == cohort.layers.end())
      throw ApiError(ApiCode::not_found,
                     "no layer " + layer + " in the cohort of " + cohort.la_code + " (see /v1/cohorts)");
    res.set_content(it->second, "application/geo+json");
  }, Work::heavy);
}

}  // namespace placedist::serve
