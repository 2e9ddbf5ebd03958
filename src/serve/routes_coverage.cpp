// Coverage of care providers within a distance of homes: DfE miles in a straight line, or road
// miles (shortest route, metres / 1609.344; src/serve/road_coverage.hpp) with mode=road:
//  GET  /v1/coverage?postcode=&miles=20&mode=straight|road  one home: providers and places in
//       reach, zone (a circle, or the road reach polygon)
//  POST /v1/coverage {"homes": [...] | "la": CODE, "miles": 20, "min_places": 1, "mode": ...}
//       many homes (or a loaded cohort's children): per home, share of homes with at least
//       min_places places, and a choropleth by postcode sector
//  GET  /v1/layers/coverage?la=CODE&miles=20&mode=straight|road  every sector of a council (its
//       centroid): places in reach; road answers cached per (council, miles)
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "geo/distance.hpp"
#include "geo/roads/road_precision.hpp"
#include "shapes/zones.hpp"
#include "src/analysis/road_coverage.hpp"
#include "src/serve/api_error.hpp"
#include "src/serve/geojson.hpp"
#include "src/serve/json_writer.hpp"
#include "src/serve/lru_cache.hpp"
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
std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }
nlohmann::json number_or_null(double v, int decimals) {
  return std::isfinite(v) ? nlohmann::json(round_to(v, decimals)) : nlohmann::json();
}

const ProviderSet& providers_of(const ServiceData& data) {
  if (!data.providers)
    throw ApiError(ApiCode::not_loaded, "no providers are loaded: start the server with --providers FILE");
  return *data.providers;
}

nlohmann::json provider_json(const Provider& p, double miles) {
  return {{"urn", p.urn},
          {"name", p.name},
          {"type", p.type},
          {"places", p.places >= 0 ? nlohmann::json(p.places) : nlohmann::json()},
          {"synthetic", p.synthetic},
          {"council", p.utla_code},
          {"dfe_miles", miles},
          {"lon", p.position.lon},
          {"lat", p.position.lat}};
}

const char* road_message(roads::RoadStatus status) {
  switch (status) {
    case roads::RoadStatus::ok: return "";
    case roads::RoadStatus::no_road_within_radius:
      return "the home lies more than the snap radius from a drivable road";
    case roads::RoadStatus::outside_network: return "the home lies outside the loaded road network";
    case roads::RoadStatus::no_route: return "no drivable route from the home";
  }
  return "";
}

ReachTotals road_totals(const ProviderSet& set, const RoadCoverage& c) {
  ReachTotals t;
  for (const RoadProvider& r : c.within) count_provider(t, set.providers[r.provider]);
  return t;
}

// The road zone of one home (src/analysis/road_zone.hpp).
nlohmann::json road_zone_feature(const ServiceData& data, LonLat home, double miles) {
  return zone_feature(
      road_zone(data.road_query(), {&home, 1}, miles * kMetresPerMile),
      {{"miles", miles},
       {"mode", "road"},
       {"method", "reached road pieces (shortest routes) through 250 m grid cells, grown by one cell"}});
}

// One home of a POST /v1/coverage request: typed postcodes, or a loaded cohort's children.
struct HomeIn {
  nlohmann::json row;  // the row's identity: query (and postcode) or the child's id
  bool located = false;
  GridRef grid;
  LonLat position;
  std::string sector;  // "" when not known at unit level
};

std::vector<HomeIn> homes_from_list(const nlohmann::json& homes, const ServiceData& data, const Limits& limits) {
  if (!homes.is_array()) throw ApiError(ApiCode::wrong_type, "homes must be an array of postcodes");
  if (homes.size() > limits.max_rows)
    throw ApiError(ApiCode::too_many_rows, std::to_string(homes.size()) + " homes; the limit is " +
                                               std::to_string(limits.max_rows) + " (--max-rows)");
  std::vector<HomeIn> out;
  out.reserve(homes.size());
  for (std::size_t i = 0; i < homes.size(); ++i) {
    if (!homes[i].is_string()) throw ApiError(ApiCode::wrong_type, "homes[" + std::to_string(i) + "] must be a string");
    const std::string& typed = homes[i].get_ref<const std::string&>();
    Postcode pc = parse_postcode(typed);
    GeocodeResult r = data.gazetteer.lookup(pc);
    HomeIn& h = out.emplace_back();
    h.row = {{"query", typed}, {"status", to_string(r.status)}};
    if (!r.located()) {
      h.row["message"] = r.message;
      continue;
    }
    h.located = true;
    h.grid = r.grid;
    h.position = r.position;
    h.row["postcode"] = pc.normalised();
    if (pc.level == PostcodeLevel::unit) h.sector = std::string(pc.normalised().substr(0, pc.length - 2));
    if (!h.sector.empty()) h.row["sector"] = h.sector;
  }
  return out;
}

