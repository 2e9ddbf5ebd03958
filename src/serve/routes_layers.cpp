// GeoJSON layers (RFC 7946, WGS84): council boundaries, a council's 20-mile zone, providers.
#include <httplib.h>

#include "src/serve/api_error.hpp"
#include "src/serve/request.hpp"
#include "src/serve/router.hpp"
#include "src/serve/routes.hpp"
#include "src/serve/service_data.hpp"

namespace placedist::serve {

namespace {
const char* const kGeoJson = "application/geo+json";

void need_boundaries(const ServiceData& data) {
  if (!data.councils)
    throw ApiError(ApiCode::not_loaded, "no council boundaries are loaded: start the server with --boundaries FILE");
}
}  // namespace

void add_layer_routes(Router& router, const RouteContext& context) {
  const ServiceData& data = context.data;
  const Limits& limits = context.options.limits;

  router.get("/v1/layers/councils", [&data](const httplib::Request&, httplib::Response& res) {
    need_boundaries(data);
    res.set_content(data.councils->all_geojson(), kGeoJson);
  });

  router.get("/v1/layers/councils/{code}", [&data](const httplib::Request& req, httplib::Response& res) {
    need_boundaries(data);
    const std::string& code = req.matches[1].str();
    if (!valid_utf8(code)) throw ApiError(ApiCode::invalid_utf8, "the council code is not valid UTF-8");
    auto feature = data.councils->council(code);
    if (!feature) throw ApiError(ApiCode::not_found, "no council " + code + " in the boundaries loaded");
    res.set_content(*feature, kGeoJson);
  });

  router.get("/v1/layers/zones/{code}", [&data, &limits](const httplib::Request& req, httplib::Response& res) {
    need_boundaries(data);
    const std::string& code = req.matches[1].str();
    if (!valid_utf8(code)) throw ApiError(ApiCode::invalid_utf8, "the council code is not valid UTF-8");
    double miles = query_number(req, "miles", 20, 0.1, limits.max_miles);
    std::string mode = query(req, "mode").value_or("straight");
    if (mode == "road")
      throw ApiError(ApiCode::not_loaded, "road zones are not served yet (mode=straight)");
    if (mode != "straight") throw ApiError(ApiCode::invalid_value, "mode must be straight or road");
    auto feature = data.councils->zone(code, miles);
    if (!feature) throw ApiError(ApiCode::not_found, "no council " + code + " in the boundaries loaded");
    res.set_content(*feature, kGeoJson);
  });

  router.get("/v1/layers/providers", [&data](const httplib::Request&, httplib::Response& res) {
    if (!data.providers)
      throw ApiError(ApiCode::not_loaded, "no providers are loaded: start the server with --providers FILE");
    res.set_content(data.providers_geojson, kGeoJson);
  });
}

}  // namespace placedist::serve
