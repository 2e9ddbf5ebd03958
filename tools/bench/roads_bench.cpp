// Road routing benchmarks: per extract, build time, one-to-one query latency (median, p99) by
// hub labels, by contraction hierarchy and by plain Dijkstra, and 100 x 100 matrices (by labels
// and by the hierarchy); plus a SYNTHETIC grid of 2 million junctions for scaling. Fixed seeds. Run:
// build/tools/bench/roads_bench (PLACEDIST_BENCHMARKS=ON); PLACEDIST_SYNTHETIC_SIDE overrides the grid side (default
// 1415).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <random>

#include "geo/data_dir.hpp"
#include "geo/roads/ch_search.hpp"
#include "geo/roads/edge_layer.hpp"
#include "geo/roads/label_search.hpp"
#include "geo/roads/network_data.hpp"
#include "geo/roads/osm_reader.hpp"
#include "geo/roads/road_query.hpp"
#include "tools/bench/synthetic_roads.hpp"

using namespace placedist::geo;

namespace placedist::geo::roads {
namespace {

struct Built {
  std::shared_ptr<const RoadNetwork> net;
  BuildReport report;
  double read_s = 0;
};

RoadEdges read_extract(const std::string& name) {
  if (name == "bucks") {
    RoadEdges e;
    read_edge_layer(data_file("roads/bucks/osm2016_graphhopper_car/bucks_osm2016_car_edges.csv"), {}, e);
    return e;
  }
  if (name.rfind("synthetic", 0) == 0) {
    const char* side = std::getenv("PLACEDIST_SYNTHETIC_SIDE");
    return bench::synthetic_grid(side ? std::stoul(side) : 1415);
  }
  static const std::map<std::string, std::string> files{
      {"rutland", "roads/uk/rutland-2018-02-27.osm.pbf"},
      {"oxford", "roads/bucks/osm_small_extracts/oxford_centre_2015-02-25.osm.pbf"},
      {"andorra", "roads/test_extracts/andorra.osm.pbf"},
      {"liechtenstein", "roads/test_extracts/liechtenstein-2013-08-03.osm.pbf"},
      {"monaco", "roads/test_extracts/monaco.osm.pbf"}};
  OsmRoadReader r;
  r.add_file(data_file(files.at(name)));
  return r.finish();
}

Built& network(const std::string& name) {
  static std::map<std::string, Built> cache;
  auto it = cache.find(name);
  if (it != cache.end()) return it->second;
  Built b;
  auto t0 = std::chrono::steady_clock::now();
  RoadEdges edges = read_extract(name);
  b.read_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  b.net = RoadNetwork::from_edges(edges, &b.report);
  return cache[name] = b;
}

std::vector<LonLat> points(const RoadNetwork& net, std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  const auto& nodes = net.data().nodes;
  std::uniform_int_distribution<std::size_t> pick(0, nodes.size() - 1);
  std::vector<LonLat> out;
  while (out.size() < n) {
    FixedPoint p = nodes[pick(rng)];
    out.push_back({p.lon / kFixedPerDegree, p.lat / kFixedPerDegree});
  }
  return out;
}

double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

void report_percentiles(benchmark::State& state, std::vector<double>& us) {
  std::sort(us.begin(), us.end());
  if (us.empty()) return;
  state.counters["p50_us"] = us[us.size() / 2];
  state.counters["p99_us"] = us[us.size() * 99 / 100];
}

void BM_Build(benchmark::State& state, std::string name) {
  for (auto _ : state) {
    Built& b = network(name);
    state.counters["nodes"] = b.report.nodes;
    state.counters["edges"] = b.report.edges;
    state.counters["read_s"] = b.read_s;
    state.counters["contract_fastest_s"] = b.report.contract_seconds[0];
    state.counters["contract_shortest_s"] = b.report.contract_seconds[1];
    state.counters["shortcuts_fastest"] = static_cast<double>(b.report.shortcuts[0]);
    state.counters["labels_fastest_s"] = b.report.label_seconds[0];
    state.counters["labels_shortest_s"] = b.report.label_seconds[1];
    state.counters["labels_MiB"] = b.report.label_bytes / 1048576.0;
    // Average hubs a label (forward and backward alike), per metric; 0 without labels.
    const auto& d = b.net->data();
    for (int m = 0; m < 2; ++m) {
      const double nodes = d.routing_node_count(),
                   hubs = double(d.labels[m].fwd.hub.size() + d.labels[m].bwd.hub.size());
      state.counters[m == 0 ? "hubs_per_label_fastest" : "hubs_per_label_shortest"] = nodes ? hubs / (2 * nodes) : 0;
    }
    state.counters["file_MiB"] = b.report.file_bytes / 1048576.0;
    state.counters["peak_rss_MiB_so_far"] = peak_rss_mib();
  }
}

// One-to-one route(): snapping both ends plus both metrics' queries (by hub labels where the
// network has them, else or with hub_labels false by the hierarchy).
void BM_Route(benchmark::State& state, std::string name, bool hub_labels) {
  Built& b = network(name);
  RoadQuery q(b.net, {.hub_labels = hub_labels});
  auto pts = points(*b.net, 2000, 11);
  std::vector<double> us;
  std::size_t i = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    RoadResult r = q.route(pts[i % pts.size()], pts[(i + 1) % pts.size()]);
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    benchmark::DoNotOptimize(r);
    i += 2;
  }
  report_percentiles(state, us);
}

// One query alone, node to node, on the same random pairs whichever way it is answered: by the
// hierarchy, by hub labels, or by plain Dijkstra.
enum class By { hierarchy, labels, dijkstra };
void BM_OneToOne(benchmark::State& state, std::string name, By by, Metric metric) {
  Built& b = network(name);
  const auto& d = b.net->data();
  const detail::HubLabels& l = d.labels[int(metric)];
  if (by == By::labels && l.empty()) return state.SkipWithError("no hub labels (network above the size limit)");
  detail::ChSearch ch(d.ch[int(metric)]);
  detail::DijkstraSearch dj(d, b.net->base(), metric);
  detail::LabelSearch labels;
  std::mt19937 rng(5);
  std::uniform_int_distribution<std::uint32_t> pick(0, b.net->node_count() - 1);
  std::vector<double> us;
  std::uint64_t settled = 0;
  for (auto _ : state) {
    detail::Seed s{pick(rng), 0}, t{pick(rng), 0};
    auto t0 = std::chrono::steady_clock::now();
    Weight w = by == By::dijkstra ? dj.distance({&s, 1}, {&t, 1})
               : by == By::labels ? labels.distance(d.layout[int(metric)], l, {&s, 1}, {&t, 1})
                                  : ch.distance({&s, 1}, {&t, 1});
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    settled += by == By::dijkstra ? dj.settled() : ch.settled();
    benchmark::DoNotOptimize(w);
  }
  report_percentiles(state, us);
  if (by != By::labels)
    state.counters["settled"] = benchmark::Counter(static_cast<double>(settled), benchmark::Counter::kAvgIterations);
}

// The same 16 pairs over and over (caches warm): against ch_one_to_one_fastest, how much of a
// query's time is memory (cold nodes) rather than work.
void BM_Warm(benchmark::State& state, std::string name) {
  Built& b = network(name);
  const auto& d = b.net->data();
  detail::ChSearch ch(d.ch[0]);
  std::mt19937 rng(5);
  std::uniform_int_distribution<std::uint32_t> pick(0, b.net->node_count() - 1);
  std::vector<std::pair<detail::Seed, detail::Seed>> pairs;
  for (int i = 0; i < 16; ++i) pairs.push_back({{pick(rng), 0}, {pick(rng), 0}});
  std::size_t i = 0;
  for (auto _ : state) {
    auto& p = pairs[i++ % pairs.size()];
    benchmark::DoNotOptimize(ch.distance({&p.first, 1}, {&p.second, 1}));
  }
}

void BM_Snap(benchmark::State& state, std::string name) {
  Built& b = network(name);
  RoadQuery q(b.net);
  auto pts = points(*b.net, 2000, 11);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(q.snap(pts[i++ % pts.size()]));
}

void BM_Matrix100(benchmark::State& state, std::string name, bool hub_labels) {
  Built& b = network(name);
  RoadQuery q(b.net, {.hub_labels = hub_labels});
  auto from = points(*b.net, 100, 21), to = points(*b.net, 100, 22);
  for (auto _ : state) benchmark::DoNotOptimize(q.matrix(from, to));
}

void register_all() {
  for (std::string name : {"rutland", "bucks", "oxford", "andorra", "liechtenstein", "monaco", "synthetic_2M"}) {
    benchmark::RegisterBenchmark(("build/" + name).c_str(), BM_Build, name)
        ->Iterations(1)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("route/" + name).c_str(), BM_Route, name, true)
        ->Iterations(20000)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("route_ch/" + name).c_str(), BM_Route, name, false)
        ->Iterations(20000)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("labels_one_to_one_fastest/" + name).c_str(), BM_OneToOne, name, By::labels,
                                 Metric::fastest)
        ->Iterations(20000)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("labels_one_to_one_shortest/" + name).c_str(), BM_OneToOne, name, By::labels,
                                 Metric::shortest)
        ->Iterations(20000)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("ch_one_to_one_fastest/" + name).c_str(), BM_OneToOne, name, By::hierarchy,
                                 Metric::fastest)
        ->Iterations(20000)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("ch_one_to_one_shortest/" + name).c_str(), BM_OneToOne, name, By::hierarchy,
                                 Metric::shortest)
        ->Iterations(20000)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("dijkstra_one_to_one_fastest/" + name).c_str(), BM_OneToOne, name, By::dijkstra,
                                 Metric::fastest)
        ->Iterations(name.rfind("synthetic", 0) == 0 ? 20 : 300)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("ch_warm16_fastest/" + name).c_str(), BM_Warm, name)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("snap/" + name).c_str(), BM_Snap, name)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("matrix_100x100/" + name).c_str(), BM_Matrix100, name, true)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("matrix_100x100_ch/" + name).c_str(), BM_Matrix100, name, false)
        ->Unit(benchmark::kMillisecond);
  }
}

}  // namespace
}  // namespace placedist::geo::roads

int main(int argc, char** argv) {
  placedist::geo::roads::register_all();
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
}
