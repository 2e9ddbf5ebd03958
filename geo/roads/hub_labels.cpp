#include "geo/roads/hub_labels.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>

namespace placedist::geo::roads::detail {

std::size_t HubLabels::bytes() const {
  std::size_t b = 0;
  for (const LabelSet* s : {&fwd, &bwd})
    b += (s->end.size() + s->hub.size()) * sizeof(std::uint32_t) + s->weight.size() * sizeof(Weight);
  return b;
}

namespace {

// One node's label in one direction, from its neighbours' (all higher, so already made), appended
// to `mine`: `other` is the opposite direction (for pruning); `best` a scratch array of kInfinity
// by search id, left as it was found.
void make_label(std::uint32_t v, const SearchRecord* run, std::uint32_t begin, std::uint32_t end, LabelSetData& mine,
                const LabelSetData& other, std::vector<Weight>& best, std::vector<std::uint32_t>& hubs) {
  hubs.assign(1, v);
  best[v] = 0;
  for (std::uint32_t i = begin; i < end; ++i) {
    const std::uint32_t u = run[i].head;
    if (u <= v) throw std::logic_error("hub labels: a hierarchy arc does not lead to a higher search id");
    for (std::uint32_t k = mine.end[u + 1]; k < mine.end[u]; ++k) {
      const std::uint32_t h = mine.hub[k];
      const Weight w = run[i].weight + mine.weight[k];
      if (best[h] == kInfinity) hubs.push_back(h);
      best[h] = std::min(best[h], w);
    }
  }
  std::sort(hubs.begin(), hubs.end());
  for (std::uint32_t h : hubs) {
    // Keep (h, best[h]) unless a path through another hub of this label is shorter: each sum
    // below is the weight of a real path v -> hub -> h (or h -> hub -> v), and h's own label in
    // the other direction holds h itself at 0, so `via` is at most best[h].
    Weight via = kInfinity;
    if (h != v)
      for (std::uint32_t k = other.end[h + 1]; k < other.end[h]; ++k)
        via = std::min(via, best[other.hub[k]] + other.weight[k]);
    if (!(via < best[h])) {
      mine.hub.push_back(h);
      mine.weight.push_back(best[h]);
    }
  }
  for (std::uint32_t h : hubs) best[h] = kInfinity;
  if (mine.hub.size() > UINT32_MAX) throw std::length_error("hub labels: more than 2^32 entries");
  mine.end[v] = static_cast<std::uint32_t>(mine.hub.size());
}

}  // namespace

HubLabelsData build_hub_labels(const SearchGraph& g) {
  const std::uint32_t n = g.node_count();
  if (n > kHubLabelMaxNodes) return {};
  HubLabelsData l;
  for (LabelSetData* s : {&l.fwd, &l.bwd}) {
    s->end.assign(n + 1, 0);
    // Address space for more entries than counties need (Bucks: 34-46 a node, by metric), so
    // that the arrays are not copied as they grow: pages never written cost nothing.
    s->hub.reserve(std::size_t{n} * 64);
    s->weight.reserve(std::size_t{n} * 64);
  }
  std::vector<Weight> best(n, kInfinity);
  std::vector<std::uint32_t> hubs;
  for (std::uint32_t v = n; v-- > 0;) {
    const SearchRecord* run = g.records.data() + g.run[v];
    const RunHeader h = run_header(*run);
    // Forward: the arcs driven v -> head [both, end); backward: head -> v [1, up).
    make_label(v, run, h.both, h.end, l.fwd, l.bwd, best, hubs);
    make_label(v, run, 1, h.up, l.bwd, l.fwd, best, hubs);
  }
  return l;
}

const char* bad_hub_labels(const HubLabels& l, std::uint64_t nodes) {
  if (l.empty())
    return l.fwd.hub.empty() && l.fwd.weight.empty() && l.bwd.end.empty() && l.bwd.hub.empty() && l.bwd.weight.empty()
               ? nullptr
               : "hub label sections without offsets";
  for (const LabelSet* s : {&l.fwd, &l.bwd}) {
    if (s->end.size() != nodes + 1 || s->end[nodes] != 0 || s->end[0] != s->hub.size() ||
        s->weight.size() != s->hub.size())
      return "inconsistent hub label sections";
    for (std::uint64_t v = 0; v < nodes; ++v) {
      const std::uint32_t begin = s->end[v + 1], end = s->end[v];
      if (end < begin) return "hub label offsets out of order";
      for (std::uint32_t k = begin; k < end; ++k)
        if (s->hub[k] >= nodes || (k > begin && s->hub[k] <= s->hub[k - 1]) || s->weight[k] >= kInfinity)
          return "a hub label holds a hub outside the hierarchy, out of order, or an infinite weight";
    }
  }
  return nullptr;
}

}  // namespace placedist::geo::roads::detail
