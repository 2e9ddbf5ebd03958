// Coverage of care providers within a distance (DfE miles) of homes:
//  GET  /v1/coverage?postcode=&miles=20&mode=straight  one home: providers and places in reach, zone
//  POST /v1/coverage {"homes": [...], "miles": 20, "min_places": 1}  many homes: per home, share
//       of homes with at least min_places places, and a choropleth by postcode sector
//  GET  /v1/layers/coverage?la=CODE&miles=20  every sector of a council: places in reach
#include <httplib.h>

#include <map>
#include <nlohmann/json.hpp>

#include "shapes/zones.hpp"
#include "src/serve/api_error.hpp"
#include "src/serve/geojson.hpp"
#include "src/serve/json_writer.hpp"
#include "src/serve/request.hpp"
#include "src/serve/router.hpp"
#include "src/serve/routes.hpp"
#include "src/serve/service_data.hpp"

namespace placedist::serve {

namespace {

const char* const kJson = "application/json";
std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

const ProviderSet& providers_of(const ServiceData& data) {
  if (!data.providers)
    throw ApiError(ApiCode::not_loaded, "no providers are loaded: start the server with --providers FILE");
  return *data.providers;
}

void check_mode(const std::string& mode) {
  if (mode == "straight") return;
  if (mode == "road")
    throw ApiError(ApiCode::not_loaded, "road coverage is not served yet (mode=straight)");
  throw ApiError(ApiCode::invalid_value, "mode must be straight or road");
}

nlohmann::json provider_json(const Provider& p, double miles) {
  return {{"urn", p.urn},         {"name", p.name},
          {"type", p.type},       {"places", p.places >= 0 ? nlohmann::json(p.places) : nlohmann::json()},
          {"synthetic", p.synthetic}, {"council", p.utla_code},
          {"dfe_miles", miles},   {"lon", p.position.lon},
          {"lat", p.position.lat}};
}

}  // namespace

void add_coverage_routes(Router& router, const RouteContext& context) {
  const ServiceData& data = context.data;
  const Limits& limits = context.options.limits;

  router.get("/v1/coverage", [&data, &limits](const httplib::Request& req, httplib::Response& res) {
    const ProviderSet& set = providers_of(data);
    std::string typed = required_query(req, "postcode");
    double miles = query_number(req, "miles", 20, 0.1, limits.max_miles);
    check_mode(query(req, "mode").value_or("straight"));
    Postcode pc = parse_postcode(typed);
    GeocodeResult centre = data.gazetteer.lookup(pc);
    std::string centre_json;
    append_geocode_json(centre_json, typed, pc, centre);
    if (!centre.located()) {
      res.status = http_status(centre.status);
      set_current_error_code(to_string(centre.status));
      res.set_content(centre_json, kJson);
      return;
    }
    std::vector<Reach> reach = providers_within(set, centre.grid, miles);
    ReachTotals t = totals(set, reach);
    nlohmann::json within = nlohmann::json::array();
    for (const Reach& r : reach) within.push_back(provider_json(set.providers[r.provider], r.dfe_miles));
    ZoneOptions options;
    options.radius_m = miles * kMetresPerDfeMile;
    options.quadrant_segments = 16;
    GridRef point = centre.grid;
    Zone zone = union_of_circles({&point, 1}, options);
    nlohmann::json out = {{"centre", nlohmann::json::parse(centre_json)},
                          {"miles", miles},
                          {"mode", "straight"},
                          {"providers_within", t.providers},
                          {"places_within", t.places},
                          {"providers_without_places", t.providers_without_places},
                          {"providers_total", set.located},
                          {"providers", std::move(within)},
                          {"zone",
                           {{"type", "Feature"},
                            {"properties", {{"miles", miles}, {"area_km2", zone.area_m2 / 1e6}}},
                            {"geometry", multipolygon_geometry(zone.polygons, thread_crs())}}}};
    res.set_content(dump(out), kJson);
  });

  router.post("/v1/coverage", [&data, &limits](const httplib::Request& req, httplib::Response& res) {
    nlohmann::json body = parse_json_body(req);
    if (!body.is_object()) throw ApiError(ApiCode::wrong_type, "the request body must be a JSON object");
    if (body.contains("la"))
      throw ApiError(ApiCode::not_loaded,
                     "no placement cohort is loaded: la= works once `placedist analyse` cohorts can be served; send homes");
    const ProviderSet& set = providers_of(data);
    double miles = number_member(body, "miles", 20, 0.1, limits.max_miles);
    double min_places = number_member(body, "min_places", 1, 0, 1e6);
    if (auto mode = body.find("mode"); mode != body.end()) {
      if (!mode->is_string()) throw ApiError(ApiCode::wrong_type, "mode must be a string");
      check_mode(mode->get<std::string>());
    }
    const nlohmann::json& homes = member(body, "homes");
    if (!homes.is_array()) throw ApiError(ApiCode::wrong_type, "homes must be an array of postcodes");
    if (homes.size() > limits.max_rows)
      throw ApiError(ApiCode::too_many_rows, std::to_string(homes.size()) + " homes; the limit is " +
                                                 std::to_string(limits.max_rows) + " (--max-rows)");
    struct SectorTally {
      std::size_t homes = 0, with_min = 0;
      long long places = 0;
      LonLat position;
    };
    std::map<std::string, SectorTally> by_sector;
    std::map<std::string, long long> sector_places;  // places within reach of a sector's centroid
    std::size_t located = 0, with_min = 0;
    nlohmann::json rows = nlohmann::json::array();
    for (std::size_t i = 0; i < homes.size(); ++i) {
      if (!homes[i].is_string()) throw ApiError(ApiCode::wrong_type, "homes[" + std::to_string(i) + "] must be a string");
      const std::string& typed = homes[i].get_ref<const std::string&>();
      Postcode pc = parse_postcode(typed);
      GeocodeResult r = data.gazetteer.lookup(pc);
      nlohmann::json row = {{"query", typed}, {"status", to_string(r.status)}};
      if (r.located()) {
        ++located;
        ReachTotals t = totals(set, providers_within(set, r.grid, miles));
        bool enough = static_cast<double>(t.places) >= min_places;
        with_min += enough;
        row["postcode"] = pc.normalised();
        row["providers_within"] = t.providers;
        row["places_within"] = t.places;
        row["at_least_min_places"] = enough;
        if (pc.level == PostcodeLevel::unit) {
          std::string sector(pc.normalised().substr(0, pc.length - 2));
          row["sector"] = sector;
          SectorTally& s = by_sector[sector];
          ++s.homes;
          s.with_min += enough;
          s.places += t.places;
        }
      } else {
        row["message"] = r.message;
      }
      rows.push_back(std::move(row));
    }
    nlohmann::json features = nlohmann::json::array();
    for (auto& [sector, tally] : by_sector) {
      auto it = data.sector_index.find(sector);
      if (it == data.sector_index.end()) continue;
      const SectorInfo& info = data.sectors[it->second];
      features.push_back({{"type", "Feature"},
                          {"properties",
                           {{"sector", sector},
                            {"homes", tally.homes},
                            {"homes_with_min_places", tally.with_min},
                            {"share_with_min_places", static_cast<double>(tally.with_min) / tally.homes},
                            {"mean_places_within", static_cast<double>(tally.places) / tally.homes}}},
                          {"geometry", point_geometry(info.position)}});
    }
    nlohmann::json out = {
        {"miles", miles},
        {"mode", "straight"},
        {"min_places", min_places},
        {"summary",
         {{"homes", homes.size()},
          {"located", located},
          {"with_min_places", with_min},
          {"share_with_min_places", located ? static_cast<double>(with_min) / located : 0.0}}},
        {"homes", std::move(rows)},
        {"choropleth", {{"type", "FeatureCollection"}, {"features", std::move(features)}}}};
    res.set_content(dump(out), kJson);
  });

  router.get("/v1/layers/coverage", [&data, &limits](const httplib::Request& req, httplib::Response& res) {
    const ProviderSet& set = providers_of(data);
    std::string la = required_query(req, "la");
    double miles = query_number(req, "miles", 20, 0.1, limits.max_miles);
    std::vector<std::size_t> sectors = data.sectors_of(la);
    if (sectors.empty()) throw ApiError(ApiCode::not_found, "no postcode sectors for council " + la);
    nlohmann::json features = nlohmann::json::array();
    for (std::size_t i : sectors) {
      const SectorInfo& s = data.sectors[i];
      ReachTotals t = totals(set, providers_within(set, s.grid, miles));
      features.push_back({{"type", "Feature"},
                          {"properties",
                           {{"sector", s.sector},
                            {"council", s.utla_code},
                            {"live_units", s.units},
                            {"providers_within", t.providers},
                            {"places_within", t.places}}},
                          {"geometry", point_geometry(s.position)}});
    }
    res.set_content(dump({{"type", "FeatureCollection"},
                          {"properties", {{"council", la}, {"miles", miles}, {"unit", "postcode sector centroid"}}},
                          {"features", std::move(features)}}),
                    kJson);
  });
}

}  // namespace placedist::serve
