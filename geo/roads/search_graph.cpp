#include "geo/roads/search_graph.hpp"

#include <algorithm>
#include <climits>

namespace placedist::geo::roads::detail {

std::uint32_t SearchGraph::owner(std::uint32_t i) const {
  return static_cast<std::uint32_t>(std::upper_bound(run.begin(), run.end(), i) - run.begin()) - 1;
}

std::size_t SearchGraph::bytes() const {
  return records.size() * sizeof(SearchRecord) + (run.size() + up_arc.size() + down_arc.size()) * sizeof(std::uint32_t);
}

namespace {

// Position of (x, y) along a Hilbert curve over a 2^16 x 2^16 grid.
std::uint64_t hilbert(std::uint32_t x, std::uint32_t y) {
  std::uint64_t d = 0;
  for (std::uint32_t s = 1u << 15; s > 0; s >>= 1) {
    std::uint32_t rx = (x & s) ? 1 : 0, ry = (y & s) ? 1 : 0;
    d += std::uint64_t{s} * s * ((3 * rx) ^ ry);
    if (ry == 0) {
      if (rx == 1) x = 0xFFFFu - x, y = 0xFFFFu - y;
      std::swap(x, y);
    }
  }
  return d;
}

// New search id of each file rank.
std::vector<std::uint32_t> search_order(const ChView& ch, std::span<const FixedPoint> where) {
  const std::uint32_t n = static_cast<std::uint32_t>(ch.up_first.size()) - 1;
  std::vector<std::uint32_t> new_id(n);
  if (where.size() != ch.rank.size()) {
    for (std::uint32_t r = 0; r < n; ++r) new_id[r] = r;
    return new_id;
  }
  // Levels: every arc leads from a lower to a higher node, so one pass in a topological order
  // of the hierarchy finds them; file ranks are not one, so go by a queue of ready nodes.
  std::vector<std::uint32_t> level(n, 0), pending(n, 0);
  for (std::uint32_t r = 0; r < n; ++r) {
    for (std::uint32_t i = ch.up_first[r]; i < ch.up_first[r + 1]; ++i) ++pending[ch.up[i].head];
    for (std::uint32_t i = ch.down_first[r]; i < ch.down_first[r + 1]; ++i) ++pending[ch.down[i].head];
  }
  std::vector<std::uint32_t> ready;
  for (std::uint32_t r = 0; r < n; ++r)
    if (pending[r] == 0) ready.push_back(r);
  while (!ready.empty()) {
    std::uint32_t r = ready.back();
    ready.pop_back();
    auto visit = [&](std::uint32_t h) {
      level[h] = std::max(level[h], level[r] + 1);
      if (--pending[h] == 0) ready.push_back(h);
    };
    for (std::uint32_t i = ch.up_first[r]; i < ch.up_first[r + 1]; ++i) visit(ch.up[i].head);
    for (std::uint32_t i = ch.down_first[r]; i < ch.down_first[r + 1]; ++i) visit(ch.down[i].head);
  }
  std::int32_t min_x = INT32_MAX, min_y = INT32_MAX, max_x = INT32_MIN, max_y = INT32_MIN;
  for (const FixedPoint& p : where) {
    min_x = std::min(min_x, p.lon), max_x = std::max(max_x, p.lon);
    min_y = std::min(min_y, p.lat), max_y = std::max(max_y, p.lat);
  }
  const double sx = 65535.0 / std::max<double>(1, double(max_x) - min_x),
               sy = 65535.0 / std::max<double>(1, double(max_y) - min_y);
  std::vector<std::pair<std::uint64_t, std::uint32_t>> key(n);
  for (std::uint32_t v = 0; v < n; ++v) {
    const std::uint32_t r = ch.rank[v];
    const FixedPoint p = where[v];
    const std::uint64_t h = hilbert(static_cast<std::uint32_t>((double(p.lon) - min_x) * sx),
                                    static_cast<std::uint32_t>((double(p.lat) - min_y) * sy));
    key[r] = {(std::uint64_t{level[r]} << 32) | h, r};
  }
  std::sort(key.begin(), key.end());
  for (std::uint32_t i = 0; i < n; ++i) new_id[key[i].second] = i;
  return new_id;
}

}  // namespace

SearchGraphData build_search_graph(const ChView& ch, std::span<const FixedPoint> where) {
  const std::uint32_t n = static_cast<std::uint32_t>(ch.up_first.size()) - 1;
  const std::vector<std::uint32_t> new_id = search_order(ch, where);
  std::vector<std::uint32_t> old_of(n);
  for (std::uint32_t r = 0; r < n; ++r) old_of[new_id[r]] = r;
  SearchGraphData g;
  g.id.resize(ch.rank.size());
  for (std::size_t v = 0; v < ch.rank.size(); ++v) g.id[v] = new_id[ch.rank[v]];
  g.run.resize(n + 1);
  const std::size_t slots = n + ch.up.size() + ch.down.size();
  g.records.reserve(slots);
  g.up_arc.reserve(slots);
  g.down_arc.reserve(slots);
  struct Item {
    std::uint32_t head;
    Weight weight;
    std::uint32_t arc;
  };
  std::vector<Item> up, down, both_up, both_down, up_only, down_only;
  auto by_head = [](const Item& a, const Item& b) { return std::pair(a.head, a.weight) < std::pair(b.head, b.weight); };
  auto put = [&](const Item& it, std::uint32_t up_arc, std::uint32_t down_arc) {
    g.records.push_back({it.head, 0, it.weight});  // head_run once every run is placed
    g.up_arc.push_back(up_arc);
    g.down_arc.push_back(down_arc);
  };
  for (std::uint32_t v = 0; v < n; ++v) {
    const std::uint32_t old = old_of[v];
    up.clear(), down.clear(), both_up.clear(), both_down.clear(), up_only.clear(), down_only.clear();
    for (std::uint32_t i = ch.up_first[old]; i < ch.up_first[old + 1]; ++i)
      up.push_back({new_id[ch.up[i].head], ch.up[i].weight, ch.up[i].arc});
    for (std::uint32_t i = ch.down_first[old]; i < ch.down_first[old + 1]; ++i)
      down.push_back({new_id[ch.down[i].head], ch.down[i].weight, ch.down[i].arc});
    std::sort(up.begin(), up.end(), by_head);
    std::sort(down.begin(), down.end(), by_head);
    // Pair equal (head, weight) up and down arcs; the rest keep one direction.
    std::size_t i = 0, j = 0;
    while (i < up.size() || j < down.size()) {
      if (j == down.size() || (i < up.size() && by_head(up[i], down[j]))) {
        up_only.push_back(up[i++]);
      } else if (i == up.size() || by_head(down[j], up[i])) {
        down_only.push_back(down[j++]);
      } else {
        both_up.push_back(up[i++]);
        both_down.push_back(down[j++]);
      }
    }
    g.run[v] = static_cast<std::uint32_t>(g.records.size());
    RunHeader h{};
    h.both = 1 + static_cast<std::uint32_t>(down_only.size());
    h.up = h.both + static_cast<std::uint32_t>(both_up.size());
    h.end = h.up + static_cast<std::uint32_t>(up_only.size());
    g.records.push_back(header_slot(h));
    g.up_arc.push_back(kNoArc);
    g.down_arc.push_back(kNoArc);
    for (const Item& it : down_only) put(it, kNoArc, it.arc);
    for (std::size_t k = 0; k < both_up.size(); ++k) put(both_up[k], both_up[k].arc, both_down[k].arc);
    for (const Item& it : up_only) put(it, it.arc, kNoArc);
  }
  g.run[n] = static_cast<std::uint32_t>(g.records.size());
  for (std::uint32_t v = 0; v < n; ++v)
    for (std::uint32_t i = g.run[v] + 1; i < g.run[v + 1]; ++i) g.records[i].head_run = g.run[g.records[i].head];
  return g;
}

const char* bad_search_graph(const SearchGraph& g, std::uint64_t routing_nodes, std::uint64_t arc_count) {
  const std::uint64_t n = routing_nodes, slots = g.records.size();
  if (g.id.size() != n || g.run.size() != n + 1 || g.up_arc.size() != slots || g.down_arc.size() != slots ||
      slots >= kNoArc)
    return "inconsistent search layout sections";
  std::vector<bool> seen(n, false);
  for (std::uint32_t id : g.id) {
    if (id >= n || seen[id]) return "search ids are not a numbering of the routing nodes";
    seen[id] = true;
  }
  if (g.run[0] != 0 || g.run[n] != slots) return "the search runs do not cover the records";
  for (std::uint64_t v = 0; v < n; ++v)
    if (g.run[v + 1] <= g.run[v]) return "a search run has no header";
  auto arc_ok = [&](std::uint32_t a) { return a < arc_count; };
  for (std::uint64_t v = 0; v < n; ++v) {
    const std::uint32_t first = g.run[v];
    const RunHeader h = run_header(g.records[first]);
    if (!(1 <= h.both && h.both <= h.up && h.up <= h.end && h.zero == 0 && h.end == g.run[v + 1] - first))
      return "a search run's header does not match its records";
    if (g.up_arc[first] != kNoArc || g.down_arc[first] != kNoArc) return "a search run's header stands for an arc";
    for (std::uint32_t k = 1; k < h.end; ++k) {
      const std::uint32_t i = first + k;
      const SearchRecord& r = g.records[i];
      // A search reads the head's distance at `head` and the head's run at `head_run`.
      if (r.head >= n || r.head_run != g.run[r.head] || r.weight >= kInfinity)
        return "a search record leads outside the hierarchy";
      // down-only [1, both), both [both, up), up-only [up, end): path() reads these ids.
      const bool up = k >= h.both, down = k < h.up;
      if (up != arc_ok(g.up_arc[i]) || down != arc_ok(g.down_arc[i]) || (!up && g.up_arc[i] != kNoArc) ||
          (!down && g.down_arc[i] != kNoArc))
        return "a search record stands for an arc outside the hierarchy";
    }
  }
  return nullptr;
}

}  // namespace placedist::geo::roads::detail
