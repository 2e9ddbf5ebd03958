// Steps of building a network file that are not contraction: components, snappable edges, arcs.
#include <algorithm>
#include <cmath>

#include "geo/local_plane.hpp"
#include "geo/roads/network_data.hpp"
#include "geo/roads/routing_graph.hpp"

namespace placedist::geo::roads {

double haversine_metres(FixedPoint a, FixedPoint b) {
  constexpr double kRad = 3.14159265358979323846 / 180.0 / kFixedPerDegree;
  double la1 = a.lat * kRad, la2 = b.lat * kRad;
  double dla = la2 - la1, dlo = (b.lon - a.lon) * kRad;
  double h =
      std::sin(dla / 2) * std::sin(dla / 2) + std::cos(la1) * std::cos(la2) * std::sin(dlo / 2) * std::sin(dlo / 2);
  return 2 * kEarthMeanRadiusMetres * std::asin(std::min(1.0, std::sqrt(h)));
}

double polyline_metres(const FixedPoint* first, const FixedPoint* last) {
  double sum = 0;
  for (const FixedPoint* p = first; p + 1 < last; ++p) sum += haversine_metres(p[0], p[1]);
  return sum;
}

std::uint32_t drive_time_ms(double dist_m, double speed_kmh) {
  if (!(speed_kmh > 0)) return 0;
  return static_cast<std::uint32_t>(std::llround(dist_m / (speed_kmh / 3.6) * 1000.0));
}

namespace detail {

// Iterative Tarjan over the directed graph of drivable edge directions.
std::vector<std::uint32_t> strong_components(const RoadEdges& g) {
  const std::uint32_t n = static_cast<std::uint32_t>(g.nodes.size());
  std::vector<std::uint32_t> first(n + 1, 0), head;
  for (const RoadEdge& e : g.edges) {
    if (e.flags & kForward) ++first[e.a + 1];
    if (e.flags & kBackward) ++first[e.b + 1];
  }
  for (std::uint32_t v = 0; v < n; ++v) first[v + 1] += first[v];
  head.resize(first[n]);
  std::vector<std::uint32_t> fill(first.begin(), first.end() - 1);
  for (const RoadEdge& e : g.edges) {
    if (e.flags & kForward) head[fill[e.a]++] = e.b;
    if (e.flags & kBackward) head[fill[e.b]++] = e.a;
  }
  constexpr std::uint32_t kUnset = 0xFFFFFFFFu;
  std::vector<std::uint32_t> index(n, kUnset), low(n), comp(n, kUnset), stack, next(n);
  std::vector<std::uint32_t> call;
  std::uint32_t counter = 0, comps = 0;
  for (std::uint32_t root = 0; root < n; ++root) {
    if (index[root] != kUnset) continue;
    call.push_back(root);
    index[root] = low[root] = counter++;
    next[root] = first[root];
    stack.push_back(root);
    while (!call.empty()) {
      std::uint32_t v = call.back();
      if (next[v] < first[v + 1]) {
        std::uint32_t w = head[next[v]++];
        if (index[w] == kUnset) {
          index[w] = low[w] = counter++;
          next[w] = first[w];
          stack.push_back(w);
          call.push_back(w);
        } else if (comp[w] == kUnset) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      call.pop_back();
      if (!call.empty()) low[call.back()] = std::min(low[call.back()], low[v]);
      if (low[v] == index[v]) {
        std::uint32_t w;
        do {
          w = stack.back();
          stack.pop_back();
          comp[w] = comps;
        } while (w != v);
        ++comps;
      }
    }
  }
  return comp;
}

std::vector<std::uint8_t> snappable_edges(const RoadEdges& g, const std::vector<std::uint32_t>& comp,
                                          std::uint32_t* largest) {
  std::vector<std::uint32_t> size;
  for (std::uint32_t c : comp) {
    if (c >= size.size()) size.resize(c + 1, 0);
    ++size[c];
  }
  std::uint32_t big = size.empty() ? 0 : *std::max_element(size.begin(), size.end());
  std::uint32_t threshold = std::min(big, kMinSnapComponent);
  std::vector<std::uint8_t> snap(g.edges.size(), 0);
  for (std::size_t i = 0; i < g.edges.size(); ++i) {
    const RoadEdge& e = g.edges[i];
    snap[i] = (e.flags & (kForward | kBackward)) && !(e.flags & kFerry) && comp[e.a] == comp[e.b] &&
              size[comp[e.a]] >= threshold && threshold > 0;
  }
  if (largest) *largest = big;
  return snap;
}

std::vector<InputArc> input_arcs(std::span<const RoadEdge> edges, std::span<const RoutingArc> arcs, Metric m) {
  std::vector<InputArc> out;
  out.reserve(arcs.size());
  for (const RoutingArc& a : arcs) {
    const RoadEdge& e = edges[a.code >> 1];
    out.push_back({a.tail, a.head, pack(m, e.time_ms, e.dist_dm), a.code});
  }
  return out;
}

}  // namespace detail
}  // namespace placedist::geo::roads
