#include "geo/roads/road_query.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "geo/roads/base_graph.hpp"
#include "geo/roads/ch_search.hpp"
#include "geo/roads/endpoint.hpp"
#include "geo/roads/label_search.hpp"
#include "geo/roads/network_data.hpp"
#include "geo/roads/snapper.hpp"
#include "geo/roads/sparse_labels.hpp"

namespace placedist::geo::roads {
namespace {

using detail::Endpoint;
using detail::Seed;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

LonLat to_lonlat(FixedPoint p) { return {p.lon / kFixedPerDegree, p.lat / kFixedPerDegree}; }

void append(std::vector<LonLat>& out, LonLat p) {
  if (out.empty() || !(out.back() == p)) out.push_back(p);
}

// Points of edge e's polyline between positions (segment index + t) lo < hi, in driving order.
void append_edge(const detail::NetworkData& d, std::uint32_t e, bool reversed, std::vector<LonLat>& out) {
  std::uint32_t p0 = d.first_point[e], p1 = d.first_point[e + 1];
  out.reserve(out.size() + (p1 - p0));
  if (!reversed)
    for (std::uint32_t p = p0; p < p1; ++p) append(out, to_lonlat(d.points[p]));
  else
    for (std::uint32_t p = p1; p-- > p0;) append(out, to_lonlat(d.points[p]));
}

// The piece of edge e from fraction `from` towards fraction `to` (by length), in that order.
void append_piece(const detail::NetworkData& d, std::uint32_t e, double from, double to, std::vector<LonLat>& out) {
  // A whole edge (most of a reach) needs no lengths along it.
  if ((from == 0 && to == 1) || (from == 1 && to == 0)) return append_edge(d, e, from == 1, out);
  std::uint32_t p0 = d.first_point[e], p1 = d.first_point[e + 1];
  std::vector<double> cum{0};
  for (std::uint32_t p = p0; p + 1 < p1; ++p)
    cum.push_back(cum.back() + haversine_metres(d.points[p], d.points[p + 1]));
  double total = cum.back();
  auto at = [&](double f) {
    double target = f * total;
    std::size_t i = 0;
    while (i + 2 < cum.size() && cum[i + 1] < target) ++i;
    double seg = cum[i + 1] - cum[i];
    double t = seg > 0 ? std::clamp((target - cum[i]) / seg, 0.0, 1.0) : 0.0;
    LonLat a = to_lonlat(d.points[p0 + i]), b = to_lonlat(d.points[p0 + i + 1]);
    return std::pair<std::size_t, LonLat>{i, {a.lon + t * (b.lon - a.lon), a.lat + t * (b.lat - a.lat)}};
  };
  auto [ia, pa] = at(from);
  auto [ib, pb] = at(to);
  append(out, pa);
  if (from <= to)
    for (std::size_t i = ia + 1; i <= ib; ++i) append(out, to_lonlat(d.points[p0 + i]));
  else
    for (std::size_t i = ia; i > ib; --i) append(out, to_lonlat(d.points[p0 + i]));
  append(out, pb);
}

}  // namespace

struct RoadQuery::Impl {
  const detail::NetworkData& d;
  QueryOptions options;
  detail::ChSearch search;  // one set of arrays for both metrics
  detail::ChSearch& ch(int metric) {
    search.use(d.ch[metric]);
    return search;
  }
  detail::LabelSearch labels;  // when the network has hub labels (paths still come from search)
  // The metric's hub labels when distances are to come from them, else null.
  const detail::HubLabels* labels_of(int metric) const {
    return options.hub_labels && !d.labels[metric].empty() ? &d.labels[metric] : nullptr;
  }
  Weight distance(int metric, std::span<const Seed> s, std::span<const Seed> t) {
    const detail::HubLabels* l = labels_of(metric);
    return l ? labels.distance(d.layout[metric], *l, s, t) : ch(metric).distance(s, t);
  }
  std::vector<Weight> many_to_many(int metric, const std::vector<std::vector<Seed>>& s,
                                   const std::vector<std::vector<Seed>>& t) {
    const detail::HubLabels* l = labels_of(metric);
    return l ? labels.many_to_many(d.layout[metric], *l, s, t) : ch(metric).many_to_many(s, t);
  }
  std::unique_ptr<detail::DijkstraSearch> dijkstra[2];
  // reach(): the best departure weight per directed edge it reaches, and those edges in the
  // order first reached; sparse, so a query object costs what its last reach touched.
  detail::SparseLabels<Weight> depart;
  std::vector<std::uint32_t> departing;
  Impl(const RoadNetwork& net, QueryOptions o) : d(net.query_data()), options(o), search(d.ch[0]) {}
};

RoadQuery::RoadQuery(std::shared_ptr<const RoadNetwork> network, QueryOptions options)
    : m_network(std::move(network)), m_impl(std::make_unique<Impl>(*m_network, options)) {}
RoadQuery::~RoadQuery() = default;
const QueryOptions& RoadQuery::options() const { return m_impl->options; }
RoadQuery::RoadQuery(RoadQuery&&) noexcept = default;

SnapResult RoadQuery::snap(LonLat where) const {
  SnapResult r;
  auto s = m_network->snapper().snap(where, m_impl->options.snap_radius_m);
  if (!s) {
    r.status = m_network->snapper().covers(where) ? RoadStatus::no_road_within_radius : RoadStatus::outside_network;
    r.snap_m = kNaN;
    return r;
  }
  r.status = RoadStatus::ok;
  r.point = s->point;
  r.snap_m = s->snap_m;
  r.edge = s->edge;
  return r;
}

namespace {

struct Ends {
  RoadResult result;
  std::optional<Endpoint> from, to;
};

}  // namespace

static std::optional<Endpoint> endpoint_of(const RoadNetwork& net, double radius, LonLat where, RoadStatus& status,
                                           double& snap_m) {
  auto s = net.snapper().snap(where, radius);
  if (!s) {
    status = net.snapper().covers(where) ? RoadStatus::no_road_within_radius : RoadStatus::outside_network;
    snap_m = kNaN;
    return std::nullopt;
  }
  snap_m = s->snap_m;
  return detail::make_endpoint(net.data(), *s);
}

static RoadResult blank(RoadStatus status, double from_snap, double to_snap) {
  return {status, kNaN, kNaN, kNaN, from_snap, to_snap};
}

template <class Distance>
static RoadResult route_with(const RoadNetwork& net, double radius, LonLat from, LonLat to, Distance&& distance) {
  RoadStatus sf = RoadStatus::ok, st = RoadStatus::ok;
  double snap_from = kNaN, snap_to = kNaN;
  auto a = endpoint_of(net, radius, from, sf, snap_from);
  auto b = endpoint_of(net, radius, to, st, snap_to);
  if (!a) return blank(sf, snap_from, snap_to);
  if (!b) return blank(st, snap_from, snap_to);
  Weight w[2];
  for (int m = 0; m < 2; ++m) {
    Metric metric = Metric(m);
    auto ss = detail::source_seeds(net.data(), *a, metric),
         ts = detail::target_seeds(net.data(), net.base(), *b, metric);
    w[m] = distance(m, ss, ts);
    if (auto direct = detail::direct_weight(*a, *b, metric)) w[m] = std::min(w[m], *direct);
  }
  if (w[0] >= kInfinity || w[1] >= kInfinity) return blank(RoadStatus::no_route, snap_from, snap_to);
  TimeDist fast = unpack(Metric::fastest, w[0]), shortest = unpack(Metric::shortest, w[1]);
  return {RoadStatus::ok, fast.time_ms / 1000.0, fast.dist_dm / 10.0, shortest.dist_dm / 10.0, snap_from, snap_to};
}

RoadResult RoadQuery::route(LonLat from, LonLat to) {
  return route_with(
      *m_network, m_impl->options.snap_radius_m, from, to,
      [&](int m, const std::vector<Seed>& s, const std::vector<Seed>& t) { return m_impl->distance(m, s, t); });
}

RoadResult RoadQuery::route_dijkstra(LonLat from, LonLat to) {
  for (int m = 0; m < 2; ++m)
    if (!m_impl->dijkstra[m])
      m_impl->dijkstra[m] = std::make_unique<detail::DijkstraSearch>(m_impl->d, m_network->base(), Metric(m));
  return route_with(*m_network, m_impl->options.snap_radius_m, from, to,
                    [&](int m, const std::vector<Seed>& s, const std::vector<Seed>& t) {
                      return m_impl->dijkstra[m]->distance(s, t);
                    });
}

void RoadQuery::matrix_into(std::span<const LonLat> from, std::span<const LonLat> to, const MatrixColumns& out) {
  const std::size_t cells = from.size() * to.size();
  if (out.status.size() != cells || out.fastest_seconds.size() != cells || out.fastest_metres.size() != cells ||
      out.shortest_metres.size() != cells || out.from_snap_m.size() != from.size() || out.to_snap_m.size() != to.size())
    throw std::invalid_argument("matrix_into: column sizes do not match the origins and destinations");
  const double radius = m_impl->options.snap_radius_m;
  struct End {
    std::optional<Endpoint> e;
    RoadStatus status = RoadStatus::ok;
  };
  auto ends = [&](std::span<const LonLat> pts, std::span<double> snap_m) {
    std::vector<End> v(pts.size());
    for (std::size_t i = 0; i < pts.size(); ++i)
      v[i].e = endpoint_of(*m_network, radius, pts[i], v[i].status, snap_m[i]);
    return v;
  };
  std::vector<End> a = ends(from, out.from_snap_m), b = ends(to, out.to_snap_m);
  std::vector<Weight> w[2];
  for (int m = 0; m < 2; ++m) {
    std::vector<std::vector<Seed>> ss(a.size()), ts(b.size());
    for (std::size_t i = 0; i < a.size(); ++i)
      if (a[i].e) ss[i] = detail::source_seeds(m_impl->d, *a[i].e, Metric(m));
    for (std::size_t j = 0; j < b.size(); ++j)
      if (b[j].e) ts[j] = detail::target_seeds(m_impl->d, m_network->base(), *b[j].e, Metric(m));
    w[m] = m_impl->many_to_many(m, ss, ts);
  }
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < b.size(); ++j) {
      const std::size_t c = i * b.size() + j;
      out.fastest_seconds[c] = out.fastest_metres[c] = out.shortest_metres[c] = kNaN;
      if (!a[i].e || !b[j].e) {
        out.status[c] = !a[i].e ? a[i].status : b[j].status;
        continue;
      }
      Weight best[2];
      const bool same_edge = a[i].e->snap.edge == b[j].e->snap.edge;  // else no route along one edge
      for (int m = 0; m < 2; ++m) {
        best[m] = w[m][c];
        if (!same_edge) continue;
        if (auto direct = detail::direct_weight(*a[i].e, *b[j].e, Metric(m))) best[m] = std::min(best[m], *direct);
      }
      if (best[0] >= kInfinity || best[1] >= kInfinity) {
        out.status[c] = RoadStatus::no_route;
        continue;
      }
      TimeDist fast = unpack(Metric::fastest, best[0]), sh = unpack(Metric::shortest, best[1]);
      out.status[c] = RoadStatus::ok;
      out.fastest_seconds[c] = fast.time_ms / 1000.0;
      out.fastest_metres[c] = fast.dist_dm / 10.0;
      out.shortest_metres[c] = sh.dist_dm / 10.0;
    }
}

