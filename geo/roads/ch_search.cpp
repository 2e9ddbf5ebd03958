#include "geo/roads/ch_search.hpp"

#include <algorithm>
#include <functional>
#include <utility>

#include "geo/roads/base_graph.hpp"

namespace placedist::geo::roads::detail {
namespace {
using DijkstraEntry = std::pair<Weight, std::uint32_t>;
void heap_push(std::vector<DijkstraEntry>& h, Weight w, std::uint32_t v) {
  h.push_back({w, v});
  std::push_heap(h.begin(), h.end(), std::greater<DijkstraEntry>());
}
}  // namespace

ChSearch::ChSearch(ChView ch) { use(ch); }
ChSearch::~ChSearch() = default;

void ChSearch::use(ChView ch) {
  m_ch = ch;
  if (ch.search) {
    m_graph = ch.search;
  } else {
    if (!m_owned || m_owned_for != ch.up.data()) {
      m_owned = std::make_unique<SearchGraphData>(build_search_graph(ch));
      m_owned_view = m_owned->view();
      m_owned_for = ch.up.data();
    }
    m_graph = &m_owned_view;
  }
  m_core = ch.core && !ch.core->empty() ? ch.core : nullptr;
}

std::size_t ChSearch::memory_bytes() const {
  std::size_t bytes =
      (m_buckets.capacity() + m_grouped.capacity()) * sizeof(BucketEntry) +
      (m_bucket_group.capacity() + m_group_nodes.capacity() + m_group_first.capacity() + m_group_cursor.capacity()) *
          sizeof(std::uint32_t);
  bytes += m_core_entries.capacity() * sizeof(BucketEntry) +
           (m_core_nodes.capacity() + m_core_first.capacity()) * sizeof(std::uint32_t) +
           (m_to_core.capacity() + m_columns.capacity()) * sizeof(Weight) +
           m_source_entries.capacity() * sizeof(BucketEntry) +
           m_target_columns.capacity() * sizeof(m_target_columns[0]);
  for (const Side* s : {&m_fwd, &m_bwd})
    bytes += s->dist.capacity() * sizeof(Weight) +
             (s->record.capacity() + s->touched.capacity() + s->entries.capacity()) * 4 +
             s->sorted.capacity() * sizeof(s->sorted[0]) + s->improved.capacity() * sizeof(QuadHeap::Entry) +
             s->heap.capacity_bytes();
  return bytes;
}

template <bool kRecord>
void ChSearch::reset(Side& s) {
  const std::size_t n = m_graph->node_count();
  if (s.dist.size() < n) {
    s.dist.assign(n, kInfinity);
    s.touched_n = 0;
  }
  if (kRecord && s.record.size() < n) s.record.assign(n, kNoArc);
  for (std::size_t i = 0; i < s.touched_n; ++i) s.dist[s.touched[i]] = kInfinity;
  s.touched_n = 0;
  s.heap.clear();
  s.entries.clear();
  if (m_core) {
    if (s.entered.size() < m_core->size) s.entered.assign(m_core->size, 0), s.stamp = 0;
    if (++s.stamp == 0) std::fill(s.entered.begin(), s.entered.end(), 0), s.stamp = 1;
  }
}

void ChSearch::enter(Side& s, std::uint32_t v) const {
  std::uint32_t& e = s.entered[v - m_core->first];
  if (e == s.stamp) return;
  e = s.stamp;
  s.entries.push_back(v);
}

template <bool kRecord, bool kCore>
void ChSearch::seed(Side& s, std::span<const Seed> seeds) {
  for (const Seed& sd : seeds) {
    std::uint32_t r = m_graph->id[sd.node];
    if (sd.weight < s.dist[r]) {
      if (s.dist[r] == kInfinity) s.touched_room(1)[s.touched_n++] = r;
      s.dist[r] = sd.weight;
      if (kRecord) s.record[r] = kNoArc;
      if (kCore && m_core->in_core(r))
        enter(s, r);
      else
        s.heap.push(sd.weight, r, m_graph->run[r]);
    }
  }
}

std::vector<std::pair<Weight, std::uint32_t>>& ChSearch::Side::entries_by_weight() {
  sorted.clear();
  for (std::uint32_t v : entries) sorted.push_back({dist[v], v});
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

// Every pair of entries (a few hundred: no order or bound prunes enough of them to pay for itself
// on long routes, whose table weight dwarfs both ends), but for those a meeting below the core
// already beats.
Weight ChSearch::through_core(Weight best) {
  const Weight before = best;
  // Entries at or above a meeting below the core cannot beat it (table weights are not negative).
  m_target_columns.clear();
  for (std::uint32_t b : m_bwd.entries)
    if (m_bwd.dist[b] < best) m_target_columns.push_back({m_bwd.dist[b], b - m_core->first});
  for (std::uint32_t a : m_fwd.entries) {
    const Weight df = m_fwd.dist[a];
    if (df >= best) continue;
    const Weight* row = m_core->row(a);
    for (const auto& [db, column] : m_target_columns) best = std::min(best, df + row[column] + db);
  }
  if (best < before) m_meet = m_fwd.entries.front();  // path() searches again to find the route
  return best;
}

// pop() and expand() are forced inline into the search loops: a call each per settled node
// was 3-4% of a county query.
__attribute__((always_inline)) inline bool ChSearch::pop(Side& s, QuadHeap::Entry& e) {
  while (!s.heap.empty()) {
    e = s.heap.pop();
    // Stale entries (a label lowered after the push) are skipped.
    if (e.dist == s.dist[e.node]) return true;
  }
  return false;
}

// The node this side settles next (unless a later push goes below it): the first and last lines
// of its run (a seed's were never fetched; a long run spans several lines), while the other side
// works.
void ChSearch::prefetch_top(const Side& s) const {
  if (s.heap.empty()) return;
  const SearchRecord* run = m_graph->records.data() + s.heap.top().run;
  __builtin_prefetch(run);
  const std::uint32_t end = run_header(*run).end;
  if (end > 1) __builtin_prefetch(run + end - 1);
}

template <bool kForward, bool kRecord, bool kCore>
__attribute__((always_inline)) inline bool ChSearch::expand(Side& s, const QuadHeap::Entry& e, const Weight* other,
                                                            const std::uint32_t* groups) {
  ++m_settled;
  const Weight d = e.dist;
  const SearchRecord* rec = m_graph->records.data();
  const SearchRecord* run = rec + e.run;
  const RunHeader h = run_header(*run);
  Weight* dist = s.dist.data();
  // Stall on demand: an arc from a higher node proves v's label is not a shortest distance
  // (kInfinity plus an arc weight stays above any distance and does not wrap).
  const std::uint32_t stall_begin = kForward ? 1 : h.both, stall_end = kForward ? h.up : h.end;
  for (std::uint32_t i = stall_begin; i < stall_end; ++i)
    if (dist[run[i].head] + run[i].weight < d) return prefetch_top(s), false;
  const std::uint32_t relax_begin = kForward ? h.both : 1, relax_end = kForward ? h.end : h.up;
  // Relaxing without a branch per arc: whether an arc improves its head is unpredictable, and a
  // mispredicted branch costs more than the stores. Every arc writes its head's label (the
  // least of the two), its head into the touched list and an entry into the candidates; the
  // counts advance only where the head was new or improved.
  const std::uint32_t len = relax_end - relax_begin;
  if (s.improved.size() < len) s.improved.resize(len);
  std::uint32_t* touched = s.touched_room(len);
  QuadHeap::Entry* improved = s.improved.data();
  std::size_t nt = s.touched_n, ni = 0;
  for (std::uint32_t i = relax_begin; i < relax_end; ++i) {
    const SearchRecord& r = run[i];
    const Weight nd = d + r.weight;
    Weight& l = dist[r.head];
    const Weight old = l;
    l = std::min(old, nd);
    touched[nt] = r.head;
    nt += old == kInfinity;
    improved[ni] = {nd, r.head, r.head_run};
    if (kRecord && nd < old) s.record[r.head] = e.run + i;
    ni += nd < old;
  }
  s.touched_n = nt;
  for (std::size_t k = 0; k < ni; ++k) {
    const QuadHeap::Entry& c = improved[k];
    if (kCore && m_core->in_core(c.node)) {  // not queued: the table goes on from here
      enter(s, c.node);
      continue;
    }
    s.heap.push(c.dist, c.node, c.run);
    // It is likely to be settled soon: fetch its run now (the record says where it is): its
    // first two lines, as most runs of four slots or fewer lie across two.
    __builtin_prefetch(rec + c.run);
    __builtin_prefetch(reinterpret_cast<const char*>(rec + c.run) + 48);
    // Read when it is settled: do the searches meet there; does it hold bucket entries.
    if (other) __builtin_prefetch(other + c.node);
    if (groups) __builtin_prefetch(groups + c.node);
  }
  prefetch_top(s);
  return true;
}

Weight ChSearch::distance(std::span<const Seed> sources, std::span<const Seed> targets) {
  m_last_sources.assign(sources.begin(), sources.end());
  m_last_targets.assign(targets.begin(), targets.end());
  m_have_records = false;
  return m_core ? search<false, true>(sources, targets) : search<false, false>(sources, targets);
}

template <bool kRecord, bool kCore>
Weight ChSearch::search(std::span<const Seed> sources, std::span<const Seed> targets) {
  reset<kRecord>(m_fwd);
  reset<kRecord>(m_bwd);
  m_settled = 0;
  m_meet = kNoArc;
  seed<kRecord, kCore>(m_fwd, sources);
  seed<kRecord, kCore>(m_bwd, targets);
  Weight best = kInfinity;
  bool forward = true;
  while (true) {
    // An empty heap's top is a sentinel above kInfinity.
    Weight fmin = m_fwd.heap.top().dist, bmin = m_bwd.heap.top().dist;
    bool f_live = fmin < best, b_live = bmin < best;
    if (!f_live && !b_live) break;
    if (!f_live)
      forward = false;
    else if (!b_live)
      forward = true;
    Side& s = forward ? m_fwd : m_bwd;
    Side& other = forward ? m_bwd : m_fwd;
    QuadHeap::Entry e;
    if (pop(s, e)) {
      const Weight d = e.dist, o = other.dist[e.node];
      if (o != kInfinity && d + o < best) {
        best = d + o;
        m_meet = e.node;
      }
      if (d < best)
        forward ? expand<true, kRecord, kCore>(s, e, other.dist.data(), nullptr)
                : expand<false, kRecord, kCore>(s, e, other.dist.data(), nullptr);
    }
    forward = !forward;
  }
  return kCore ? through_core(best) : best;
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

std::vector<std::uint32_t> ChSearch::path() {
  std::vector<std::uint32_t> out;
  if (m_meet == kNoArc) return out;
  if (!m_have_records) {  // the same search without the core: its meeting node and records
    search<true, false>(m_last_sources, m_last_targets);
    m_have_records = true;
  }
  // A label's record lies in its parent's run; forward labels came by up arcs, backward by down.
  std::vector<std::uint32_t> up;
  for (std::uint32_t i = m_fwd.record[m_meet]; i != kNoArc; i = m_fwd.record[m_graph->owner(i)])
    up.push_back(m_graph->up_arc[i]);
  for (auto it = up.rbegin(); it != up.rend(); ++it) unpack(*it, out);
  for (std::uint32_t i = m_bwd.record[m_meet]; i != kNoArc; i = m_bwd.record[m_graph->owner(i)])
    unpack(m_graph->down_arc[i], out);
  return out;
}

std::vector<Weight> ChSearch::many_to_many(const std::vector<std::vector<Seed>>& sources,
                                           const std::vector<std::vector<Seed>>& targets) {
  std::vector<Weight> result(sources.size() * targets.size(), kInfinity);
  m_core ? matrix<true>(sources, targets, result) : matrix<false>(sources, targets, result);
  return result;
}

template <bool kCore>
void ChSearch::matrix(const std::vector<std::vector<Seed>>& sources, const std::vector<std::vector<Seed>>& targets,
                      std::vector<Weight>& result) {
  const std::size_t ns = sources.size(), nt = targets.size();
  m_settled = 0;
  m_meet = kNoArc;  // no path after a matrix
  m_buckets.clear();
  m_core_entries.clear();
  m_source_entries.clear();
  for (std::uint32_t j = 0; j < nt; ++j) {
    reset<false>(m_bwd);
    seed<false, kCore>(m_bwd, targets[j]);
    QuadHeap::Entry e;
    while (pop(m_bwd, e))
      if (expand<false, false, kCore>(m_bwd, e, nullptr, nullptr)) m_buckets.push_back({e.node, j, e.dist});
    if (kCore)
      for (const auto& [w, b] : undominated<false>(m_bwd.entries_by_weight())) m_core_entries.push_back({b, j, w});
  }
  // Group the bucket entries by node without sorting: a dense node -> group index (reset
  // through the groups' node list), then a counting scatter.
  if (m_bucket_group.size() < m_graph->node_count()) m_bucket_group.assign(m_graph->node_count(), kNoArc);
  m_group_nodes.clear();
  m_group_first.clear();
  for (const BucketEntry& b : m_buckets) {
    std::uint32_t& g = m_bucket_group[b.rank];
    if (g == kNoArc) {
      g = static_cast<std::uint32_t>(m_group_nodes.size());
      m_group_nodes.push_back(b.rank);
      m_group_first.push_back(0);
    }
    ++m_group_first[g];
  }
  std::uint32_t total = 0;
  for (std::uint32_t& f : m_group_first) total += std::exchange(f, total);
  m_group_first.push_back(total);
  m_group_cursor.assign(m_group_first.begin(), m_group_first.end() - 1);
  m_grouped.resize(total);
  for (const BucketEntry& b : m_buckets) m_grouped[m_group_cursor[m_bucket_group[b.rank]]++] = b;
  if (kCore) group_core_entries();
  // The source searches run on the backward side's arrays too (the target searches are done), so
  // that a query object used only for matrices holds one side's distances, not two.
  Side& fwd = m_bwd;
  const std::uint32_t* groups = m_bucket_group.data();
  for (std::uint32_t i = 0; i < ns; ++i) {
    reset<false>(fwd);
    seed<false, kCore>(fwd, sources[i]);
    QuadHeap::Entry e;
    Weight* row = &result[i * nt];
    while (pop(fwd, e)) {
      if (!expand<true, false, kCore>(fwd, e, nullptr, groups)) continue;
      const Weight d = e.dist;
      const std::uint32_t g = groups[e.node];
      if (g == kNoArc) continue;
      for (std::uint32_t k = m_group_first[g]; k < m_group_first[g + 1]; ++k) {
        const BucketEntry& b = m_grouped[k];
        row[b.target] = std::min(row[b.target], d + b.weight);
      }
    }
    if (kCore) {
      for (const auto& [w, a] : undominated<true>(fwd.entries_by_weight())) m_source_entries.push_back({a, i, w});
      if ((i + 1) % kCoreBlock == 0 || i + 1 == ns) rows_through_core(i - i % kCoreBlock, i + 1, result, nt);
    }
  }
  for (std::uint32_t v : m_group_nodes) m_bucket_group[v] = kNoArc;
}

// The entries a route may need (a matrix reads the table |entries| times per target: worth
// pruning): without those that another entry dominates, say a' for a forward entry a when
// dist(s, a') + table(a', a) <= dist(s, a) (every route through a is then no shorter through a').
// An entry can be dominated only by a lighter one, and dropping one dominated by a dropped one is
// still right (the table obeys the triangle inequality): each is checked against those before it.
template <bool kForward>
std::vector<std::pair<Weight, std::uint32_t>>& ChSearch::undominated(
    std::vector<std::pair<Weight, std::uint32_t>>& by_weight) {
  std::size_t kept = 0;
  for (std::size_t k = 0; k < by_weight.size(); ++k) {
    const auto [w, v] = by_weight[k];
    bool dominated = false;
    for (std::size_t i = 0; i < k && !dominated; ++i) {
      const auto [wi, u] = by_weight[i];
      dominated = wi + (kForward ? m_core->at(u, v) : m_core->at(v, u)) <= w;
    }
    if (!dominated) by_weight[kept++] = by_weight[k];
  }
  by_weight.resize(kept);
  return by_weight;
}

// The targets' core entries grouped by core node: m_core_nodes, and m_core_first as offsets
// into m_core_entries.
void ChSearch::group_core_entries() {
  std::sort(m_core_entries.begin(), m_core_entries.end(),
            [](const BucketEntry& x, const BucketEntry& y) { return x.rank < y.rank; });
  m_core_nodes.clear();
  m_core_first.clear();
  for (std::uint32_t k = 0; k < m_core_entries.size(); ++k)
    if (k == 0 || m_core_entries[k].rank != m_core_entries[k - 1].rank) {
      m_core_nodes.push_back(m_core_entries[k].rank);
      m_core_first.push_back(k);
    }
  m_core_first.push_back(static_cast<std::uint32_t>(m_core_entries.size()));
}

// Rows [first, end) through the core, from the sources' entries (m_source_entries): each
// source's least weight to each core node a target entered by, then on to those targets. Grouped
// by the source entry's core node, so that each table row is read once for the block (rows are
// 16 KiB; the sources share most of their entries) and the sum runs along a contiguous copy of
// the columns wanted.
void ChSearch::rows_through_core(std::size_t first, std::size_t end, std::vector<Weight>& result, std::size_t nt) {
  const std::size_t u = m_core_nodes.size();
  if (u == 0) return m_source_entries.clear();  // no target entered the core
  m_to_core.assign((end - first) * u, kInfinity);
  m_columns.resize(u);
  std::sort(m_source_entries.begin(), m_source_entries.end(),
            [](const BucketEntry& x, const BucketEntry& y) { return x.rank < y.rank; });
  for (std::size_t k = 0; k < m_source_entries.size(); ++k) {
    const std::uint32_t a = m_source_entries[k].rank;
    if (k == 0 || a != m_source_entries[k - 1].rank) {
      const Weight* table = m_core->row(a);
      for (std::size_t c = 0; c < u; ++c) m_columns[c] = table[m_core_nodes[c] - m_core->first];
    }
    const Weight df = m_source_entries[k].weight;
    Weight* to = &m_to_core[(m_source_entries[k].target - first) * u];
    for (std::size_t c = 0; c < u; ++c) to[c] = std::min(to[c], df + m_columns[c]);
  }
  m_source_entries.clear();
  for (std::size_t i = first; i < end; ++i) {
    const Weight* to = &m_to_core[(i - first) * u];
    Weight* row = &result[i * nt];
    for (std::size_t c = 0; c < u; ++c) {
      if (to[c] >= kInfinity) continue;
      for (std::uint32_t e = m_core_first[c]; e < m_core_first[c + 1]; ++e) {
        const BucketEntry& b = m_core_entries[e];
        row[b.target] = std::min(row[b.target], to[c] + b.weight);
      }
    }
  }
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
    std::pop_heap(m_heap.begin(), m_heap.end(), std::greater<DijkstraEntry>());
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
    std::pop_heap(m_heap.begin(), m_heap.end(), std::greater<DijkstraEntry>());
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
