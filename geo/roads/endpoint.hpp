#pragma once
// A query end snapped onto an edge, and the seeds it gives a search: as OSRM does, a route starts
// and ends part way along an edge, with the partial weights of the pieces to the edge's nodes.
#include <optional>
#include <vector>

#include "geo/roads/metric.hpp"
#include "geo/roads/network_data.hpp"
#include "geo/roads/snapper.hpp"

namespace placedist::geo::roads::detail {

struct Seed {
  std::uint32_t node = 0;  // graph node (not rank)
  Weight weight = 0;       // from the point to the node (source) or from the node to the point (target)
};

struct Endpoint {
  Snap snap;
  RoadEdge edge;
  TimeDist from_a;  // time and distance from node a to the snapped point
};

Endpoint make_endpoint(const NetworkData& d, const Snap& s);
struct BaseGraph;
// Seeds in routing nodes: with turn restrictions, the junction copies for the right arrivals.
std::vector<Seed> source_seeds(const NetworkData& d, const Endpoint& e, Metric m);
std::vector<Seed> target_seeds(const NetworkData& d, const BaseGraph& g, const Endpoint& e, Metric m);
// The route that stays on one edge (both ends on it, in a drivable direction), if any.
std::optional<Weight> direct_weight(const Endpoint& s, const Endpoint& t, Metric m);

}  // namespace placedist::geo::roads::detail
