// Snapping alone, per point: the grid snapper (geo/roads/snapper) side by side with the Boost
// R-tree snapper it replaced (kept here only, as the baseline: main 2ba2b7b's code), on the same
// points; each answer is checked equal before timing. Per extract: points near roads (within
// about 300 m of a junction, as roads_bench's queries) and points anywhere over and around the
// network's box (many with no road within the radius), and those of them with no road within the
// radius ("far": what the grid's coarse level of empty rings is for). Also the index's heap bytes per segment and
// a sweep of grid cell sizes. Extracts: rutland, bucks, and PLACEDIST_ROADS_FILE (any network
// file, e.g. the SYNTHETIC GB proxy) as "file".
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cstdio>
#include <map>
#include <random>

#include "geo/data_dir.hpp"
#include "geo/local_plane.hpp"
#include "geo/roads/edge_layer.hpp"
#include "geo/roads/osm_reader.hpp"
#include "geo/roads/road_network.hpp"
#include "geo/roads/segment_grid.hpp"
#include "geo/roads/snapper.hpp"

using namespace placedist::geo;
using namespace placedist::geo::roads;

namespace {

namespace bgi = boost::geometry::index;

// main 2ba2b7b's snapper, unchanged but for its name: a packed Boost R-tree (rstar<16>) of segment
// boxes in degrees, a 150 m box query first, then the whole radius.
class RtreeSnapper {
 public:
  explicit RtreeSnapper(const detail::NetworkData& d) : m_d(d) {
    std::vector<Value> values;
    for (std::uint32_t e = 0; e < d.edges.size(); ++e) {
      if (!d.snappable[e]) continue;
      for (std::uint32_t p = d.first_point[e]; p + 1 < d.first_point[e + 1]; ++p) {
        FixedPoint a = d.points[p], b = d.points[p + 1];
        Box box(Point(to_deg(std::min(a.lon, b.lon)), to_deg(std::min(a.lat, b.lat))),
                Point(to_deg(std::max(a.lon, b.lon)), to_deg(std::max(a.lat, b.lat))));
        values.push_back({box, std::uint64_t{e} << 32 | (p - d.first_point[e])});
      }
    }
    m_tree = Tree(values.begin(), values.end());
  }
  std::optional<detail::Snap> snap(LonLat where, double radius_m) const {
    if (!std::isfinite(where.lon) || !std::isfinite(where.lat) || std::abs(where.lat) > 89 || !(radius_m >= 0))
      return std::nullopt;
    const detail::NetworkData& d = m_d;
    const LocalPlane plane(where);
    const double kx = plane.metres_per_degree_lon(), ky = plane.metres_per_degree_lat();
    std::optional<detail::Snap> best;
    double best_d2 = 0;
    auto consider = [&](const Value& v) {
      std::uint32_t e = static_cast<std::uint32_t>(v.second >> 32), s = static_cast<std::uint32_t>(v.second);
      FixedPoint a = d.points[d.first_point[e] + s], b = d.points[d.first_point[e] + s + 1];
      double ax = (to_deg(a.lon) - where.lon) * kx, ay = (to_deg(a.lat) - where.lat) * ky;
      double bx = (to_deg(b.lon) - where.lon) * kx, by = (to_deg(b.lat) - where.lat) * ky;
      double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
      double t = len2 > 0 ? std::clamp(-(ax * dx + ay * dy) / len2, 0.0, 1.0) : 0.0;
      double px = ax + t * dx, py = ay + t * dy, d2 = px * px + py * py;
      if (best) {
        std::uint64_t key = std::uint64_t{e} << 32 | s, best_key = std::uint64_t{best->edge} << 32 | best->segment;
        if (d2 > best_d2 || (d2 == best_d2 && key >= best_key)) return;
      }
      best_d2 = d2;
      detail::Snap snap;
      snap.edge = e;
      snap.segment = s;
      snap.segment_t = t;
      snap.point = {where.lon + px / kx, where.lat + py / ky};
      best = snap;
    };
    for (double r : {std::min(radius_m, 150.0), radius_m}) {
      double rx = r / kx * 1.001 + 1e-7, ry = r / ky * 1.001 + 1e-7;
      Box box(Point(where.lon - rx, where.lat - ry), Point(where.lon + rx, where.lat + ry));
      best.reset();
      for (auto it = m_tree.qbegin(bgi::intersects(box)); it != m_tree.qend(); ++it) consider(*it);
      if (best && best_d2 <= r * r) break;
      if (r == radius_m) break;
    }
    if (!best || best_d2 > radius_m * radius_m) return std::nullopt;
    best->snap_m = std::sqrt(best_d2);
    best->fraction = detail::edge_fraction(d, best->edge, best->segment, best->segment_t);
    return best;
  }

