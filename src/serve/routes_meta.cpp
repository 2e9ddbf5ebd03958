// GET /v1/health, /v1/version, /v1/config, /metrics, /v1/openapi.json.
#include "src/serve/http_message.hpp"

#include <nlohmann/json.hpp>

#include "src/serve/api_error.hpp"
#include "src/serve/metrics.hpp"
#include "src/serve/router.hpp"
#include "src/serve/routes.hpp"
#include "src/serve/service_data.hpp"

using namespace placedist::geo;
using namespace placedist::shapes;
using namespace placedist::maps;
using namespace placedist::analysis;

namespace placedist::serve {

namespace {
std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

nlohmann::json loaded(const ServiceData& data) {
  return {{"gazetteer", true},
          {"boundaries", data.councils != nullptr},
          {"providers", data.providers.has_value()},
          {"roads", data.roads != nullptr},
          {"analyse", true},
          {"cohorts", data.cohorts.size()},
          {"web", data.web.count("index.html") > 0}};
}
}  // namespace

void add_meta_routes(Router& router, const RouteContext& context) {
  const ServiceData& data = context.data;
  const ServeOptions& options = context.options;
  Metrics& metrics = context.metrics;

  router.get("/v1/health", [](const Request&, Response& res) {
    res.set_content("{\"status\":\"ok\"}", "application/json");
  });

  // Built once: the gazetteer's metadata holds the data vintages.
  nlohmann::json gazetteer = nlohmann::json::parse(data.gazetteer.metadata_json(), nullptr, false);
  nlohmann::json vintages = nlohmann::json::array();
  if (gazetteer.is_object() && gazetteer.contains("sources"))
    for (const auto& source : gazetteer["sources"]) vintages.push_back(source.value("vintage", ""));
  nlohmann::json version = {
      {"placedist", PLACEDIST_VERSION},
      {"build", data.build_description},
      {"api", "v1"},
      {"data",
       {{"vintages", vintages},
        {"gazetteer",
         {{"built", gazetteer.value("built", "")},
          {"crs", gazetteer.value("crs", "")},
          {"format_version", gazetteer.value("format_version", 0)},
          {"counts", gazetteer.value("counts", nlohmann::json::object())},
          {"sources", gazetteer.value("sources", nlohmann::json::array())}}},
        {"boundaries", data.councils ? nlohmann::json{{"source", data.councils->source()},
                                                      {"councils", data.councils->size()},
                                                      {"crs", data.councils->source_crs()}}
                                     : nlohmann::json()},
        {"providers", data.providers ? nlohmann::json{{"source", data.providers->source.string()},
                                                      {"providers", data.providers->providers.size()},
                                                      {"located", data.providers->located},
                                                      {"synthetic", data.providers->synthetic}}
                                     : nlohmann::json()}}},
      {"loaded", loaded(data)},
      {"limits",
       {{"max_body_bytes", options.limits.max_body_bytes},
        {"max_rows", options.limits.max_rows},
        {"max_nearest", options.limits.max_nearest},
        {"max_nearest_radius_m", options.limits.max_nearest_radius_m},
        {"max_miles", options.limits.max_miles}}}};
  router.get("/v1/version", [body = dump(version)](const Request&, Response& res) {
    res.set_content(body, "application/json");
  });

  nlohmann::json config = {{"tile_url", options.tile_url.empty() ? nlohmann::json() : nlohmann::json(options.tile_url)},
                           {"default_miles", 20},
                           {"loaded", loaded(data)}};
  router.get("/v1/config", [body = dump(config)](const Request&, Response& res) {
    res.set_content(body, "application/json");
  });

  router.get("/metrics", [&metrics](const Request&, Response& res) {
    res.set_content(metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
  });

  router.get("/v1/openapi.json", [](const Request&, Response& res) {
    res.set_content(openapi_document(), "application/json");
  });
}

void add_web_routes(Router& router, const RouteContext& context) {
  const ServiceData& data = context.data;
  auto serve = [&data](const std::string& path, Response& res) {
    auto it = data.web.find(path);
    if (it == data.web.end()) throw ApiError(ApiCode::not_found, "no such file");
    res.set_header("Cache-Control", "no-cache");
    res.set_content(it->second.content, it->second.mime.c_str());
  };
  router.get("/", [serve](const Request&, Response& res) { serve("index.html", res); });
  router.get("/static/{path*}",
             [serve](const Request& req, Response& res) { serve(req.matches[1], res); });
}

}  // namespace placedist::serve