// The children of a loaded cohort, keyed by id and home postcode SECTOR only: the full home
// postcode is personal data and never leaves the server (nor does the row's message, which may
// quote it). Their homes are located as the cohort's analysis located them.
std::vector<HomeIn> homes_from_cohort(const Cohort& cohort) {
  std::vector<HomeIn> out;
  out.reserve(cohort.rows.size());
  for (const PlacementRow& row : cohort.rows) {
    HomeIn& h = out.emplace_back();
    // A row the cohort's reader could not use says so; others give their home's geocode status.
    h.row = {{"id", row.id},
             {"status", row.status == RowStatus::bad_row ? to_string(row.status) : to_string(row.home_status)}};
    if (!row.home_located()) continue;
    h.located = true;
    h.grid = row.home_grid;
    h.position = row.home_position;
    h.sector = row.home_sector;
    if (!h.sector.empty()) h.row["sector"] = h.sector;
  }
  return out;
}

// Road coverage of the located homes, in blocks of spatially close homes (one matrix query a
// block); identical locations are routed once.
std::vector<RoadCoverage> road_coverage_of(const ServiceData& data, const ProviderSet& set,
                                           const std::vector<HomeIn>& homes, double limit_m) {
  constexpr std::size_t kBlock = 256;
  std::map<std::pair<double, double>, std::size_t> unique_index;
  std::vector<RoadHome> unique;
  std::vector<std::size_t> of_home(homes.size(), 0);
  for (std::size_t i = 0; i < homes.size(); ++i) {
    if (!homes[i].located) continue;
    auto [it, added] = unique_index.emplace(std::pair{homes[i].grid.easting, homes[i].grid.northing}, unique.size());
    if (added) unique.push_back({homes[i].grid, homes[i].position});
    of_home[i] = it->second;
  }
  // 10 km strips north to south, west to east within a strip: blocks share most candidates.
  std::vector<std::size_t> order(unique.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    double sa = std::floor(unique[a].grid.northing / 10000), sb = std::floor(unique[b].grid.northing / 10000);
    return sa != sb ? sa < sb : unique[a].grid.easting < unique[b].grid.easting;
  });
  std::vector<RoadCoverage> by_unique(unique.size());
  roads::RoadQuery& query = data.road_query();
  for (std::size_t start = 0; start < order.size(); start += kBlock) {
    std::size_t end = std::min(order.size(), start + kBlock);
    std::vector<RoadHome> block;
    for (std::size_t k = start; k < end; ++k) block.push_back(unique[order[k]]);
    std::vector<RoadCoverage> answers = road_coverage(query, set, block, limit_m);
    for (std::size_t k = start; k < end; ++k) by_unique[order[k]] = std::move(answers[k - start]);
  }
  std::vector<RoadCoverage> out(homes.size());
  for (std::size_t i = 0; i < homes.size(); ++i)
    if (homes[i].located) out[i] = by_unique[of_home[i]];
  return out;
}

}  // namespace

