// GeoJSON layers (RFC 7946, WGS84): council boundaries, a council's 20-mile zone (DfE miles
// round its polygon, or road miles from its postcode sectors), providers.
#include "src/serve/http_message.hpp"

#include <cmath>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "geo/data_dir.hpp"
#include "geo/distance.hpp"
#include "src/analysis/road_zone.hpp"
#include "src/serve/geojson.hpp"
#include "src/serve/lru_cache.hpp"

#include "src/serve/api_error.hpp"
#include "src/serve/cached_answer.hpp"
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

// The sector areas' layer, made on the first request for it (reading the cache file, or building it
// once per gazetteer: about a minute for Great Britain) and then kept.
struct SectorAreasOnDemand {
  std::once_flag once;
  std::unique_ptr<SectorAreasLayer> layer;
};

constexpr std::size_t kMaxSectorAreas = 3000;  // one answer: a county's worth and its neighbours

SectorAreasLayer::Box bbox_query(const std::string& text) {
  SectorAreasLayer::Box b{};
  char end = 0;
  if (std::sscanf(text.c_str(), "%lf,%lf,%lf,%lf%c", &b.west, &b.south, &b.east, &b.north, &end) != 4 ||
      !std::isfinite(b.west) || !std::isfinite(b.south) || !std::isfinite(b.east) || !std::isfinite(b.north) ||
      b.west > b.east || b.south > b.north)
    throw ApiError(ApiCode::invalid_value,
                   "bbox must be west,south,east,north in WGS84 degrees (e.g. -1.0,51.7,-0.6,51.9)");
  return b;
}

}  // namespace

void add_layer_routes(Router& router, const RouteContext& context) {
  const ServiceData& data = context.data;
  const Limits& limits = context.options.limits;

  // The static layers: gzip-encoded once, with an ETag and 304 for a client that holds them.
  auto councils = std::make_shared<OnceAnswer>(kGeoJson);
  router.get("/v1/layers/councils", [&data, councils](const Request& req, Response& res) {
    need_boundaries(data);
    councils->answer(req, res, [&] { return data.councils->all_geojson(); });
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

  // Postcode sector areas (shapes/sector_areas: Voronoi cells of the live units, dissolved by
  // sector, clipped to the --boundaries land), simplified to 25 m, for a council or a box.
  auto sector_areas = std::make_shared<SectorAreasOnDemand>();
  router.get("/v1/layers/sectors", [&data, sector_areas](const Request& req, Response& res) {
    need_boundaries(data);
    std::optional<std::string> council = query(req, "council"), bbox = query(req, "bbox");
    if (!council == !bbox)
      throw ApiError(ApiCode::missing_parameter, "give council=CODE or bbox=west,south,east,north (one of them)");
    if (council && !valid_utf8(*council)) throw ApiError(ApiCode::invalid_utf8, "the council code is not valid UTF-8");
    const SectorAreasLayer::Box box = bbox ? bbox_query(*bbox) : SectorAreasLayer::Box{};
    std::call_once(sector_areas->once, [&] {
      sector_areas->layer = std::make_unique<SectorAreasLayer>(data.gazetteer, data.councils->boundaries(),
                                                               data.sectors, geo::cache_dir());
    });
    const SectorAreasLayer& layer = *sector_areas->layer;
    if (layer.state() == SectorAreasLayer::State::building) {
      res.set_header("Retry-After", "10");
      throw ApiError(ApiCode::busy,
                     "the postcode sector areas are being built (once per gazetteer: up to a minute or two for "
                     "Great Britain); try again shortly");
    }
    if (layer.state() == SectorAreasLayer::State::failed)
      throw ApiError(ApiCode::internal, "the postcode sector areas could not be built: " + layer.failure());
    std::size_t count = 0;
    std::string features;
    if (council) {
      std::vector<std::string> names;
      for (std::size_t i : data.sectors_of(*council)) names.push_back(data.sectors[i].sector);
      if (names.empty()) throw ApiError(ApiCode::not_found, "no postcode sectors for council " + *council);
      features = layer.features_of(names, count);
    } else {
      features = layer.features_in(box, kMaxSectorAreas, count);
      if (count > kMaxSectorAreas)
        throw ApiError(ApiCode::invalid_value, "the box holds " + std::to_string(count) + " postcode sectors, more than " +
                                                   std::to_string(kMaxSectorAreas) + ": ask for a smaller one");
    }
    res.set_header("Cache-Control", "private, max-age=3600");
    res.set_content("{\"type\":\"FeatureCollection\",\"features\":[" + features + "]}", kGeoJson);
  }, Work::heavy);

  auto providers = std::make_shared<OnceAnswer>(kGeoJson);
  router.get("/v1/layers/providers", [&data, providers](const Request& req, Response& res) {
    if (!data.providers)
      throw ApiError(ApiCode::not_loaded, "no providers are loaded: start the server with --providers FILE");
    providers->answer(req, res, [&] { return data.providers_geojson; });
  }, Work::heavy);
}

}  // namespace placedist::serve
