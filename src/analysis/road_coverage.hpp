#pragma once
// Providers within a road distance of homes, for `mode=road` coverage. Road miles are
// international miles (metres / 1609.344) of the SHORTEST drivable route between the points
// where home and provider snap onto the network (geo/roads); the walk to the road is not added.
// Candidates are the providers whose straight line from the home is at most the limit plus both
// snap radii (a road between the snapped points is never shorter than the straight line between
// them), with 1% to spare for the grid's scale factor; one many-to-many query (contraction
// hierarchies, bucket method) answers a whole block of homes against the union of their
// candidates. Candidates that do not snap, or snap with no route from the home, are "not
// routed": counted and listed, never silently dropped.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "geo/coords.hpp"
#include "geo/roads/road_query.hpp"
#include "src/analysis/providers.hpp"

namespace placedist::analysis {

struct RoadProvider {
  std::size_t provider;  // index into ProviderSet::providers
  double road_metres;    // shortest route
  double road_seconds;   // the fastest route's drive time
  double dfe_miles;
};

struct RoadUnrouted {
  std::size_t provider;
  geo::roads::RoadStatus status;  // no_road_within_radius, outside_network or no_route
  double dfe_miles;
};

struct RoadCoverage {
  geo::roads::RoadStatus home_status = geo::roads::RoadStatus::outside_network;  // ok: the home snapped
  double home_snap_m = 0;                                                        // metres; NaN when it did not snap
  std::size_t candidates = 0;
  std::vector<RoadProvider> within;    // road_metres <= limit, nearest by road first
  std::vector<RoadUnrouted> unrouted;  // candidates without a route, nearest in a straight line first
};

struct RoadHome {
  geo::GridRef grid;
  geo::LonLat position;
};

// Candidate providers of one home: straight line (grid metres) within (limit_m + 2 x snap
// radius) x 1.01.
std::vector<std::size_t> road_candidates(const ProviderSet& set, geo::GridRef home, double limit_m,
                                         double snap_radius_m);

// Road coverage of each home within limit_m metres: one matrix query for all of them (send
// blocks of a few hundred spatially close homes). Homes that do not snap get their status and
// no candidates routed (their candidates are counted as unrouted).
std::vector<RoadCoverage> road_coverage(geo::roads::RoadQuery& query, const ProviderSet& set,
                                        std::span<const RoadHome> homes, double limit_m);

}  // namespace placedist::analysis