void add_coverage_routes(Router& router, const RouteContext& context) {
  const ServiceData& data = context.data;
  const Limits& limits = context.options.limits;

  router.get("/v1/coverage", [&data, &limits](const httplib::Request& req, httplib::Response& res) {
    const ProviderSet& set = providers_of(data);
    std::string typed = required_query(req, "postcode");
    double miles = miles_query(req, limits.max_miles);
    const bool road = road_mode(query(req, "mode").value_or("straight"), data.roads != nullptr);
    // zone=false leaves the polygon out: by road it costs most of the answer's time.
    const bool with_zone = query_flag(req, "zone", true);
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
    if (road) {
      RoadHome home{centre.grid, centre.position};
      RoadCoverage c = road_coverage(data.road_query(), set, {&home, 1}, miles * kMetresPerMile)[0];
      ReachTotals t = road_totals(set, c);
      nlohmann::json within = nlohmann::json::array(), unrouted = nlohmann::json::array();
      for (const RoadProvider& r : c.within) {
        nlohmann::json p = provider_json(set.providers[r.provider], r.dfe_miles);
        p["shortest_road_miles"] = round_to(r.road_metres / kMetresPerMile, roads::kRoadMilesDecimals);
        p["road_minutes"] = round_to(r.road_seconds / 60, roads::kRoadMinutesDecimals);
        within.push_back(std::move(p));
      }
      for (const RoadUnrouted& r : c.unrouted) {
        nlohmann::json p = provider_json(set.providers[r.provider], r.dfe_miles);
        p["road_status"] = std::string(roads::road_status_code(r.status));
        unrouted.push_back(std::move(p));
      }
      const bool ok = c.home_status == roads::RoadStatus::ok;
      nlohmann::json out = {{"centre", nlohmann::json::parse(centre_json)},
                            {"miles", miles},
                            {"mode", "road"},
                            {"unit", "road miles: metres of the shortest route between the snapped points / 1609.344"},
                            {"road_status", std::string(roads::road_status_code(c.home_status))},
                            {"home_snap_m", number_or_null(c.home_snap_m, 1)},
                            {"providers_within", t.providers},
                            {"places_within", t.places},
                            {"providers_without_places", t.providers_without_places},
                            {"providers_candidates", c.candidates},
                            {"providers_not_routed", c.unrouted.size()},
                            {"providers_total", set.located},
                            {"providers", std::move(within)},
                            {"not_routed", std::move(unrouted)}};
      if (!ok) out["message"] = road_message(c.home_status);
      if (with_zone) out["zone"] = road_zone_feature(data, centre.position, miles);
      res.set_content(dump(out), kJson);
      return;
    }
    std::vector<Reach> reach = providers_within(set, centre.grid, miles);
    ReachTotals t = totals(set, reach);
    nlohmann::json within = nlohmann::json::array();
    for (const Reach& r : reach) within.push_back(provider_json(set.providers[r.provider], r.dfe_miles));
    nlohmann::json out = {{"centre", nlohmann::json::parse(centre_json)},
                          {"miles", miles},
                          {"mode", "straight"},
                          {"providers_within", t.providers},
                          {"places_within", t.places},
                          {"providers_without_places", t.providers_without_places},
                          {"providers_total", set.located},
                          {"providers", std::move(within)}};
    if (with_zone) {
      ZoneOptions options;
      options.radius_m = miles * kMetresPerDfeMile;
      options.quadrant_segments = 16;
      GridRef point = centre.grid;
      Zone zone = union_of_circles({&point, 1}, options);
      out["zone"] = {{"type", "Feature"},
                     {"properties", {{"miles", miles}, {"area_km2", zone.area_m2 / 1e6}}},
                     {"geometry", multipolygon_geometry(zone.polygons, thread_crs())}};
    }
    res.set_content(dump(out), kJson);
  });

  router.post("/v1/coverage", [&data, &limits](const httplib::Request& req, httplib::Response& res) {
    const auto started = std::chrono::steady_clock::now();
    nlohmann::json body = parse_json_body(req);
    if (!body.is_object()) throw ApiError(ApiCode::wrong_type, "the request body must be a JSON object");
    bool road = false;
    if (auto mode = body.find("mode"); mode != body.end()) {
      if (!mode->is_string()) throw ApiError(ApiCode::wrong_type, "mode must be a string");
      road = road_mode(mode->get<std::string>(), data.roads != nullptr);
    }
    double miles = miles_member(body, limits.max_miles);
    double min_places = number_member(body, "min_places", 1, 0, 1e6);
    const ProviderSet& set = providers_of(data);
    std::vector<HomeIn> homes;
    const Cohort* cohort = nullptr;
    if (auto la = body.find("la"); la != body.end()) {
      if (!la->is_string()) throw ApiError(ApiCode::wrong_type, "la must be a string (a council code or name)");
      if (body.contains("homes")) throw ApiError(ApiCode::invalid_value, "send homes or la, not both");
      cohort = &data.cohort(la->get<std::string>());
      homes = homes_from_cohort(*cohort);
    } else {
      homes = homes_from_list(member(body, "homes"), data, limits);
    }
    std::vector<RoadCoverage> by_road;
    if (road) by_road = road_coverage_of(data, set, homes, miles * kMetresPerMile);

    struct SectorTally {
      std::size_t homes = 0, with_min = 0;
      long long places = 0;
    };
    std::map<std::string, SectorTally> by_sector;
    std::size_t located = 0, routed = 0, with_min = 0;
    nlohmann::json rows = nlohmann::json::array();
    for (std::size_t i = 0; i < homes.size(); ++i) {
      HomeIn& h = homes[i];
      nlohmann::json row = std::move(h.row);
      if (h.located) {
        ++located;
        ReachTotals t;
        bool counted = true;
        if (road) {
          const RoadCoverage& c = by_road[i];
          row["road_status"] = std::string(roads::road_status_code(c.home_status));
          // Not for a cohort's children: the distance from their exact home to the road would
          // single out the unit postcode within the sector the row gives.
          if (!cohort) row["home_snap_m"] = number_or_null(c.home_snap_m, 1);
          row["providers_not_routed"] = c.unrouted.size();
          counted = c.home_status == roads::RoadStatus::ok;
          t = road_totals(set, c);
        } else {
          t = totals(set, providers_within(set, h.grid, miles));
        }
        if (counted) {
          ++routed;
          bool enough = static_cast<double>(t.places) >= min_places;
          with_min += enough;
          row["providers_within"] = t.providers;
          row["places_within"] = t.places;
          row["at_least_min_places"] = enough;
          if (!h.sector.empty()) {
            SectorTally& s = by_sector[h.sector];
            ++s.homes;
            s.with_min += enough;
            s.places += t.places;
          }
        } else {
          row["message"] = road_message(by_road[i].home_status);
        }
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
    const std::size_t counted = road ? routed : located;
    nlohmann::json summary = {{"homes", homes.size()},
                              {"located", located},
                              {"with_min_places", with_min},
                              {"share_with_min_places", counted ? static_cast<double>(with_min) / counted : 0.0}};
    if (road) summary["routed"] = routed;
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    nlohmann::json out = {{"miles", miles},
                          {"mode", road ? "road" : "straight"},
                          {"min_places", min_places},
                          {"summary", std::move(summary)},
                          {"homes", std::move(rows)},
                          {"choropleth", {{"type", "FeatureCollection"}, {"features", std::move(features)}}},
                          {"timing",
                           {{"seconds", round_to(seconds, 3)},
                            {"homes_per_second", seconds > 0 ? std::round(homes.size() / seconds) : 0.0}}}};
    if (cohort) out["la"] = {{"code", cohort->la_code}, {"name", cohort->la_name}, {"source", cohort->source}};
    res.set_content(dump(out), kJson);
  });

  // Road layers route every sector of a council (a matrix per block of sectors, seconds): the
  // last few (council, miles) are kept, as the road zones are.
  auto road_layers = std::make_shared<LruCache<std::pair<std::string, double>, std::string>>(16);
  router.get("/v1/layers/coverage", [&data, &limits, road_layers](const httplib::Request& req, httplib::Response& res) {
    const ProviderSet& set = providers_of(data);
    std::string la = required_query(req, "la");
    double miles = miles_query(req, limits.max_miles);
    const bool road = road_mode(query(req, "mode").value_or("straight"), data.roads != nullptr);
    const std::pair<std::string, double> key{la, miles};
    if (road)
      if (std::optional<std::string> cached = road_layers->get(key)) {
        res.set_content(*cached, kJson);
        return;
      }
    std::vector<std::size_t> sectors = data.sectors_of(la);
    if (sectors.empty()) throw ApiError(ApiCode::not_found, "no postcode sectors for council " + la);
    // Road mode: the sector centroids are the homes of the POST route's machinery.
    std::vector<RoadCoverage> by_road;
    if (road) {
      std::vector<HomeIn> homes(sectors.size());
      for (std::size_t k = 0; k < sectors.size(); ++k) {
        homes[k].located = true;
        homes[k].grid = data.sectors[sectors[k]].grid;
        homes[k].position = data.sectors[sectors[k]].position;
      }
      by_road = road_coverage_of(data, set, homes, miles * kMetresPerMile);
    }
    nlohmann::json features = nlohmann::json::array();
    for (std::size_t k = 0; k < sectors.size(); ++k) {
      const SectorInfo& s = data.sectors[sectors[k]];
      nlohmann::json properties = {{"sector", s.sector}, {"council", s.utla_code}, {"live_units", s.units}};
      if (road) {
        const RoadCoverage& c = by_road[k];
        const bool ok = c.home_status == roads::RoadStatus::ok;
        ReachTotals t = road_totals(set, c);
        properties["providers_within"] = ok ? nlohmann::json(t.providers) : nlohmann::json();
        properties["places_within"] = ok ? nlohmann::json(t.places) : nlohmann::json();
        properties["road_status"] = std::string(roads::road_status_code(c.home_status));
        properties["providers_not_routed"] = c.unrouted.size();
      } else {
        ReachTotals t = totals(set, providers_within(set, s.grid, miles));
        properties["providers_within"] = t.providers;
        properties["places_within"] = t.places;
      }
      features.push_back(
          {{"type", "Feature"}, {"properties", std::move(properties)}, {"geometry", point_geometry(s.position)}});
    }
    nlohmann::json properties = {
        {"council", la}, {"miles", miles}, {"mode", road ? "road" : "straight"}, {"unit", "postcode sector centroid"}};
    properties["distance"] = road ? "road miles: metres of the shortest route between the snapped points / 1609.344"
                                  : "DfE miles: British National Grid straight line, rounded to 0.1 mile";
    std::string body =
        dump({{"type", "FeatureCollection"}, {"properties", std::move(properties)}, {"features", std::move(features)}});
    if (road) road_layers->put(key, body);
    res.set_content(body, kJson);
  });
}

}  // namespace placedist::serve
