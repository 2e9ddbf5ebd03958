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

ChSearch::ChSearch(ChView ch) : m_ch(ch) {
  for (Side* s : {&m_fwd, &m_bwd}) {
    s->dist.assign(ch.node_count(), kInfinity);
    s->parent_rank.assign(ch.node_count(), kNoArc);
    s->parent_arc.assign(ch.node_count(), kNoArc);
  }
  m_bucket_first.assign(ch.node_count(), 0);
}

void ChSearch::reset(Side& s) {
  for (std::uint32_t v : s.touched) s.dist[v] = kInfinity, s.parent_rank[v] = kNoArc, s.parent_arc[v] = kNoArc;
  s.touched.clear();
  s.heap.clear();
}

void ChSearch::seed(Side& s, std::span<const Seed> seeds) {
  for (const Seed& sd : seeds) {
    std::uint32_t r = m_ch.rank[sd.node];
    if (sd.weight < s.dist[r]) {
      if (s.dist[r] == kInfinity) s.touched.push_back(r);
      s.dist[r] = sd.weight;
      heap_push(s.heap, sd.weight, r);
    }
  }
}

bool ChSearch::pop(Side& s, Weight& d, std::uint32_t& v) {
  while (!s.heap.empty()) {
    std::pop_heap(s.heap.begin(), s.heap.end(), std::greater<HeapEntry>());
    auto [w, x] = s.heap.back();
    s.heap.pop_back();
    if (w == s.dist[x]) {
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
  std::span<const std::uint32_t> in_first = forward ? m_ch.down_first : m_ch.up_first;
  std::span<const ChAdj> in = forward ? m_ch.down : m_ch.up;
  for (std::uint32_t i = in_first[v]; i < in_first[v + 1]; ++i)
    if (s.dist[in[i].head] != kInfinity && s.dist[in[i].head] + in[i].weight < d) return false;
  std::span<const std::uint32_t> first = forward ? m_ch.up_first : m_ch.down_first;
  std::span<const ChAdj> out = forward ? m_ch.up : m_ch.down;
  for (std::uint32_t i = first[v]; i < first[v + 1]; ++i) {
    const ChAdj& a = out[i];
    Weight nd = d + a.weight;
    if (nd < s.dist[a.head]) {
      if (s.dist[a.head] == kInfinity) s.touched.push_back(a.head);
      s.dist[a.head] = nd;
      s.parent_rank[a.head] = v;
      s.parent_arc[a.head] = a.arc;
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
      if (other.dist[v] != kInfinity && d + other.dist[v] < best) {
        best = d + other.dist[v];
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
  for (std::uint32_t v = m_meet; m_fwd.parent_arc[v] != kNoArc; v = m_fwd.parent_rank[v])
    up.push_back(m_fwd.parent_arc[v]);
  for (auto it = up.rbegin(); it != up.rend(); ++it) unpack(*it, out);
  for (std::uint32_t v = m_meet; m_bwd.parent_arc[v] != kNoArc; v = m_bwd.parent_rank[v])
    unpack(m_bwd.parent_arc[v], out);
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
  for (std::uint32_t i = m_buckets.size(); i-- > 0;) m_bucket_first[m_buckets[i].rank] = i + 1;
  for (std::uint32_t i = 0; i < ns; ++i) {
    reset(m_fwd);
    seed(m_fwd, sources[i]);
    Weight d;
    std::uint32_t v;
    Weight* row = &result[i * nt];
    while (pop(m_fwd, d, v)) {
      if (!expand(m_fwd, true, d, v)) continue;
      for (std::uint32_t k = m_bucket_first[v]; k != 0 && k <= m_buckets.size() && m_buckets[k - 1].rank == v; ++k) {
        const BucketEntry& b = m_buckets[k - 1];
        row[b.target] = std::min(row[b.target], d + b.weight);
      }
    }
  }
  reset(m_fwd);
  for (const BucketEntry& b : m_buckets) m_bucket_first[b.rank] = 0;
  return result;
}

DijkstraSearch::DijkstraSearch(const NetworkData& d, const BaseGraph& g, Metric m)
    : m_d(d),
      m_g(g),
      m_metric(m),
      m_dist(d.routing_node_count(), kInfinity),
      m_parent_code(d.routing_node_count(), kNoArc),
      m_parent_node(d.routing_node_count(), kNoArc) {}

void DijkstraSearch::reset() {
  for (std::uint32_t v : m_touched) m_dist[v] = kInfinity, m_parent_code[v] = kNoArc, m_parent_node[v] = kNoArc;
  m_touched.clear();
  m_heap.clear();
  m_settled = 0;
  m_end = kNoArc;
}

void DijkstraSearch::one_to_all(std::span<const Seed> sources, Weight limit) {
  reset();
  for (const Seed& s : sources)
    if (s.weight < m_dist[s.node]) {
      if (m_dist[s.node] == kInfinity) m_touched.push_back(s.node);
      m_dist[s.node] = s.weight;
      heap_push(m_heap, s.weight, s.node);
    }
  while (!m_heap.empty()) {
    std::pop_heap(m_heap.begin(), m_heap.end(), std::greater<HeapEntry>());
    auto [d, v] = m_heap.back();
    m_heap.pop_back();
    if (d != m_dist[v]) continue;
    if (d >= limit) break;
    ++m_settled;
    for (std::uint32_t i = m_g.first_out[v]; i < m_g.first_out[v + 1]; ++i) {
      const BaseArc& a = m_g.arcs[i];
      const RoadEdge& e = m_d.edges[a.code >> 1];
      Weight nd = d + pack(m_metric, e.time_ms, e.dist_dm);
      if (nd < m_dist[a.head] && nd < limit) {  // nothing beyond the limit is settled: not even queued
        if (m_dist[a.head] == kInfinity) m_touched.push_back(a.head);
        m_dist[a.head] = nd;
        m_parent_code[a.head] = a.code;
        m_parent_node[a.head] = v;
        heap_push(m_heap, nd, a.head);
      }
    }
  }
}

Weight DijkstraSearch::distance(std::span<const Seed> sources, std::span<const Seed> targets) {
  reset();
  for (const Seed& s : sources)
    if (s.weight < m_dist[s.node]) {
      if (m_dist[s.node] == kInfinity) m_touched.push_back(s.node);
      m_dist[s.node] = s.weight;
      heap_push(m_heap, s.weight, s.node);
    }
  Weight best = kInfinity;
  while (!m_heap.empty()) {
    std::pop_heap(m_heap.begin(), m_heap.end(), std::greater<HeapEntry>());
    auto [d, v] = m_heap.back();
    m_heap.pop_back();
    if (d != m_dist[v]) continue;
    if (d >= best) break;
    ++m_settled;
    for (const Seed& t : targets)
      if (t.node == v && d + t.weight < best) best = d + t.weight, m_end = v;
    for (std::uint32_t i = m_g.first_out[v]; i < m_g.first_out[v + 1]; ++i) {
      const BaseArc& a = m_g.arcs[i];
      const RoadEdge& e = m_d.edges[a.code >> 1];
      Weight nd = d + pack(m_metric, e.time_ms, e.dist_dm);
      if (nd < m_dist[a.head]) {
        if (m_dist[a.head] == kInfinity) m_touched.push_back(a.head);
        m_dist[a.head] = nd;
        m_parent_code[a.head] = a.code;
        m_parent_node[a.head] = v;
        heap_push(m_heap, nd, a.head);
      }
    }
  }
  return best;
}

std::vector<std::uint32_t> DijkstraSearch::path() const {
  std::vector<std::uint32_t> out;
  if (m_end == kNoArc) return out;
  for (std::uint32_t v = m_end; m_parent_code[v] != kNoArc; v = m_parent_node[v]) out.push_back(m_parent_code[v]);
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace placedist::geo::roads::detail