 private:
  using Point = boost::geometry::model::point<double, 2, boost::geometry::cs::cartesian>;
  using Box = boost::geometry::model::box<Point>;
  using Value = std::pair<Box, std::uint64_t>;
  using Tree = boost::geometry::index::rtree<Value, boost::geometry::index::rstar<16>>;
  static double to_deg(std::int32_t v) { return v / kFixedPerDegree; }
  const detail::NetworkData& m_d;
  Tree m_tree;
};

std::size_t heap_in_use() { return mallinfo2().uordblks; }

struct Extract {
  std::shared_ptr<const RoadNetwork> net;
  std::unique_ptr<RtreeSnapper> rtree;
  std::size_t segments = 0, rtree_bytes = 0;
  std::map<std::string, std::vector<LonLat>> points;  // "near", "area", "far"
};

std::shared_ptr<const RoadNetwork> load(const std::string& name) {
  if (name == "file") return RoadNetwork::load(std::getenv("PLACEDIST_ROADS_FILE"));
  RoadEdges edges;
  if (name == "bucks") {
    read_edge_layer(data_file("roads/bucks/osm2016_graphhopper_car/bucks_osm2016_car_edges.csv"), {}, edges);
  } else {
    OsmRoadReader r;
    r.add_file(data_file("roads/uk/rutland-2018-02-27.osm.pbf"));
    edges = r.finish();
  }
  return RoadNetwork::from_edges(edges);
}

Extract& extract(const std::string& name) {
  static std::map<std::string, Extract> cache;
  auto it = cache.find(name);
  if (it != cache.end()) return it->second;
  Extract x;
  x.net = load(name);
  const auto& d = x.net->data();
  for (std::uint32_t e = 0; e < d.edges.size(); ++e)
    if (d.snappable[e]) x.segments += d.first_point[e + 1] - d.first_point[e] - 1;
  std::size_t before = heap_in_use();
  x.rtree = std::make_unique<RtreeSnapper>(d);
  x.rtree_bytes = heap_in_use() - before;
  std::mt19937 rng(20);
  std::uniform_int_distribution<std::size_t> pick(0, d.nodes.size() - 1);
  std::uniform_real_distribution<double> jitter(-0.003, 0.003);
  std::int32_t lon0 = INT32_MAX, lon1 = INT32_MIN, lat0 = INT32_MAX, lat1 = INT32_MIN;
  for (FixedPoint p : d.nodes)
    lon0 = std::min(lon0, p.lon), lon1 = std::max(lon1, p.lon), lat0 = std::min(lat0, p.lat),
    lat1 = std::max(lat1, p.lat);
  std::uniform_real_distribution<double> lon(lon0 / 1e7 - 0.05, lon1 / 1e7 + 0.05),
      lat(lat0 / 1e7 - 0.05, lat1 / 1e7 + 0.05);
  for (int i = 0; i < 20000; ++i) {
    FixedPoint p = d.nodes[pick(rng)];
    x.points["near"].push_back({p.lon / 1e7 + jitter(rng), p.lat / 1e7 + jitter(rng) * 0.6});
    x.points["area"].push_back({lon(rng), lat(rng)});
  }
  // "far": the area points with no road within the radius (sea, empty land, outside the network).
  for (LonLat w : x.points["area"])
    if (!x.rtree->snap(w, 1000)) x.points["far"].push_back(w);
  // Same answers before any timing.
  for (const auto& [kind, pts] : x.points)
    for (LonLat w : pts) {
      auto a = x.net->snapper().snap(w, 1000), b = x.rtree->snap(w, 1000);
      bool same = a.has_value() == b.has_value() &&
                  (!a || (a->edge == b->edge && a->segment == b->segment && a->segment_t == b->segment_t &&
                          a->snap_m == b->snap_m && a->fraction == b->fraction && a->point.lon == b->point.lon &&
                          a->point.lat == b->point.lat));
      if (!same) {
        std::fprintf(stderr, "snap_bench: grid and R-tree differ on %s %s\n", name.c_str(), kind.c_str());
        std::abort();
      }
    }
  return cache.emplace(name, std::move(x)).first->second;
}

template <typename Snap>
void run(benchmark::State& state, const Extract& x, const std::vector<LonLat>& pts, Snap&& snap) {
  std::size_t i = 0, hits = 0;
  for (auto _ : state) {
    auto s = snap(pts[i]);
    hits += s.has_value();
    benchmark::DoNotOptimize(s);
    if (++i == pts.size()) i = 0;
  }
  state.counters["snapped_pct"] = 100.0 * hits / state.iterations();
  state.counters["segments"] = static_cast<double>(x.segments);
}

void BM_grid(benchmark::State& state, std::string name, std::string kind) {
  Extract& x = extract(name);
  const auto& snapper = x.net->snapper();
  run(state, x, x.points[kind], [&](LonLat w) { return snapper.snap(w, 1000); });
  state.counters["index_B_per_seg"] = static_cast<double>(snapper.memory_bytes()) / x.segments;
}

void BM_rtree(benchmark::State& state, std::string name, std::string kind) {
  Extract& x = extract(name);
  run(state, x, x.points[kind], [&](LonLat w) { return x.rtree->snap(w, 1000); });
  state.counters["index_B_per_seg"] = static_cast<double>(x.rtree_bytes) / x.segments;
}

// The grid alone at a given cell size (the snapper picks one from the density).
void BM_grid_cell(benchmark::State& state, std::string name, double cell_m) {
  Extract& x = extract(name);
  detail::SegmentGrid grid(x.net->data(), cell_m);
  const auto& pts = x.points["near"];
  run(state, x, pts, [&](LonLat w) {
    const LocalPlane plane(w);
    return grid.nearest(w, plane.metres_per_degree_lon(), plane.metres_per_degree_lat(), 1000);
  });
  state.counters["cell_m"] = grid.cell_metres();
  state.counters["entries_per_seg"] = static_cast<double>(grid.entry_count()) / x.segments;
  state.counters["index_B_per_seg"] = static_cast<double>(grid.memory_bytes()) / x.segments;
}

int register_all() {
  std::vector<std::string> names{"rutland", "bucks"};
  if (std::getenv("PLACEDIST_ROADS_FILE")) names.push_back("file");
  for (const auto& n : names)
    for (const char* kind : {"near", "area", "far"}) {
      benchmark::RegisterBenchmark(("snap_rtree/" + n + "/" + kind).c_str(), BM_rtree, n, kind);
      benchmark::RegisterBenchmark(("snap_grid/" + n + "/" + kind).c_str(), BM_grid, n, kind);
    }
  for (const auto& n : names)
    for (double cell : {0.0, 50.0, 100.0, 200.0, 400.0})
      benchmark::RegisterBenchmark(("snap_grid_cell/" + n + "/" + std::to_string(int(cell))).c_str(), BM_grid_cell, n,
                                   cell);
  return 0;
}
const int registered = register_all();

}  // namespace

BENCHMARK_MAIN();
