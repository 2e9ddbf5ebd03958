// Coverage of care providers within a distance of homes: DfE miles in a straight line, or road
// miles (shortest route, metres / 1609.344; src/analysis/coverage.hpp) with mode=road:
//  GET  /v1/coverage?postcode=&miles=20&mode=straight|road  one home: providers and places in
//       reach, zone (a circle, or the road reach polygon)
//  POST /v1/coverage {"homes": [...] | "la": CODE, "miles": 20, "min_places": 1, "mode": ...}
//       many homes (or a loaded cohort's children): per home, share of homes with at least
//       min_places places, and a choropleth by postcode sector
//  GET  /v1/layers/coverage?la=CODE&miles=20&mode=straight|road  every sector of a council (its
//       centroid): places in reach; road answers cached per (council, miles)
#include "src/serve/http_message.hpp"

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
#include "src/analysis/coverage.hpp"
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

// Statuses the parsing above already rules out; should one reach here, it says which.
void require_ok(CoverageStatus status) {
  if (status == CoverageStatus::ok) return;
  if (status == CoverageStatus::no_road_network)
    throw ApiError(ApiCode::not_loaded, "road mode needs a road network: start the server with --roads FILE");
  throw ApiError(ApiCode::invalid_value, coverage_status_code(status));
}

// The road zone of one home (src/analysis/road_zone.hpp).
nlohmann::json road_zone_feature(roads::RoadQuery& query, LonLat home, double miles) {
  return zone_feature(
      road_zone(query, {&home, 1}, miles * kMetresPerMile),
      {{"miles", miles},
       {"mode", "road"},
       {"method", "reached road pieces (shortest routes) through 250 m grid cells, grown by one cell"}});
}

// The homes of a POST /v1/coverage request (typed postcodes, or a loaded cohort's children)
// and each one's identity in the answer: query (and postcode) or the child's id.
struct HomesIn {
  std::vector<CoverageHome> homes;
  std::vector<nlohmann::json> rows;
};

HomesIn homes_from_list(const nlohmann::json& homes, const ServiceData& data, const Limits& limits) {
  if (!homes.is_array()) throw ApiError(ApiCode::wrong_type, "homes must be an array of postcodes");
  if (homes.size() > limits.max_rows)
    throw ApiError(ApiCode::too_many_rows, std::to_string(homes.size()) + " homes; the limit is " +
                                               std::to_string(limits.max_rows) + " (--max-rows)");
  HomesIn out;
  out.homes.reserve(homes.size());
  out.rows.reserve(homes.size());
  for (std::size_t i = 0; i < homes.size(); ++i) {
    if (!homes[i].is_string()) throw ApiError(ApiCode::wrong_type, "homes[" + std::to_string(i) + "] must be a string");
    const std::string& typed = homes[i].get_ref<const std::string&>();
    Postcode pc = data.gazetteer.parse(typed);
    GeocodeResult r = data.gazetteer.lookup(pc);
    const CoverageHome& h = out.homes.emplace_back(coverage_home(pc, r));
    nlohmann::json& row = out.rows.emplace_back(nlohmann::json{{"query", typed}, {"status", to_string(r.status)}});
    if (!h.located) {
      row["message"] = r.message;
      continue;
    }
    row["postcode"] = pc.normalised();
    if (!h.sector.empty()) row["sector"] = h.sector;
  }
  return out;
}

// The children of a loaded cohort, keyed by id and home postcode SECTOR only: the full home
// postcode is personal data and never leaves the server (nor does the row's message, which may
// quote it). Their homes are located as the cohort's analysis located them.
HomesIn homes_from_cohort(const Cohort& cohort) {
  HomesIn out;
  out.homes.reserve(cohort.rows.size());
  out.rows.reserve(cohort.rows.size());
  for (const PlacementRow& row : cohort.rows) {
    CoverageHome& h = out.homes.emplace_back();
    // A row the cohort's reader could not use says so; others give their home's geocode status.
    nlohmann::json& json = out.rows.emplace_back(nlohmann::json{
        {"id", row.id},
        {"status", row.status == RowStatus::bad_row ? to_string(row.status) : to_string(row.home_status)}});
    // From the home's published area (src/analysis/disclosure.hpp), never the unit: the answer is
    // shareable, and counts from the unit, swept over miles, would pin it. A withheld home (its
    // area holds fewer than 5 units) is not counted.
    if (!row.home_located() || row.home_sector.empty()) continue;
    h.located = true;
    h.grid = row.home_sector_grid;
    h.position = row.home_sector_position;
    h.sector = row.home_sector;
    json["sector"] = h.sector;
  }
  return out;
}

