#include "geo/roads/routing_graph.hpp"

#include <algorithm>

namespace placedist::geo::roads::detail {

bool TurnRules::allowed(std::uint32_t from_code, std::uint32_t to_code) const {
  auto lo = std::lower_bound(m_rules.begin(), m_rules.end(), from_code,
                             [](const TurnRestriction& r, std::uint32_t c) { return r.from_code < c; });
  bool has_only = false, only_match = false;
  for (auto it = lo; it != m_rules.end() && it->from_code == from_code; ++it) {
    if (it->only) {
      has_only = true;
      only_match |= it->to_code == to_code;
    } else if (it->to_code == to_code) {
      return false;
    }
  }
  return !has_only || only_match;
}

std::vector<std::uint32_t> junction_copies(std::span<const RoadEdge> edges, std::uint32_t node_count,
                                           std::span<const TurnRestriction> restrictions) {
  std::vector<std::uint8_t> restricted(node_count, 0);
  for (const TurnRestriction& r : restrictions) restricted[code_head(edges[r.from_code >> 1], r.from_code)] = 1;
  std::vector<std::uint32_t> copies;
  for (std::uint32_t e = 0; e < edges.size(); ++e) {
    if ((edges[e].flags & kForward) && restricted[edges[e].b]) copies.push_back(e * 2);
    if ((edges[e].flags & kBackward) && restricted[edges[e].a]) copies.push_back(e * 2 + 1);
  }
  return copies;
}

std::uint32_t arrival_node(std::span<const RoadEdge> edges, std::span<const std::uint32_t> copy_code,
                           std::uint32_t node_count, std::uint32_t code) {
  auto it = std::lower_bound(copy_code.begin(), copy_code.end(), code);
  if (it != copy_code.end() && *it == code) return node_count + static_cast<std::uint32_t>(it - copy_code.begin());
  return code_head(edges[code >> 1], code);
}

std::vector<RoutingArc> routing_arcs(std::span<const RoadEdge> edges, std::uint32_t node_count,
                                     std::span<const TurnRestriction> restrictions,
                                     std::span<const std::uint32_t> copy_code) {
  std::vector<RoutingArc> arcs;
  arcs.reserve(edges.size() * 2 + copy_code.size() * 3);
  // Departures by junction, for the copies' allowed turns.
  std::vector<std::uint8_t> restricted(node_count, 0);
  for (std::uint32_t c : copy_code) restricted[code_head(edges[c >> 1], c)] = 1;
  std::vector<std::vector<std::uint32_t>> departures;
  std::vector<std::uint32_t> slot(node_count, 0xFFFFFFFFu);
  auto departures_of = [&](std::uint32_t v) -> std::vector<std::uint32_t>& {
    if (slot[v] == 0xFFFFFFFFu) slot[v] = static_cast<std::uint32_t>(departures.size()), departures.emplace_back();
    return departures[slot[v]];
  };
  for (std::uint32_t e = 0; e < edges.size(); ++e) {
    const RoadEdge& r = edges[e];
    for (std::uint32_t code : {e * 2, e * 2 + 1}) {
      if (!(r.flags & ((code & 1) ? kBackward : kForward))) continue;
      std::uint32_t tail = code_tail(r, code);
      arcs.push_back({tail, arrival_node(edges, copy_code, node_count, code), code});
      if (restricted[tail]) departures_of(tail).push_back(code);
    }
  }
  TurnRules rules(restrictions);
  for (std::uint32_t k = 0; k < copy_code.size(); ++k) {
    std::uint32_t in = copy_code[k], v = code_head(edges[in >> 1], in);
    for (std::uint32_t out : departures_of(v))
      if (rules.allowed(in, out))
        arcs.push_back({node_count + k, arrival_node(edges, copy_code, node_count, out), out});
  }
  return arcs;
}

}  // namespace placedist::geo::roads::detail
