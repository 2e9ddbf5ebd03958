#include "geo/roads/ch_search.hpp"

#include <algorithm>
#include <functional>

#include "geo/roads/base_graph.hpp"

namespace placedist::geo::roads::detail {
namespace {
using HeapEntry = std::pair<Weight, std::uint32_t>;
void heap_push(std::vector<HeapEntry>& h, Weight w, std::uint32_t v) {
  h.push_back({w, v});
  std::push_heap(h.begin(), h.end(), std::greater<HeapEntry>());
}
}  // namespace

ChSearch::ChSearch(ChView ch) : m_ch(ch) {}

void ChSearch::reset(Side& s) {
  s.labels.clear();
  s.heap.clear();
}

void ChSearch::seed(Side& s, std::span<const Seed> seeds) {
  for (const Seed& sd : seeds) {
    std::uint32_t r = m_ch.rank[sd.node];
    bool inserted;
    Label& l = s.labels.get(r, Label{}, inserted);
    if (sd.weight < l.dist) {
      l = {sd.weight, kNoArc, kNoArc};
      heap_push(s.heap, sd.weight, r);
    }
  }
}

bool ChSearch::pop(Side& s, Weight& d, std::uint32_t& v) {
  while (!s.heap.empty()) {
    std::pop_heap(s.heap.begin(), s.heap.end(), std::greater<HeapEntry>());
    auto [w, x] = s.heap.back();
    s.heap.pop_back();
    if (w == s.labels.find(x)->dist) {
      d = w;
      v = x;
      return true;
    }
  }
  return false;
}

bool ChSearch::expand(Side& s, bool forward, Weight d, std::uint32_t v) {
  ++m_settled;
  // Stall on demand: an arc from a higher node proves v's label is not a shortest distance.
  const std::uint32_t* in_first = (forward ? m_ch.down_first : m_ch.up_first).data();
  const ChAdj* in = (forward ? m_ch.down : m_ch.up).data();
  for (std::uint32_t i = in_first[v], end = in_first[v + 1]; i < end; ++i) {
    const Label* l = s.labels.find(in[i].head);
    if (l && l->dist + in[i].weight < d) return false;
  }
  const std::uint32_t* first = (forward ? m_ch.up_first : m_ch.down_first).data();
  const ChAdj* out = (forward ? m_ch.up : m_ch.down).data();
  for (std::uint32_t i = first[v], end = first[v + 1]; i < end; ++i) {
    const ChAdj& a = out[i];
    Weight nd = d + a.weight;
    bool inserted;
    Label& l = s.labels.get(a.head, Label{}, inserted);
    if (nd < l.dist) {
      l = {nd, v, a.arc};
      heap_push(s.heap, nd, a.head);
    }
  }
  return true;
}

Weight ChSearch::distance(std::span<const Seed> sources, std::span<const Seed> targets) {
  reset(m_fwd);
  reset(m_bwd);
  m_settled = 0;
  m_meet = kNoArc;
  seed(m_fwd, sources);
  seed(m_bwd, targets);
  Weight best = kInfinity;
  bool forward = true;
  while (true) {
    Weight fmin = m_fwd.heap.empty() ? kInfinity : m_fwd.heap.front().first;
    Weight bmin = m_bwd.heap.empty() ? kInfinity : m_bwd.heap.front().first;
    bool f_live = fmin < best, b_live = bmin < best;
    if (!f_live && !b_live) break;
    if (!f_live)
      forward = false;
    else if (!b_live)
      forward = true;
    Side& s = forward ? m_fwd : m_bwd;
    Side& other = forward ? m_bwd : m_fwd;
    Weight d;
    std::uint32_t v;
    if (pop(s, d, v)) {
      Weight o = other.dist(v);
      if (o != kInfinity && d + o < best) {
        best = d + o;
        m_meet = v;
      }
      if (d < best) expand(s, forward, d, v);
    }
    forward = !forward;
  }
  return best;
}

void ChSearch::unpack(std::uint32_t arc, std::vector<std::uint32_t>& out) const {
  std::vector<std::uint32_t> stack{arc};
  while (!stack.empty()) {
    std::uint32_t a = stack.back();
    stack.pop_back();
    const ChArc& c = m_ch.arcs[a];
    if (!c.is_shortcut()) {
      out.push_back(c.first);
    } else {
      stack.push_back(c.second);
      stack.push_back(c.first);
    }
  }
}

std::vector<std::uint32_t> ChSearch::path() const {
  std::vector<std::uint32_t> out;
  if (m_meet == kNoArc) return out;
  std::vector<std::uint32_t> up;
  for (const Label* l = m_fwd.labels.find(m_meet); l->arc != kNoArc; l = m_fwd.labels.find(l->parent))
    up.push_back(l->arc);
  for (auto it = up.rbegin(); it != up.rend(); ++it) unpack(*it, out);
  for (const Label* l = m_bwd.labels.find(m_meet); l->arc != kNoArc; l = m_bwd.labels.find(l->parent))
    unpack(l->arc, out);
  return out;
}

std::vector<Weight> ChSearch::many_to_many(const std::vector<std::vector<Seed>>& sources,
                                           const std::vector<std::vector<Seed>>& targets) {
  const std::size_t ns = sources.size(), nt = targets.size();
  std::vector<Weight> result(ns * nt, kInfinity);
  m_settled = 0;
  m_buckets.clear();
  for (std::uint32_t j = 0; j < nt; ++j) {
    reset(m_bwd);
    seed(m_bwd, targets[j]);
    Weight d;
    std::uint32_t v;
    while (pop(m_bwd, d, v))
      if (expand(m_bwd, false, d, v)) m_buckets.push_back({v, j, d});
  }
  reset(m_bwd);
  std::sort(m_buckets.begin(), m_buckets.end(),
            [](const BucketEntry& a, const BucketEntry& b) { return a.rank < b.rank; });
  m_bucket_of.clear();
  for (std::uint32_t i = 0; i < m_buckets.size(); ++i) {
    bool inserted;
    BucketRange& r = m_bucket_of.get(m_buckets[i].rank, BucketRange{i, i}, inserted);
    r.last = i + 1;
  }
  for (std::uint32_t i = 0; i < ns; ++i) {
    reset(m_fwd);
    seed(m_fwd, sources[i]);
    Weight d;
    std::uint32_t v;
    Weight* row = &result[i * nt];
    while (pop(m_fwd, d, v)) {
      if (!expand(m_fwd, true, d, v)) continue;
      const BucketRange* r = m_bucket_of.find(v);
      if (!r) continue;
      for (std::uint32_t k = r->first; k < r->last; ++k) {
        const BucketEntry& b = m_buckets[k];
        row[b.target] = std::min(row[b.target], d + b.weight);
      }
    }
  }
  reset(m_fwd);
  return result;
}

DijkstraSearch::DijkstraSearch(const NetworkData& d, const BaseGraph& g, Metric m) : m_d(d), m_g(g), m_metric(m) {}

void DijkstraSearch::reset() {
  m_labels.clear();
  m_touched.clear();
  m_heap.clear();
  m_settled = 0;
  m_end = kNoArc;
}

void DijkstraSearch::seed(std::span<const Seed> sources) {
  reset();
  for (const Seed& s : sources) {
    bool inserted;
    Label& l = m_labels.get(s.node, Label{}, inserted);
    if (inserted) m_touched.push_back(s.node);
    if (s.weight < l.dist) {
      l = {s.weight, kNoArc, kNoArc};
      heap_push(m_heap, s.weight, s.node);
    }
  }
}

void DijkstraSearch::one_to_all(std::span<const Seed> sources, Weight limit) {
  seed(sources);
  while (!m_heap.empty()) {
    std::pop_heap(m_heap.begin(), m_heap.end(), std::greater<HeapEntry>());
    auto [d, v] = m_heap.back();
    m_heap.pop_back();
    if (d != m_labels.find(v)->dist) continue;
    if (d >= limit) break;
    ++m_settled;
    for (std::uint32_t i = m_g.first_out[v]; i < m_g.first_out[v + 1]; ++i) {
      const BaseArc& a = m_g.arcs[i];
      const RoadEdge& e = m_d.edges[a.code >> 1];
      Weight nd = d + pack(m_metric, e.time_ms, e.dist_dm);
      if (nd >= limit) continue;  // nothing beyond the limit is settled: not even queued
      bool inserted;
      Label& l = m_labels.get(a.head, Label{}, inserted);
      if (inserted) m_touched.push_back(a.head);
      if (nd < l.dist) {
        l = {nd, v, a.code};
        heap_push(m_heap, nd, a.head);
      }
    }
  }
}

Weight DijkstraSearch::distance(std::span<const Seed> sources, std::span<const Seed> targets) {
  seed(sources);
  Weight best = kInfinity;
  while (!m_heap.empty()) {
    std::pop_heap(m_heap.begin(), m_heap.end(), std::greater<HeapEntry>());
    auto [d, v] = m_heap.back();
    m_heap.pop_back();
    if (d != m_labels.find(v)->dist) continue;
    if (d >= best) break;
    ++m_settled;
    for (const Seed& t : targets)
      if (t.node == v && d + t.weight < best) best = d + t.weight, m_end = v;
    for (std::uint32_t i = m_g.first_out[v]; i < m_g.first_out[v + 1]; ++i) {
      const BaseArc& a = m_g.arcs[i];
      const RoadEdge& e = m_d.edges[a.code >> 1];
      Weight nd = d + pack(m_metric, e.time_ms, e.dist_dm);
      bool inserted;
      Label& l = m_labels.get(a.head, Label{}, inserted);
      if (inserted) m_touched.push_back(a.head);
      if (nd < l.dist) {
        l = {nd, v, a.code};
        heap_push(m_heap, nd, a.head);
      }
    }
  }
  return best;
}

std::vector<std::uint32_t> DijkstraSearch::path() const {
  std::vector<std::uint32_t> out;
  if (m_end == kNoArc) return out;
  for (const Label* l = m_labels.find(m_end); l->parent_code != kNoArc; l = m_labels.find(l->parent_node))
    out.push_back(l->parent_code);
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace placedist::geo::roads::detail
