#pragma once
// Hub labels (Abraham et al. 2011-12) from a contraction hierarchy, for networks small enough
// that they fit: every node keeps a forward label (hubs it reaches upward, with the least
// weight) and a backward one (hubs that reach it). The least weight from s to t is the least
// fwd(s)[h] + bwd(t)[h] over the hubs both labels hold, so a query merges two sorted lists of a
// few dozen entries instead of searching: well under a microsecond on a county, against several
// for the CH query. The labels cost memory that grows faster than the network (Bucks: about 34
// hubs per node and direction on the fastest metric, 45 on the shortest), so a network above
// kHubLabelMaxNodes routing nodes has none and is answered by the hierarchy alone.
//
// Built top-down (Abraham et al. 2012, "Hierarchical hub labelings"): in descending search id,
// a node's label is itself plus its upward neighbours' labels shifted by the arc weight, with
// each entry whose weight is beaten by a path through another hub already in the labels pruned.
// Paths (route geometry) still come from the hierarchy.
#include <cstdint>
#include <span>
#include <vector>

#include "geo/roads/metric.hpp"
#include "geo/roads/road_network.hpp"
#include "geo/roads/search_graph.hpp"

namespace placedist::geo::roads::detail {

// One direction's labels over search ids, stored in the order they are made (from the highest
// search id down): label v is entries [end[v + 1], end[v]), with hubs (search ids) in increasing
// order; end has n + 1 entries, end[n] = 0. Hubs and weights are separate arrays, so that a merge
// reads 4 bytes per entry and fetches a weight only where the hubs match.
struct LabelSet {
  std::span<const std::uint32_t> end, hub;
  std::span<const Weight> weight;
  std::uint32_t begin_of(std::uint32_t v) const { return end[v + 1]; }
};

// A hierarchy's labels (empty when the network has none), read in place from the network file.
struct HubLabels {
  LabelSet fwd, bwd;
  bool empty() const { return fwd.end.empty(); }
  std::size_t bytes() const;
};

struct LabelSetData {
  std::vector<std::uint32_t> end, hub;
  std::vector<Weight> weight;
  LabelSet view() const { return {end, hub, weight}; }
};

struct HubLabelsData {
  LabelSetData fwd, bwd;
  HubLabels view() const { return {fwd.view(), bwd.view()}; }
};

// The labels of one hierarchy's layout; none when it has more than kHubLabelMaxNodes nodes.
HubLabelsData build_hub_labels(const SearchGraph& g);

// What is wrong with labels read from a file (for a layout of `nodes` search ids), or null:
// sizes, offsets, hubs in range and increasing, weights below kInfinity.
const char* bad_hub_labels(const HubLabels& l, std::uint64_t nodes);

}  // namespace placedist::geo::roads::detail
