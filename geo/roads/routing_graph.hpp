#pragma once
// The directed graph that searches run on, with turn restrictions applied by node splitting:
// a junction named in any restriction gets one copy per arriving directed edge ("arrived at v
// by edge e"), and each copy has arcs only for the turns allowed after e. Routing nodes are the
// graph's junctions (0..n-1), then the copies (n..n+k-1). Without restrictions it is the plain
// graph. Every arc carries the directed edge code it drives (edge * 2 + reversed).
#include <cstdint>
#include <span>
#include <vector>

#include "geo/roads/road_edges.hpp"

namespace placedist::geo::roads::detail {

struct RoutingArc {
  std::uint32_t tail, head, code;
};

class TurnRules {
 public:
  // restrictions sorted by from_code (as stored in the network file).
  explicit TurnRules(std::span<const TurnRestriction> sorted) : m_rules(sorted) {}
  bool allowed(std::uint32_t from_code, std::uint32_t to_code) const;

 private:
  std::span<const TurnRestriction> m_rules;
};

// Copies of restricted junctions: copy_code[k] is the arriving directed edge of routing node
// n + k; sorted ascending.
std::vector<std::uint32_t> junction_copies(std::span<const RoadEdge> edges, std::uint32_t node_count,
                                           std::span<const TurnRestriction> restrictions);

// Routing node reached by driving directed edge `code` (its head, or the head's copy).
std::uint32_t arrival_node(std::span<const RoadEdge> edges, std::span<const std::uint32_t> copy_code,
                           std::uint32_t node_count, std::uint32_t code);

std::vector<RoutingArc> routing_arcs(std::span<const RoadEdge> edges, std::uint32_t node_count,
                                     std::span<const TurnRestriction> restrictions,
                                     std::span<const std::uint32_t> copy_code);

}  // namespace placedist::geo::roads::detail
