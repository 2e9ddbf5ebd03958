#pragma once
// Road distances for the placement analysis, as an AnalysisExtension (analysis.hpp):
//   road_miles, road_minutes       the fastest route (international miles, 1609.344 m; minutes)
//   shortest_road_miles            the shortest route by distance
//   home_snap_m, placement_snap_m  metres from each postcode to the road it snapped to
//   road_status                    ok, no_road_within_radius, no_route, outside_network
// The numbers join the same points as the DfE straight line: the unit postcode locations (the
// home at unit level even when the layers show sector centroids). They are blank unless the
// status is ok, and for rows without a straight-line distance (not located, UASC): never invented.
// One RoadQuery per worker thread, made here or lent by the caller (the service's per-core pool);
// the network is shared.
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "geo/coords.hpp"
#include "geo/lonlat_polygon.hpp"
#include "src/analysis/analysis.hpp"

namespace placedist::geo::roads {
class RoadNetwork;
class RoadQuery;
}

namespace placedist::analysis {

// What the journeys layer draws: the straight line, the road route, or both (the straight line
// in `journeys` and the route in `journeys_road`).
enum class JourneyLines { straight, road, both };
std::optional<JourneyLines> parse_journey_lines(std::string_view name);  // "straight", "road", "both"

// Lends a RoadQuery on the same network for as long as the returned pointer lives (the service
// lends from its per-core pool, ServiceData::lend_road_query, so that a request allocates no
// query of its own); called once per worker thread, and a thread holds one at a time.
using RoadQueryLender = std::function<std::shared_ptr<geo::roads::RoadQuery>()>;

struct RoadColumnsOptions {
  double snap_radius_m = 1000;
  unsigned threads = 0;  // 0 = hardware concurrency
  bool routes = false;   // set row.route to the fastest route's geometry
  // Where a drawn route runs: between the published areas (the default: shareable layers), or
  // between the unit postcodes (restricted layers only). The numbers always join the units.
  bool route_between_units = false;
  RoadQueryLender lend;  // empty: each worker thread makes its own query (the CLI)
};

// Column positions in row.extras.
enum RoadColumn : std::size_t {
  road_miles,
  road_minutes,
  shortest_road_miles,
  home_snap_m,
  placement_snap_m,
  road_status
};

AnalysisExtension road_columns(std::shared_ptr<const geo::roads::RoadNetwork> network,
                               const RoadColumnsOptions& options);

// RoadQuery objects road_columns and road_zone_of_homes have made themselves in this process
// (tests: a served analyse borrows its queries and makes none).
std::size_t road_queries_made();

// The area within limit_m road metres (shortest routes) of any of `from` (road_zone.hpp), in
// lon/lat; none when no point snaps to the network. Geometry, not WKT: the name stays until its
// callers (src/cli/cmd_analyse.cpp, src/serve/cohorts.cpp, moving to run_analysis) are renamed.
geo::LonLatMultiPolygon road_zone_of_homes(std::shared_ptr<const geo::roads::RoadNetwork> network,
                                           std::span<const geo::LonLat> from, double limit_m,
                                           const RoadColumnsOptions& options);

}  // namespace placedist::analysis
