#include "geo/roads/endpoint.hpp"

#include <cmath>

#include "geo/roads/base_graph.hpp"
#include "geo/roads/routing_graph.hpp"

namespace placedist::geo::roads::detail {

Endpoint make_endpoint(const NetworkData& d, const Snap& s) {
  Endpoint e;
  e.snap = s;
  e.edge = d.edges[s.edge];
  e.from_a.time_ms = static_cast<std::uint64_t>(std::llround(s.fraction * e.edge.time_ms));
  e.from_a.dist_dm = static_cast<std::uint64_t>(std::llround(s.fraction * e.edge.dist_dm));
  return e;
}

namespace {
Weight to_a(const Endpoint& e, Metric m) { return pack(m, e.from_a.time_ms, e.from_a.dist_dm); }
Weight to_b(const Endpoint& e, Metric m) {
  return pack(m, e.edge.time_ms - e.from_a.time_ms, e.edge.dist_dm - e.from_a.dist_dm);
}
}  // namespace

std::vector<Seed> source_seeds(const NetworkData& d, const Endpoint& e, Metric m) {
  std::vector<Seed> seeds;
  const std::uint32_t n = static_cast<std::uint32_t>(d.nodes.size()), fw = e.snap.edge * 2;
  if (e.edge.flags & kForward) seeds.push_back({arrival_node(d.edges, d.copy_code, n, fw), to_b(e, m)});
  if (e.edge.flags & kBackward) seeds.push_back({arrival_node(d.edges, d.copy_code, n, fw + 1), to_a(e, m)});
  return seeds;
}

std::vector<Seed> target_seeds(const NetworkData& d, const BaseGraph& g, const Endpoint& e, Metric m) {
  std::vector<Seed> seeds;
  TurnRules rules(d.restrictions);
  // Entering the edge at `junction` by directed edge `code`: from the junction itself, or from
  // each of its copies whose arrival may turn onto `code`.
  auto enter = [&](std::uint32_t junction, std::uint32_t code, Weight w) {
    if (g.copies_first[junction] == g.copies_first[junction + 1]) return seeds.push_back({junction, w});
    for (std::uint32_t i = g.copies_first[junction]; i < g.copies_first[junction + 1]; ++i) {
      std::uint32_t copy = g.copies[i];
      if (rules.allowed(d.copy_code[copy - d.nodes.size()], code)) seeds.push_back({copy, w});
    }
  };
  if (e.edge.flags & kForward) enter(e.edge.a, e.snap.edge * 2, to_a(e, m));
  if (e.edge.flags & kBackward) enter(e.edge.b, e.snap.edge * 2 + 1, to_b(e, m));
  return seeds;
}

std::optional<Weight> direct_weight(const Endpoint& s, const Endpoint& t, Metric m) {
  if (s.snap.edge != t.snap.edge) return std::nullopt;
  std::optional<Weight> best;
  if ((s.edge.flags & kForward) && s.from_a.time_ms <= t.from_a.time_ms && s.from_a.dist_dm <= t.from_a.dist_dm &&
      s.snap.fraction <= t.snap.fraction)
    best = pack(m, t.from_a.time_ms - s.from_a.time_ms, t.from_a.dist_dm - s.from_a.dist_dm);
  if ((s.edge.flags & kBackward) && s.from_a.time_ms >= t.from_a.time_ms && s.from_a.dist_dm >= t.from_a.dist_dm &&
      s.snap.fraction >= t.snap.fraction) {
    Weight w = pack(m, s.from_a.time_ms - t.from_a.time_ms, s.from_a.dist_dm - t.from_a.dist_dm);
    if (!best || w < *best) best = w;
  }
  return best;
}

}  // namespace placedist::geo::roads::detail