std::vector<RoadResult> RoadQuery::matrix(std::span<const LonLat> from, std::span<const LonLat> to) {
  const std::size_t cells = from.size() * to.size();
  std::vector<RoadStatus> status(cells);
  std::vector<double> seconds(cells), metres(cells), shortest(cells), from_snap(from.size()), to_snap(to.size());
  matrix_into(from, to, {status, seconds, metres, shortest, from_snap, to_snap});
  std::vector<RoadResult> out(cells);
  for (std::size_t i = 0; i < from.size(); ++i)
    for (std::size_t j = 0; j < to.size(); ++j) {
      const std::size_t c = i * to.size() + j;
      out[c] = {status[c], seconds[c], metres[c], shortest[c], from_snap[i], to_snap[j]};
    }
  return out;
}

RouteGeometry RoadQuery::route_geometry(LonLat from, LonLat to, Metric metric) {
  RouteGeometry g;
  const detail::NetworkData& d = m_impl->d;
  RoadStatus sf = RoadStatus::ok, st = RoadStatus::ok;
  double snap_from, snap_to;
  auto a = endpoint_of(*m_network, m_impl->options.snap_radius_m, from, sf, snap_from);
  auto b = endpoint_of(*m_network, m_impl->options.snap_radius_m, to, st, snap_to);
  if (!a) return g.status = sf, g;
  if (!b) return g.status = st, g;
  auto ss = detail::source_seeds(d, *a, metric), ts = detail::target_seeds(d, m_network->base(), *b, metric);
  Weight w = m_impl->ch(int(metric)).distance(ss, ts);
  auto direct = detail::direct_weight(*a, *b, metric);
  if (direct && *direct <= w) {
    w = *direct;
    append_piece(d, a->snap.edge, a->snap.fraction, b->snap.fraction, g.points);
  } else if (w < kInfinity) {
    std::vector<std::uint32_t> path = m_impl->search.path();
    // Which seed node the route left the first edge by, and entered the last edge from.
    std::uint32_t start, end;
    if (!path.empty()) {
      const RoadEdge& f = d.edges[path.front() >> 1];
      start = (path.front() & 1) ? f.b : f.a;
      const RoadEdge& l = d.edges[path.back() >> 1];
      end = (path.back() & 1) ? l.a : l.b;
    } else {
      Weight best = kInfinity;
      start = end = 0;
      for (const Seed& s : ss)
        for (const Seed& t : ts)
          if (s.node == t.node && s.weight + t.weight < best)
            best = s.weight + t.weight, start = end = d.junction_of(s.node);
    }
    append_piece(d, a->snap.edge, a->snap.fraction, start == a->edge.b && (a->edge.flags & kForward) ? 1.0 : 0.0,
                 g.points);
    for (std::uint32_t code : path) append_edge(d, code >> 1, code & 1, g.points);
    append_piece(d, b->snap.edge, end == b->edge.a && (b->edge.flags & kForward) ? 0.0 : 1.0, b->snap.fraction,
                 g.points);
  } else {
    g.status = RoadStatus::no_route;
    return g;
  }
  TimeDist td = unpack(metric, w);
  g.status = RoadStatus::ok;
  g.seconds = td.time_ms / 1000.0;
  g.metres = td.dist_dm / 10.0;
  return g;
}

