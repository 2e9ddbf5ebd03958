#include "geo/roads/contraction.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <queue>

namespace placedist::geo::roads {
namespace {

struct DynArc {
  std::uint32_t other;
  std::uint32_t arc;
  Weight weight;
};

struct Shortcut {
  std::uint32_t from, to;
  Weight weight;
  std::uint32_t first, second;
};

class Contractor {
 public:
  Contractor(std::uint32_t n, std::vector<InputArc> input)
      : m_n(n),
        m_out(n),
        m_in(n),
        m_contracted(n, 0),
        m_deleted(n, 0),
        m_level(n, 0),
        m_dist(n, kInfinity),
        m_target(n, 0),
        m_up(n),
        m_down(n) {
    // Keep the lightest of parallel arcs; drop loops.
    std::sort(input.begin(), input.end(), [](const InputArc& a, const InputArc& b) {
      return std::tie(a.tail, a.head, a.weight, a.code) < std::tie(b.tail, b.head, b.weight, b.code);
    });
    auto kept = [&](std::size_t i) {
      const InputArc& a = input[i];
      return a.tail != a.head && !(i > 0 && input[i - 1].tail == a.tail && input[i - 1].head == a.head);
    };
    // Each list allocated once at its size: a build's threads share one heap (huge_page_heap.hpp),
    // so fewer calls into it.
    {
      std::vector<std::uint32_t> out_degree(n, 0), in_degree(n, 0);
      std::size_t arcs = 0;
      for (std::size_t i = 0; i < input.size(); ++i)
        if (kept(i)) ++out_degree[input[i].tail], ++in_degree[input[i].head], ++arcs;
      for (std::uint32_t v = 0; v < n; ++v) m_out[v].reserve(out_degree[v]), m_in[v].reserve(in_degree[v]);
      m_arcs.reserve(arcs);
    }
    for (std::size_t i = 0; i < input.size(); ++i) {
      if (!kept(i)) continue;
      const InputArc& a = input[i];
      std::uint32_t id = static_cast<std::uint32_t>(m_arcs.size());
      m_arcs.push_back({a.code, kNoArc});
      m_out[a.tail].push_back({a.head, id, a.weight});
      m_in[a.head].push_back({a.tail, id, a.weight});
    }
  }

