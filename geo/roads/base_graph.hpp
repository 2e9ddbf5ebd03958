#pragma once
// The uncontracted graph as forward adjacency arrays, built at load time from the edges; used by
// the Dijkstra oracle and by one-to-all searches.
#include <cstdint>
#include <vector>

#include "geo/roads/network_data.hpp"

namespace placedist::geo::roads::detail {

struct BaseArc {
  std::uint32_t head;
  std::uint32_t code;  // edge * 2 + (1 if driven b->a)
};

struct BaseGraph {
  std::vector<std::uint32_t> first_out;  // by node, size n + 1
  std::vector<BaseArc> arcs;
  // Junction copies (turn restrictions) by junction: routing nodes copies[copies_first[v] ..].
  std::vector<std::uint32_t> copies_first, copies;
  explicit BaseGraph(const NetworkData& d);
};

}  // namespace placedist::geo::roads::detail
