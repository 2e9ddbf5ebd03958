#include "geo/roads/label_search.hpp"

#include <algorithm>

namespace placedist::geo::roads::detail {

Weight meet(const LabelSearch::Ref& a, const LabelSearch::Ref& b) {
  Weight best = kInfinity;
  std::uint32_t i = 0, j = 0;
  // Both cursors advance by the comparisons (which list is behind is unpredictable); only a
  // match, the rarer case, branches.
  while (i < a.size && j < b.size) {
    const std::uint32_t x = a.hub[i], y = b.hub[j];
    if (x == y) best = std::min(best, a.weight[i] + b.weight[j]);
    i += x <= y;
    j += y <= x;
  }
  return std::min(best + a.add + b.add, kInfinity);  // no wrap: each term is below kInfinity
}

LabelSearch::Ref LabelSearch::label_of(const SearchGraph& g, const LabelSet& s, std::span<const Seed> seeds,
                                       Combined& c) {
  auto own = [&](const Seed& sd) {
    const std::uint32_t v = g.id[sd.node], k = s.begin_of(v);
    return Ref{s.hub.data() + k, s.weight.data() + k, s.end[v] - k, sd.weight};
  };
  if (seeds.size() == 1) return own(seeds[0]);
  c.scratch.clear();
  for (const Seed& sd : seeds) {
    const Ref r = own(sd);
    for (std::uint32_t k = 0; k < r.size; ++k) c.scratch.push_back({r.hub[k], r.weight[k] + r.add});
  }
  std::sort(c.scratch.begin(), c.scratch.end());  // a few short lists: no merge buffer to allocate
  c.hub.clear(), c.weight.clear();
  for (const auto& [h, w] : c.scratch)  // by hub, then weight: the first of each hub is its least
    if (c.hub.empty() || c.hub.back() != h) c.hub.push_back(h), c.weight.push_back(w);
  return {c.hub.data(), c.weight.data(), static_cast<std::uint32_t>(c.hub.size()), 0};
}

Weight LabelSearch::distance(const SearchGraph& g, const HubLabels& l, std::span<const Seed> sources,
                             std::span<const Seed> targets) {
  if (sources.empty() || targets.empty()) return kInfinity;
  return meet(label_of(g, l.fwd, sources, m_source), label_of(g, l.bwd, targets, m_target));
}

std::vector<Weight> LabelSearch::many_to_many(const SearchGraph& g, const HubLabels& l,
                                              const std::vector<std::vector<Seed>>& sources,
                                              const std::vector<std::vector<Seed>>& targets) {
  const std::size_t cols = targets.size();
  std::vector<Weight> out(sources.size() * cols, kInfinity);
  // Hubs the last call grouped are cleared first, so that a call that threw leaves none behind.
  for (std::uint32_t h : m_group_hub) m_group_of[h] = kNoGroup;
  m_group_hub.clear(), m_found.clear();
  if (m_group_of.size() < g.node_count()) m_group_of.assign(g.node_count(), kNoGroup);
  // Each target's backward entries, grouped by hub.
  for (std::uint32_t j = 0; j < cols; ++j) {
    if (targets[j].empty()) continue;
    const Ref r = label_of(g, l.bwd, targets[j], m_target);
    for (std::uint32_t k = 0; k < r.size; ++k) {
      std::uint32_t& group = m_group_of[r.hub[k]];
      if (group == kNoGroup) {
        m_group_hub.push_back(r.hub[k]);  // first, so that the hub is cleared even if a later push throws
        group = static_cast<std::uint32_t>(m_group_hub.size() - 1);
      }
      m_found.push_back({group, {j, r.weight[k] + r.add}});
    }
  }
  m_group_first.assign(m_group_hub.size() + 1, 0);
  for (const auto& f : m_found) ++m_group_first[f.first + 1];
  for (std::size_t k = 1; k < m_group_first.size(); ++k) m_group_first[k] += m_group_first[k - 1];
  m_buckets.resize(m_found.size());
  for (const auto& f : m_found) m_buckets[m_group_first[f.first]++] = f.second;
  // The cursors now stand where the next group begins: shift them back to where each begins.
  for (std::size_t k = m_group_first.size() - 1; k > 0; --k) m_group_first[k] = m_group_first[k - 1];
  m_group_first[0] = 0;
  // Each source's forward label against the groups of its hubs.
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (sources[i].empty()) continue;
    const Ref r = label_of(g, l.fwd, sources[i], m_source);
    Weight* row = out.data() + i * cols;
    for (std::uint32_t k = 0; k < r.size; ++k) {
      const std::uint32_t group = m_group_of[r.hub[k]];
      if (group == kNoGroup) continue;
      const Weight w = r.weight[k] + r.add;
      for (std::uint32_t e = m_group_first[group]; e < m_group_first[group + 1]; ++e)
        row[m_buckets[e].target] = std::min(row[m_buckets[e].target], w + m_buckets[e].weight);
    }
  }
  for (Weight& w : out) w = std::min(w, kInfinity);  // two label weights may add up beyond it
  return out;
}

}  // namespace placedist::geo::roads::detail