// GET /v1/coverage by road: the providers within reach and the candidates not routed, listed.
nlohmann::json road_home_json(const ProviderSet& set, const HomeProviders& found) {
  const RoadCoverage& c = found.road;
  nlohmann::json within = nlohmann::json::array(), unrouted = nlohmann::json::array();
  for (const RoadProvider& r : c.within) {
    nlohmann::json p = provider_json(set.providers[r.provider], r.dfe_miles);
    p["shortest_road_miles"] = round_to(r.road_metres / kMetresPerMile, roads::kRoadMilesDecimals);
    p["road_minutes"] = round_to(r.road_seconds / 60, roads::kRoadMinutesDecimals);
    within.push_back(std::move(p));
  }
  for (const RoadUnrouted& r : c.unrouted) {
    nlohmann::json p = provider_json(set.providers[r.provider], r.dfe_miles);
    p["road_status"] = std::string(to_string(r.status));
    unrouted.push_back(std::move(p));
  }
  nlohmann::json out = {{"mode", "road"},
                        {"unit", "road miles: metres of the shortest route between the snapped points / 1609.344"},
                        {"road_status", std::string(to_string(c.home_status))},
                        {"home_snap_m", number_or_null(c.home_snap_m, 1)},
                        {"providers_within", found.totals.providers},
                        {"places_within", found.totals.places},
                        {"providers_without_places", found.totals.providers_without_places},
                        {"providers_candidates", c.candidates},
                        {"providers_not_routed", c.unrouted.size()},
                        {"providers_total", set.located},
                        {"providers", std::move(within)},
                        {"not_routed", std::move(unrouted)}};
  if (c.home_status != roads::RoadStatus::ok) out["message"] = home_road_message(c.home_status);
  return out;
}

// GET /v1/coverage in a straight line: the providers within DfE miles, listed.
nlohmann::json straight_home_json(const ProviderSet& set, const HomeProviders& found) {
  nlohmann::json within = nlohmann::json::array();
  for (const Reach& r : found.straight) within.push_back(provider_json(set.providers[r.provider], r.dfe_miles));
  return {{"mode", "straight"},
          {"providers_within", found.totals.providers},
          {"places_within", found.totals.places},
          {"providers_without_places", found.totals.providers_without_places},
          {"providers_total", set.located},
          {"providers", std::move(within)}};
}

// The straight zone of one home: a DfE-miles circle on the grid.
nlohmann::json straight_zone_feature(GridRef centre, double miles) {
  ZoneOptions options;
  options.radius_m = miles * kMetresPerDfeMile;
  options.quadrant_segments = 16;
  Zone zone = union_of_circles({&centre, 1}, options);
  return {{"type", "Feature"},
          {"properties", {{"miles", miles}, {"area_km2", zone.area_m2 / 1e6}}},
          {"geometry", multipolygon_geometry(zone.polygons, thread_crs())}};
}

// One row of POST /v1/coverage: the home's identity plus its coverage.
void add_coverage_fields(nlohmann::json& row, const HomeCoverage& h, bool road, bool with_snap) {
  if (!h.located) return;
  if (road) {
    row["road_status"] = std::string(to_string(h.road_status));
    if (with_snap) row["home_snap_m"] = number_or_null(h.home_snap_m, 1);
    row["providers_not_routed"] = h.providers_not_routed;
  }
  if (!h.counted) {
    row["message"] = home_road_message(h.road_status);
    return;
  }
  row["providers_within"] = h.within.providers;
  row["places_within"] = h.within.places;
  row["at_least_min_places"] = h.at_least_min_places;
}

// The choropleth of POST /v1/coverage: one point a sector, at its centroid.
nlohmann::json sector_features(const ServiceData& data, const std::map<std::string, SectorTally>& sectors) {
  nlohmann::json features = nlohmann::json::array();
  for (const auto& [sector, tally] : sectors) {
    auto it = data.sector_index.find(sector);
    if (it == data.sector_index.end()) continue;
    const SectorInfo& info = data.sectors[it->second];
    const double homes = static_cast<double>(tally.homes);
    features.push_back({{"type", "Feature"},
                        {"properties",
                         {{"sector", sector},
                          {"homes", tally.homes},
                          {"homes_with_min_places", tally.homes_with_min_places},
                          {"share_with_min_places", static_cast<double>(tally.homes_with_min_places) / homes},
                          {"mean_places_within", static_cast<double>(tally.places) / homes}}},
                        {"geometry", point_geometry(info.position)}});
  }
  return features;
}

