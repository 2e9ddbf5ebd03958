// GeoJSON layers (RFC 7946, WGS84): council boundaries, a council's 20-mile zone (DfE miles
// round its polygon, or road miles from its postcode sectors), providers.
#include "src/serve/http_message.hpp"

#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "geo/distance.hpp"
#include "src/analysis/road_zone.hpp"
#include "src/serve/geojson.hpp"
#include "src/serve/lru_cache.hpp"

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
const char* const kGeoJson = "application/geo+json";

void need_boundaries(const ServiceData& data) {
  if (!data.councils)
    throw ApiError(ApiCode::not_loaded, "no council boundaries are loaded: start the server with --boundaries FILE");
}
// A council's road zone: the roads within `miles` road miles (shortest routes) of the nearest of
// its postcode sectors' centroids (one multi-source search), as a polygon (reach_polygon.hpp:
// 250 m cells crossed by the reached roads, grown one cell). nullopt for a council without sectors.
std::optional<std::string> council_road_zone(const ServiceData& data, const std::string& code, double miles) {
  std::vector<std::size_t> sectors = data.sectors_of(code);
  if (sectors.empty()) return std::nullopt;
  std::vector<LonLat> from;
  for (std::size_t i : sectors) from.push_back(data.sectors[i].position);
  analysis::RoadZone zone = analysis::road_zone(*data.lend_road_query(), from, miles * kMetresPerMile);
  nlohmann::json properties = {
      {"code", code},
      {"miles", miles},
      {"mode", "road"},
      {"road_status", std::string(to_string(zone.status))},
      {"sectors", sectors.size()},
      {"method",
       "roads within the road miles (shortest routes) of the nearest postcode sector centroid, "
       "through 250 m grid cells, grown by one cell"}};
  if (data.councils)
    if (auto feature = data.councils->council(code))
      properties["name"] = nlohmann::json::parse(*feature)["properties"]["name"];
  return zone_feature(zone, std::move(properties)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

void add_layer_routes(Router& router, const RouteContext& context) {
  const ServiceData& data = context.data;
  const Limits& limits = context.options.limits;

  router.get("/v1/layers/councils", [&data](const Request&, Response& res) {
    need_boundaries(data);
    res.set_content(data.councils->all_geojson(), kGeoJson);
  }, Work::heavy);

  router.get("/v1/layers/councils/{code}", [&data](const Request& req, Response& res) {
    need_boundaries(data);
    const std::string& code = req.matches[1];
    if (!valid_utf8(code)) throw ApiError(ApiCode::invalid_utf8, "the council code is not valid UTF-8");
    auto feature = data.councils->council(code);
    if (!feature) throw ApiError(ApiCode::not_found, "no council " + code + " in the boundaries loaded");
    res.set_content(*feature, kGeoJson);
  }, Work::heavy);

  // Road zones take a second or more each: the last few are kept.
  auto road_zones = std::make_shared<LruCache<std::pair<std::string, double>, std::string>>(16);
  router.get("/v1/layers/zones/{code}",
             [&data, &limits, road_zones](const Request& req, Response& res) {
               const std::string& code = req.matches[1];
               if (!valid_utf8(code)) throw ApiError(ApiCode::invalid_utf8, "the council code is not valid UTF-8");
               double miles = miles_query(req, limits.max_miles);
               if (road_mode(query(req, "mode").value_or("straight"), data.roads != nullptr)) {
                 std::pair<std::string, double> key{code, miles};
                 std::optional<std::string> feature = road_zones->get(key);
                 if (!feature) {
                   feature = council_road_zone(data, code, miles);
                   if (!feature) throw ApiError(ApiCode::not_found, "no postcode sectors for council " + code);
                   road_zones->put(key, *feature);
                 }
                 res.set_content(*feature, kGeoJson);
                 return;
               }
               need_boundaries(data);
               auto feature = data.councils->zone(code, miles);
               if (!feature) throw ApiError(ApiCode::not_found, "no council " + code + " in the boundaries loaded");
               res.set_content(*feature, kGeoJson);
             }, Work::heavy);

  router.get("/v1/layers/providers", [&data](const Request&, Response& res) {
    if (!data.providers)
      throw ApiError(ApiCode::not_loaded, "no providers are loaded: start the server with --providers FILE");
    res.set_content(data.providers_geojson, kGeoJson);
  }, Work::heavy);
}

}  // namespace placedist::serve
