#include "src/analysis/road_columns.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>
#include <vector>

#include "geo/crs.hpp"
#include "geo/distance.hpp"
#include "geo/roads/road_precision.hpp"
#include "geo/roads/road_query.hpp"
#include "src/analysis/road_zone.hpp"

using namespace placedist::geo;
using namespace placedist::shapes;
using namespace placedist::maps;

namespace placedist::analysis {
namespace {

using namespace placedist::geo::roads;

using roads::RoadQuery;
using roads::RoadResult;
using roads::RoadStatus;

// The road_status column's codes; a row holds the index of its status among them.
constexpr RoadStatus kRoadStatuses[] = {RoadStatus::ok, RoadStatus::no_road_within_radius, RoadStatus::no_route,
                                        RoadStatus::outside_network};

std::vector<std::string> status_codes() {
  std::vector<std::string> codes;
  for (RoadStatus s : kRoadStatuses) codes.emplace_back(to_string(s));
  return codes;
}

double status_index(RoadStatus status) {
  for (std::size_t i = 0; i < std::size(kRoadStatuses); ++i)
    if (kRoadStatuses[i] == status) return static_cast<double>(i);
  return kNoValue;
}

std::atomic<std::size_t> g_queries_made{0};

unsigned thread_count(unsigned asked, std::size_t work, std::size_t per_thread) {
  unsigned n = asked ? asked : std::max(1u, std::thread::hardware_concurrency());
  return static_cast<unsigned>(std::clamp<std::size_t>(work / per_thread + 1, 1, n));
}

// A query of this thread's own, or the lent one (held until the thread's work is done).
std::shared_ptr<RoadQuery> query_for_thread(const std::shared_ptr<const roads::RoadNetwork>& network,
                                            const RoadColumnsOptions& options) {
  if (options.lend) return options.lend();
  g_queries_made.fetch_add(1, std::memory_order_relaxed);
  return std::make_shared<RoadQuery>(network, roads::QueryOptions{.snap_radius_m = options.snap_radius_m});
}

// Runs job(query, i) for i in [0, count) on `threads` threads, each with its own RoadQuery.
// A thread that finds no work left takes no query, and none waits for a second one while it
// holds one: with lent queries, any one thread finishes the whole job alone if need be.
template <class Job>
void for_each_with_query(const std::shared_ptr<const roads::RoadNetwork>& network, const RoadColumnsOptions& options,
                         std::size_t count, unsigned threads, Job job) {
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    constexpr std::size_t kBatch = 64;
    std::size_t begin = next.fetch_add(kBatch);
    if (begin >= count) return;
    std::shared_ptr<RoadQuery> query = query_for_thread(network, options);
    for (; begin < count; begin = next.fetch_add(kBatch))
      for (std::size_t i = begin; i < std::min(count, begin + kBatch); ++i) job(*query, i);
  };
  if (threads <= 1) return work();
  std::vector<std::jthread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work);
}

}  // namespace

std::optional<JourneyLines> parse_journey_lines(std::string_view name) {
  if (name == "straight") return JourneyLines::straight;
  if (name == "road") return JourneyLines::road;
  if (name == "both") return JourneyLines::both;
  return std::nullopt;
}

AnalysisExtension road_columns(std::shared_ptr<const roads::RoadNetwork> network, const RoadColumnsOptions& options) {
  AnalysisExtension extension;
  // Measured from the unit postcodes: restricted (a snap distance or road miles from the unit
  // would single it out within its area), so shareable layers leave them all out.
  using enum Disclosure;
  extension.columns = {{"road_miles", roads::kRoadMilesDecimals, {}, "miles", restricted},
                       {"road_minutes", roads::kRoadMinutesDecimals, {}, "minutes", restricted},
                       {"shortest_road_miles", roads::kRoadMilesDecimals, {}, "miles", restricted},
                       {"home_snap_m", roads::kSnapMetresDecimals, {}, "metres", restricted},
                       {"placement_snap_m", roads::kSnapMetresDecimals, {}, "metres", restricted},
                       {"road_status", 0, status_codes(), "", restricted}};
  extension.fill = [network = std::move(network), options](std::span<PlacementRow> rows) {
    unsigned threads = thread_count(options.threads, rows.size(), 2000);
    for_each_with_query(network, options, rows.size(), threads, [&](RoadQuery& query, std::size_t i) {
      PlacementRow& row = rows[i];
      if (!has_distance(row.status)) return;
      RoadResult r = query.route(row.home_position, row.placement_position);
      row.extras[road_status] = status_index(r.status);
      row.extras[home_snap_m] = r.from_snap_m;
      row.extras[placement_snap_m] = r.to_snap_m;
      if (r.status != RoadStatus::ok) return;
      row.extras[road_miles] = r.fastest_metres / kMetresPerMile;
      row.extras[road_minutes] = r.fastest_seconds / 60;
      row.extras[shortest_road_miles] = r.shortest_metres / kMetresPerMile;
      if (!options.routes) return;
      // Drawn between the points the layers publish: the units only for restricted layers.
      const LonLat start = options.route_between_units ? row.home_position : row.home_sector_position;
      const LonLat end = options.route_between_units ? row.placement_position : row.placement_area_position;
      if (!is_finite(start) || !is_finite(end)) return;
      roads::RouteGeometry g = query.route_geometry(start, end, roads::Metric::fastest);
      if (g.status == RoadStatus::ok && g.points.size() >= 2) row.route = std::move(g.points);
    });
  };
  return extension;
}

std::size_t road_queries_made() { return g_queries_made.load(std::memory_order_relaxed); }

LonLatMultiPolygon road_zone_of_homes(std::shared_ptr<const roads::RoadNetwork> network, std::span<const LonLat> from,
                                      double limit_m, const RoadColumnsOptions& options) {
  std::shared_ptr<RoadQuery> query = query_for_thread(network, options);
  return road_zone(*query, from, limit_m).polygon;
}

}  // namespace placedist::analysis