// A road query lent for the computation in road mode (none for straight answers).
std::optional<RoadLease> lend_if_road(const ServiceData& data, bool road) {
  if (!road) return std::nullopt;
  return data.lend_road_query();
}

// The lent query in the form the library takes (none for straight answers).
std::vector<roads::RoadQuery*> road_queries(const std::optional<RoadLease>& lease) {
  if (!lease) return {};
  return {&**lease};
}

}  // namespace

void add_coverage_routes(Router& router, const RouteContext& context) {
  const ServiceData& data = context.data;
  const Limits& limits = context.options.limits;

  router.get("/v1/coverage", [&data, &limits](const Request& req, Response& res) {
    const ProviderSet& set = providers_of(data);
    std::string typed = required_query(req, "postcode");
    CoverageParameters parameters;
    parameters.miles = miles_query(req, limits.max_miles);
    const bool road = road_mode(query(req, "mode").value_or("straight"), data.roads != nullptr);
    parameters.mode = road ? CoverageMode::road : CoverageMode::straight;
    // zone=false leaves the polygon out: by road it costs most of the answer's time.
    const bool with_zone = query_flag(req, "zone", true);
    Postcode pc = data.gazetteer.parse(typed);
    GeocodeResult centre = data.gazetteer.lookup(pc);
    std::string centre_json;
    append_geocode_json(centre_json, typed, pc, centre);
    if (!centre.located()) {
      res.status = http_status(centre.status);
      set_current_error_code(to_string(centre.status));
      res.set_content(centre_json, kJson);
      return;
    }
    HomeProviders found;
    const std::optional<RoadLease> lease = lend_if_road(data, road);  // held for the providers and the zone
    require_ok(providers_near_home(set, coverage_home(pc, centre), parameters, lease ? &**lease : nullptr, found));
    nlohmann::json out = road ? road_home_json(set, found) : straight_home_json(set, found);
    out["centre"] = nlohmann::json::parse(centre_json);
    out["miles"] = parameters.miles;
    if (with_zone)
      out["zone"] = road ? road_zone_feature(**lease, centre.position, parameters.miles)
                         : straight_zone_feature(centre.grid, parameters.miles);
    res.set_content(dump(out), kJson);
  }, Work::heavy);

  router.post("/v1/coverage", [&data, &limits](const Request& req, Response& res) {
    const auto started = std::chrono::steady_clock::now();
    nlohmann::json body = parse_json_body(req, limits.max_rows);
    if (!body.is_object()) throw ApiError(ApiCode::wrong_type, "the request body must be a JSON object");
    bool road = false;
    if (auto mode = body.find("mode"); mode != body.end()) {
      if (!mode->is_string()) throw ApiError(ApiCode::wrong_type, "mode must be a string");
      road = road_mode(mode->get<std::string>(), data.roads != nullptr);
    }
    CoverageParameters parameters;
    parameters.mode = road ? CoverageMode::road : CoverageMode::straight;
    parameters.miles = miles_member(body, limits.max_miles);
    parameters.min_places = number_member(body, "min_places", 1, 0, 1e6);
    const ProviderSet& set = providers_of(data);
    HomesIn in;
    const Cohort* cohort = nullptr;
    if (auto la = body.find("la"); la != body.end()) {
      if (!la->is_string()) throw ApiError(ApiCode::wrong_type, "la must be a string (a council code or name)");
      if (body.contains("homes")) throw ApiError(ApiCode::invalid_value, "send homes or la, not both");
      cohort = &data.cohort(la->get<std::string>());
      in = homes_from_cohort(*cohort);
    } else {
      in = homes_from_list(member(body, "homes"), data, limits);
    }
    CoverageResult result;
    {
      const std::optional<RoadLease> lease = lend_if_road(data, road);
      require_ok(compute_coverage(set, in.homes, parameters, road_queries(lease), result));
    }

    nlohmann::json rows = nlohmann::json::array();
    for (std::size_t i = 0; i < in.rows.size(); ++i) {
      // Not for a cohort's children: the distance from their exact home to the road would
      // single out the unit postcode within the sector the row gives.
      add_coverage_fields(in.rows[i], result.homes[i], road, !cohort);
      rows.push_back(std::move(in.rows[i]));
    }
    const CoverageSummary& s = result.summary;
    nlohmann::json summary = {{"homes", s.homes},
                              {"located", s.located},
                              {"with_min_places", s.with_min_places},
                              {"share_with_min_places", s.share_with_min_places()}};
    if (road) summary["routed"] = s.counted;
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    nlohmann::json out = {
        {"miles", parameters.miles},
        {"mode", to_string(parameters.mode)},
        {"min_places", parameters.min_places},
        {"summary", std::move(summary)},
        {"homes", std::move(rows)},
        {"choropleth", {{"type", "FeatureCollection"}, {"features", sector_features(data, result.sectors)}}},
        {"timing",
         {{"seconds", round_to(seconds, 3)}, {"homes_per_second", seconds > 0 ? std::round(s.homes / seconds) : 0.0}}}};
    if (cohort) out["la"] = {{"code", cohort->la_code}, {"name", cohort->la_name}, {"source", cohort->source}};
    res.set_content(dump(out), kJson);
  }, Work::heavy);

  // Road layers route every sector of a council (a matrix per block of sectors, seconds): the
  // last few (council, miles) are kept, as the road zones are.
  auto road_layers = std::make_shared<LruCache<std::pair<std::string, double>, std::string>>(16);
  router.get("/v1/layers/coverage", [&data, &limits, road_layers](const Request& req, Response& res) {
    const ProviderSet& set = providers_of(data);
    std::string la = required_query(req, "la");
    CoverageParameters parameters;
    parameters.miles = miles_query(req, limits.max_miles);
    const bool road = road_mode(query(req, "mode").value_or("straight"), data.roads != nullptr);
    parameters.mode = road ? CoverageMode::road : CoverageMode::straight;
    const std::pair<std::string, double> key{la, parameters.miles};
    if (road)
      if (std::optional<std::string> cached = road_layers->get(key)) {
        res.set_content(*cached, kJson);
        return;
      }
    std::vector<std::size_t> sectors = data.sectors_of(la);
    if (sectors.empty()) throw ApiError(ApiCode::not_found, "no postcode sectors for council " + la);
    // The sector centroids are the homes (no sector of their own: no tallies wanted).
    std::vector<CoverageHome> homes(sectors.size());
    for (std::size_t k = 0; k < sectors.size(); ++k) {
      homes[k].located = true;
      homes[k].grid = data.sectors[sectors[k]].grid;
      homes[k].position = data.sectors[sectors[k]].position;
    }
    CoverageResult result;
    {
      const std::optional<RoadLease> lease = lend_if_road(data, road);
      require_ok(compute_coverage(set, homes, parameters, road_queries(lease), result));
    }
    nlohmann::json features = nlohmann::json::array();
    for (std::size_t k = 0; k < sectors.size(); ++k) {
      const SectorInfo& s = data.sectors[sectors[k]];
      const HomeCoverage& c = result.homes[k];
      nlohmann::json properties = {{"sector", s.sector}, {"council", s.utla_code}, {"live_units", s.units}};
      properties["providers_within"] = c.counted ? nlohmann::json(c.within.providers) : nlohmann::json();
      properties["places_within"] = c.counted ? nlohmann::json(c.within.places) : nlohmann::json();
      if (road) {
        properties["road_status"] = std::string(to_string(c.road_status));
        properties["providers_not_routed"] = c.providers_not_routed;
      }
      features.push_back(
          {{"type", "Feature"}, {"properties", std::move(properties)}, {"geometry", point_geometry(s.position)}});
    }
    nlohmann::json properties = {{"council", la},
                                 {"miles", parameters.miles},
                                 {"mode", to_string(parameters.mode)},
                                 {"unit", "postcode sector centroid"}};
    properties["distance"] = road ? "road miles: metres of the shortest route between the snapped points / 1609.344"
                                  : "DfE miles: British National Grid straight line, rounded to 0.1 mile";
    std::string body =
        dump({{"type", "FeatureCollection"}, {"properties", std::move(properties)}, {"features", std::move(features)}});
    if (road) road_layers->put(key, body);
    res.set_content(body, kJson);
  }, Work::heavy);
}

}  // namespace placedist::serve