Reach RoadQuery::reach(LonLat from, double limit_m) { return reach(std::span<const LonLat>(&from, 1), limit_m); }

Reach RoadQuery::reach(std::span<const LonLat> from, double limit_m) {
  Reach r;
  r.status = RoadStatus::outside_network;
  const detail::NetworkData& d = m_impl->d;
  std::vector<Endpoint> ends;
  std::vector<detail::Seed> seeds;
  double nearest = kNaN;
  for (LonLat p : from) {
    RoadStatus sf = RoadStatus::ok;
    double snap_m = kNaN;
    auto a = endpoint_of(*m_network, m_impl->options.snap_radius_m, p, sf, snap_m);
    if (!a) {
      if (ends.empty() && sf == RoadStatus::no_road_within_radius) r.status = sf;  // the nearer miss
      continue;
    }
    if (!(snap_m >= nearest)) nearest = snap_m;
    auto s = detail::source_seeds(d, *a, Metric::shortest);
    seeds.insert(seeds.end(), s.begin(), s.end());
    ends.push_back(std::move(*a));
  }
  r.from_snap_m = nearest;
  if (ends.empty()) return r;
  if (!m_impl->dijkstra[1])
    m_impl->dijkstra[1] = std::make_unique<detail::DijkstraSearch>(d, m_network->base(), Metric::shortest);
  auto& dij = *m_impl->dijkstra[1];
  const double limit_dm = std::max(0.0, limit_m * 10);
  dij.one_to_all(seeds, pack(Metric::shortest, 0, static_cast<std::uint64_t>(limit_dm) + 1));
  // Each snapped edge itself, both ways from the point where drivable.
  for (const Endpoint& a : ends) {
    const RoadEdge& se = a.edge;
    if (se.dist_dm > 0) {
      double f = a.snap.fraction, span = limit_dm / se.dist_dm;
      if (se.flags & kForward)
        r.pieces.emplace_back(), append_piece(d, a.snap.edge, f, std::min(1.0, f + span), r.pieces.back());
      if (se.flags & kBackward)
        r.pieces.emplace_back(), append_piece(d, a.snap.edge, f, std::max(0.0, f - span), r.pieces.back());
    }
  }
  // Each directed edge is driven from the best routing node that may take it.
  const auto& base = m_network->base();
  detail::SparseLabels<Weight>& depart = m_impl->depart;
  std::vector<std::uint32_t>& departing = m_impl->departing;
  depart.clear();
  departing.clear();
  for (std::uint32_t u : dij.touched()) {
    Weight w = dij.weight(u);
    if (u >= d.routing_node_count() || w >= kInfinity) continue;
    for (std::uint32_t i = base.first_out[u]; i < base.first_out[u + 1]; ++i) {
      bool inserted;
      Weight& best = depart.get(base.arcs[i].code, kInfinity, inserted);
      if (inserted) departing.push_back(base.arcs[i].code);
      best = std::min(best, w);
    }
  }
  auto departure = [&](std::uint32_t code) {
    const Weight* w = depart.find(code);
    return w ? *w : kInfinity;
  };
  r.pieces.reserve(r.pieces.size() + departing.size());
  for (std::uint32_t code : departing) {
    const RoadEdge& edge = d.edges[code >> 1];
    double used = static_cast<double>(unpack(Metric::shortest, departure(code)).dist_dm);
    if (used > limit_dm) continue;
    double f = edge.dist_dm > 0 ? std::min(1.0, (limit_dm - used) / edge.dist_dm) : 1.0;
    bool forward = (code & 1) == 0;
    // An edge reached whole from its first end need not be drawn again from the other.
    if (!forward && departure(code - 1) < kInfinity &&
        unpack(Metric::shortest, departure(code - 1)).dist_dm + edge.dist_dm <= limit_dm)
      continue;
    r.pieces.emplace_back();
    append_piece(d, code >> 1, forward ? 0.0 : 1.0, forward ? f : 1.0 - f, r.pieces.back());
  }
  r.status = RoadStatus::ok;
  return r;
}

}  // namespace placedist::geo::roads
