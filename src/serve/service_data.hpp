#pragma once
// Everything the service answers from, loaded once before serving and then only read by
// the worker threads: the gazetteer (memory-mapped), indexes built over it, and the
// optional boundaries, providers and web files.
#include <filesystem>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "geo/gazetteer.hpp"
#include "geo/roads/query_pool.hpp"
#include "geo/roads/road_query.hpp"
#include "src/analysis/providers.hpp"
#include "src/serve/cohorts.hpp"
#include "src/serve/council_layers.hpp"
#include "src/serve/nearest_index.hpp"
#include "src/serve/options.hpp"
#include "src/serve/sectors.hpp"

namespace placedist::serve {

struct WebFile {
  std::string content;
  std::string mime;
};

// A RoadQuery lent by ServiceData::lend_road_query() for one heavy computation, given back when
// destroyed. It shares ownership of the pool, so a lease cannot outlive the queries it lends.
class RoadLease {
 public:
  geo::roads::RoadQuery& operator*() const { return *m_lease; }
  geo::roads::RoadQuery* operator->() const { return &*m_lease; }

 private:
  friend class ServiceData;
  explicit RoadLease(std::shared_ptr<geo::roads::RoadQueryPool> pool)
      : m_pool(std::move(pool)), m_lease(m_pool->acquire()) {}
  std::shared_ptr<geo::roads::RoadQueryPool> m_pool;  // declared first: destroyed after m_lease
  geo::roads::RoadQueryPool::Lease m_lease;
};

class ServiceData {
 public:
  // Throws GazetteerError, BoundaryError, std::runtime_error for broken files. `note` gets
  // one line per stage (may be empty).
  static std::unique_ptr<ServiceData> load(const DataPaths& paths, const std::function<void(const std::string&)>& note);

  geo::Gazetteer gazetteer;
  NearestIndex nearest;
  std::vector<SectorInfo> sectors;
  std::unordered_map<std::string, std::size_t> sector_index;  // "HP20 1" -> index into sectors
  std::unique_ptr<CouncilLayers> councils;                    // --boundaries, may be null
  std::optional<analysis::ProviderSet> providers;
  std::shared_ptr<const geo::roads::RoadNetwork> roads;  // --roads, may be null
  std::filesystem::path roads_path;
  std::map<std::string, Cohort> cohorts;  // --cohort, by council code
  // The analyses' council polygons when --boundaries gives none (loaded on first use).
  mutable analysis::DefaultBoundaries default_boundaries;
  std::map<std::string, WebFile> web;  // path under the web root ("index.html", "leaflet/leaflet.js")

  std::string providers_geojson;  // FeatureCollection, built at load (empty without providers)
  // Sector indexes of an upper-tier council.
  std::vector<std::size_t> sectors_of(const std::string& utla_code) const;

  std::string build_description;  // version, compiler, build type

  // Road queries own search arrays sized to the graph (28 bytes a routing node: ~120 MB on a
  // national network), so their number must follow the cores, not --threads. Both throw
  // ApiError not_loaded without --roads.
  //
  // For light routes (one-to-one /v1/distance on the I/O threads, about one per core): this
  // thread's own query, so a lookup never waits behind heavy work.
  geo::roads::RoadQuery& road_query() const;
  // For heavy routes (matrix, coverage, road zones): a query lent from a pool of one per core for
  // the computation; waits while all are lent.
  RoadLease lend_road_query() const;
  unsigned road_query_pool_size() const { return m_road_pool ? m_road_pool->size() : 0; }
  // Thread-own queries road_query() has made for this data (tests: heavy routes make none).
  std::size_t thread_road_queries() const { return m_thread_road_queries.load(); }

  // The loaded cohort of a council (code, or name in any case). Throws ApiError not_loaded when
  // no cohort is loaded, not_found when none is this council's.
  const Cohort& cohort(const std::string& la) const;

 private:
  explicit ServiceData(geo::Gazetteer g) : gazetteer(std::move(g)) {}
  std::shared_ptr<geo::roads::RoadQueryPool> m_road_pool;  // with --roads: one query per core
  mutable std::atomic<std::size_t> m_thread_road_queries{0};
};

// The web files' folder the build prepared (maps/web plus Leaflet from npm).
std::filesystem::path default_web_root();

}  // namespace placedist::serve
