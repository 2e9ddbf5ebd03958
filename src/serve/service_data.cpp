#include "src/serve/service_data.hpp"

#include <arpa/inet.h>

#include <cctype>
#include <cmath>
#include <fstream>
#include <sstream>

#include "geo/io/ascii_case.hpp"
#include "src/serve/api_error.hpp"
#include "src/serve/geojson.hpp"

using namespace placedist::geo;
using namespace placedist::shapes;
using namespace placedist::maps;
using namespace placedist::analysis;

#ifndef PLACEDIST_WEB_ROOT
#define PLACEDIST_WEB_ROOT ""
#endif
#ifndef PLACEDIST_BUILD_TYPE
#define PLACEDIST_BUILD_TYPE ""
#endif

namespace placedist::serve {

namespace fs = std::filesystem;

bool is_loopback(const std::string& address) {
  if (address == "localhost" || address == "::1") return true;
  in_addr v4{};
  return inet_pton(AF_INET, address.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127;
}

fs::path default_web_root() { return PLACEDIST_WEB_ROOT; }

namespace {

std::string mime_for(const fs::path& path) {
  std::string ext = path.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".geojson") return "application/json";
  if (ext == ".png") return "image/png";
  if (ext == ".svg") return "image/svg+xml";
  return "application/octet-stream";
}

std::map<std::string, WebFile> load_web(const fs::path& root) {
  std::map<std::string, WebFile> files;
  if (root.empty() || !fs::is_directory(root)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    files[fs::relative(entry.path(), root).generic_string()] = {content.str(), mime_for(entry.path())};
  }
  return files;
}

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

}  // namespace

std::unique_ptr<ServiceData> ServiceData::load(const DataPaths& paths,
                                               const std::function<void(const std::string&)>& note) {
  auto say = [&](const std::string& line) {
    if (note) note(line);
  };
  std::unique_ptr<ServiceData> data(new ServiceData(Gazetteer::open(paths.gazetteer)));
  data->gazetteer.verify();  // every section's checksum, once at start (issue 13)
  say("gazetteer: " + std::to_string(data->gazetteer.unit_count()) + " postcodes");
  // The OSTN15 grid is found (or generated) once here, before worker threads make their own
  // transformers.
  thread_crs();
  data->nearest = NearestIndex(data->gazetteer);
  data->sectors = build_sectors(data->gazetteer);
  for (std::size_t i = 0; i < data->sectors.size(); ++i) data->sector_index.emplace(data->sectors[i].sector, i);
  say("nearest-postcode index: " + std::to_string(data->nearest.size()) + " live postcodes, " +
      std::to_string(data->sectors.size()) + " sectors");
  if (!paths.boundaries.empty()) {
    data->councils = CouncilLayers::load(paths.boundaries);
    say("boundaries: " + std::to_string(data->councils->size()) + " councils from " + paths.boundaries.string());
  }
  if (!paths.providers.empty()) {
    data->providers = load_providers(paths.providers, data->gazetteer);
    nlohmann::json features = nlohmann::json::array();
    for (const Provider& p : data->providers->providers) {
      if (!p.located()) continue;
      features.push_back({{"type", "Feature"},
                          {"properties",
                           {{"urn", p.urn},
                            {"name", p.name},
                            {"type", p.type},
                            {"places", p.places >= 0 ? nlohmann::json(p.places) : nlohmann::json()},
                            {"synthetic", p.synthetic},
                            {"council", p.utla_code}}},
                          {"geometry", point_geometry(p.position)}});
    }
    data->providers_geojson = dump({{"type", "FeatureCollection"}, {"features", std::move(features)}});
    say("providers: " + std::to_string(data->providers->providers.size()) + " (" +
        std::to_string(data->providers->located) + " located, " + std::to_string(data->providers->synthetic) +
        " synthetic) from " + paths.providers.string());
  }
  if (!paths.roads.empty()) {
    data->roads = roads::RoadNetwork::load(paths.roads);
    data->roads->verify();  // every section's checksum, once at start (issue 13)
    data->roads_path = paths.roads;
    data->m_road_pool = std::make_shared<roads::RoadQueryPool>(data->roads);  // size 0: one per core
    say("roads: " + paths.roads.string());
  }
  for (const std::string& spec : paths.cohorts) {
    CohortSources sources;
    sources.gazetteer = &data->gazetteer;
    sources.boundaries = data->councils ? &data->councils->boundaries() : nullptr;
    sources.default_boundaries = &data->default_boundaries;
    sources.roads = data->roads;
    sources.roads_source = data->roads_path.filename().string();
    sources.census_date = paths.cohort_at;
    sources.disclosure = paths.cohort_restricted ? maps::Disclosure::restricted : maps::Disclosure::shareable;
    Cohort cohort = load_cohort(spec, sources);
    say("cohort: " + std::to_string(cohort.rows.size()) + " placements of " + cohort.la_name + " (" + cohort.la_code +
        ") from " + cohort.source + (cohort.census_date.empty() ? "" : ", at " + cohort.census_date));
    std::string code = cohort.la_code;
    if (!data->cohorts.emplace(code, std::move(cohort)).second)
      throw std::runtime_error("--cohort: two cohorts for " + code + "; give one file per council");
  }
  data->web = load_web(paths.web_root.empty() ? default_web_root() : paths.web_root);
  if (data->web.count("index.html") == 0) say("warning: no web map files (index.html) found; / answers 404");
  data->build_description =
      std::string("placedist ") + PLACEDIST_VERSION + ", " + PLACEDIST_BUILD_TYPE + ", g++ " + __VERSION__;
  return data;
}

roads::RoadQuery& ServiceData::road_query() const {
  if (!roads) throw ApiError(ApiCode::not_loaded, "road mode needs a road network: start the server with --roads FILE");
  // Keyed by network, so that a thread serving two ServiceData (tests) never mixes them.
  thread_local const roads::RoadNetwork* network = nullptr;
  thread_local std::unique_ptr<roads::RoadQuery> query;
  if (network != roads.get() || !query) {
    query = std::make_unique<roads::RoadQuery>(roads);
    network = roads.get();
    ++m_thread_road_queries;
  }
  return *query;
}

RoadLease ServiceData::lend_road_query() const {
  if (!m_road_pool)
    throw ApiError(ApiCode::not_loaded, "road mode needs a road network: start the server with --roads FILE");
  return RoadLease(m_road_pool);
}

const Cohort& ServiceData::cohort(const std::string& la) const {
  if (cohorts.empty())
    throw ApiError(ApiCode::not_loaded, "no placement cohort is loaded: start the server with --cohort LA=FILE");
  if (auto it = cohorts.find(la); it != cohorts.end()) return it->second;
  for (const auto& [code, cohort] : cohorts)
    if (equals_ignoring_ascii_case(cohort.la_name, la)) return cohort;
  throw ApiError(ApiCode::not_found, "no cohort is loaded for council " + la + " (see /v1/cohorts)");
}

std::vector<std::size_t> ServiceData::sectors_of(const std::string& utla_code) const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < sectors.size(); ++i)
    if (sectors[i].utla_code == utla_code) out.push_back(i);
  return out;
}

}  // namespace placedist::serve