  ChData run(ContractionStats* stats) {
    auto start = std::chrono::steady_clock::now();
    using Entry = std::pair<std::int64_t, std::uint32_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
    std::vector<std::int64_t> prio(m_n);
    for (std::uint32_t v = 0; v < m_n; ++v) {
      prio[v] = priority(v);
      queue.push({prio[v], v});
    }
    std::vector<std::uint32_t> order;
    order.reserve(m_n);
    std::vector<std::uint32_t> neighbours;
    while (!queue.empty()) {
      auto [p, v] = queue.top();
      queue.pop();
      if (m_contracted[v] || p != prio[v]) continue;
      // Lazy update: the stored priority may be stale.
      std::int64_t now = priority(v);
      if (!queue.empty() && now > queue.top().first) {
        prio[v] = now;
        queue.push({now, v});
        continue;
      }
      neighbours.clear();
      for (const DynArc& a : m_out[v]) neighbours.push_back(a.other);
      for (const DynArc& a : m_in[v]) neighbours.push_back(a.other);
      std::sort(neighbours.begin(), neighbours.end());
      neighbours.erase(std::unique(neighbours.begin(), neighbours.end()), neighbours.end());
      contract_node(v);
      order.push_back(v);
      for (std::uint32_t u : neighbours) {
        ++m_deleted[u];
        m_level[u] = std::max(m_level[u], m_level[v] + 1);
        // Refreshing a high-degree neighbour costs many witness searches; those are left to the
        // lazy check when they reach the top of the queue (which matters on grid-like graphs).
        if (m_in[u].size() + m_out[u].size() > kEagerDegree) continue;
        prio[u] = priority(u);
        queue.push({prio[u], u});
      }
    }
    ChData ch = assemble(order);
    if (stats) {
      stats->shortcuts = m_shortcut_count;
      stats->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    return ch;
  }

 private:
  // Witness searches give up after this many settled nodes (then a shortcut is added: always
  // correct, at worst superfluous).
  static constexpr int kSimulateSettled = 200;
  static constexpr std::size_t kEagerDegree = 16;
  static constexpr int kContractSettled = 1000;

  // Shortcuts needed when v is contracted (written to m_pending).
  void find_shortcuts(std::uint32_t v, int settled_limit) {
    m_pending.clear();
    m_pending_node = v;
    m_pending_exact = true;
    for (const DynArc& in : m_in[v]) {
      Weight max_needed = 0;
      for (const DynArc& out : m_out[v])
        if (out.other != in.other) max_needed = std::max(max_needed, in.weight + out.weight);
      if (max_needed == 0) continue;
      // The search may stop once every target is settled: their distances are final then.
      if (++m_stamp == 0) std::fill(m_target.begin(), m_target.end(), 0), m_stamp = 1;
      int targets = 0;
      for (const DynArc& out : m_out[v])
        if (out.other != in.other && m_target[out.other] != m_stamp) m_target[out.other] = m_stamp, ++targets;
      witness_search(in.other, v, max_needed, settled_limit, targets);
      for (const DynArc& out : m_out[v]) {
        if (out.other == in.other) continue;
        Weight via = in.weight + out.weight;
        if (m_dist[out.other] > via) m_pending.push_back({in.other, out.other, via, in.arc, out.arc});
      }
      reset_search();
    }
  }

  void witness_search(std::uint32_t source, std::uint32_t avoid, Weight limit, int settled_limit, int targets) {
    using Entry = std::pair<Weight, std::uint32_t>;
    m_heap.clear();
    m_dist[source] = 0;
    m_touched.push_back(source);
    m_heap.push_back({0, source});
    int settled = 0;
    while (!m_heap.empty()) {
      std::pop_heap(m_heap.begin(), m_heap.end(), std::greater<Entry>());
      auto [d, x] = m_heap.back();
      m_heap.pop_back();
      if (d > m_dist[x]) continue;
      if (d > limit) break;
      if (++settled > settled_limit) {
        m_pending_exact = false;
        break;
      }
      if (m_target[x] == m_stamp && --targets == 0) break;
      for (const DynArc& a : m_out[x]) {
        if (a.other == avoid) continue;
        Weight nd = d + a.weight;
        if (nd < m_dist[a.other]) {
          if (m_dist[a.other] == kInfinity) m_touched.push_back(a.other);
          m_dist[a.other] = nd;
          m_heap.push_back({nd, a.other});
          std::push_heap(m_heap.begin(), m_heap.end(), std::greater<Entry>());
        }
      }
    }
  }

  void reset_search() {
    for (std::uint32_t x : m_touched) m_dist[x] = kInfinity;
    m_touched.clear();
  }

  std::int64_t priority(std::uint32_t v) {
    find_shortcuts(v, kSimulateSettled);
    std::int64_t removed = static_cast<std::int64_t>(m_in[v].size() + m_out[v].size());
    std::int64_t added = static_cast<std::int64_t>(m_pending.size());
    // Edge difference, deleted neighbours and level (depth in the hierarchy so far); weights
    // chosen on the Bucks graph (query space and build time, tools/bench/roads_bench).
    return 2 * added - removed + m_deleted[v] + m_level[v];
  }

  static void erase_to(std::vector<DynArc>& list, std::uint32_t v) {
    list.erase(std::remove_if(list.begin(), list.end(), [v](const DynArc& a) { return a.other == v; }), list.end());
  }

  void contract_node(std::uint32_t v) {
    // run() has just simulated v (priority): if no witness search of it reached the settled
    // limit, a search with a higher limit finds exactly the same shortcuts.
    if (m_pending_node != v || !m_pending_exact) find_shortcuts(v, kContractSettled);
    for (const DynArc& a : m_out[v]) erase_to(m_in[a.other], v);
    for (const DynArc& a : m_in[v]) erase_to(m_out[a.other], v);
    m_up[v].swap(m_out[v]);  // leaves v's dynamic lists empty, with no copy
    m_down[v].swap(m_in[v]);
    m_contracted[v] = 1;
    for (const Shortcut& s : m_pending) add_arc(s);
  }

  void add_arc(const Shortcut& s) {
    for (DynArc& a : m_out[s.from]) {
      if (a.other != s.to) continue;
      if (a.weight <= s.weight) return;
      std::uint32_t id = new_arc(s);
      a.weight = s.weight;
      a.arc = id;
      for (DynArc& b : m_in[s.to])
        if (b.other == s.from) b.weight = s.weight, b.arc = id;
      return;
    }
    std::uint32_t id = new_arc(s);
    m_out[s.from].push_back({s.to, id, s.weight});
    m_in[s.to].push_back({s.from, id, s.weight});
  }

  std::uint32_t new_arc(const Shortcut& s) {
    ++m_shortcut_count;
    m_arcs.push_back({s.first, s.second});
    return static_cast<std::uint32_t>(m_arcs.size() - 1);
  }

  // Search ids: by level in the hierarchy (a search climbs levels, and the few top levels that
  // every search reaches sit together), then by node number (input order, which in OSM and
  // edge-layer extracts is roughly spatial), so that one search touches few cache lines.
  // Searches never compare ids: any numbering serves.
  ChData assemble(std::vector<std::uint32_t> order) {
    std::sort(order.begin(), order.end(),
              [&](std::uint32_t a, std::uint32_t b) { return std::pair(m_level[a], a) < std::pair(m_level[b], b); });
    ChData ch;
    ch.rank.assign(m_n, 0);
    for (std::uint32_t r = 0; r < order.size(); ++r) ch.rank[order[r]] = r;
    auto build = [&](std::vector<std::vector<DynArc>>& lists, std::vector<std::uint32_t>& first,
                     std::vector<ChAdj>& adj) {
      first.assign(m_n + 1, 0);
      std::size_t total = 0;
      for (const std::vector<DynArc>& list : lists) total += list.size();
      adj.reserve(total);
      for (std::uint32_t r = 0; r < m_n; ++r) {
        std::uint32_t v = order[r];
        for (const DynArc& a : lists[v]) adj.push_back({ch.rank[a.other], a.arc, a.weight});
        first[r + 1] = static_cast<std::uint32_t>(adj.size());
        lists[v].clear();
        lists[v].shrink_to_fit();
      }
    };
    build(m_up, ch.up_first, ch.up);
    build(m_down, ch.down_first, ch.down);
    ch.arcs = std::move(m_arcs);
    return ch;
  }

  std::uint32_t m_n;
  std::vector<std::vector<DynArc>> m_out, m_in;
  std::vector<std::uint8_t> m_contracted;
  std::vector<std::int32_t> m_deleted, m_level;
  std::vector<Weight> m_dist;
  std::vector<std::uint32_t> m_target;  // == m_stamp: a target of the current witness search
  std::uint32_t m_stamp = 0;
  std::vector<std::uint32_t> m_touched;
  std::vector<std::pair<Weight, std::uint32_t>> m_heap;
  std::vector<Shortcut> m_pending;
  std::uint32_t m_pending_node = kNoArc;  // whose shortcuts m_pending holds
  bool m_pending_exact = false;           // no witness search for them stopped at its settled limit
  std::vector<std::vector<DynArc>> m_up, m_down;
  std::vector<ChArc> m_arcs;
  std::uint64_t m_shortcut_count = 0;
};

}  // namespace

ChData contract(std::uint32_t node_count, std::vector<InputArc> arcs, ContractionStats* stats) {
  Contractor c(node_count, std::move(arcs));
  return c.run(stats);
}

}  // namespace placedist::geo::roads
