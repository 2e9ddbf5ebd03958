// Queries on a national-scale network file (issue 16), e.g. the SYNTHETIC proxy from
// gb_proxy_network built by `placedist roads build`: load time, one-to-one latency by contraction
// hierarchy (median, p99) per metric with and without its core table, route() with snapping, a
// 100 x 100 matrix (and the hierarchy's many-to-many alone, with nodes settled per search), and one-to-all
// Dijkstra checks against the hierarchy at 100 targets each (it aborts on any difference).
// Run: PLACEDIST_ROADS_FILE=proxy.roads build/tools/bench/roads_scale_bench
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "geo/roads/base_graph.hpp"
#include "geo/roads/ch_search.hpp"
#include "geo/roads/network_data.hpp"
#include "geo/roads/road_query.hpp"

using namespace placedist::geo;

namespace placedist::geo::roads {
namespace {

double g_load_s = 0, g_core_tables_s = 0;

std::shared_ptr<const RoadNetwork> network() {
  static std::shared_ptr<const RoadNetwork> net = [] {
    const char* path = std::getenv("PLACEDIST_ROADS_FILE");
    if (!path) {
      std::fprintf(stderr, "set PLACEDIST_ROADS_FILE to a network file\n");
      std::exit(2);
    }
    auto t0 = std::chrono::steady_clock::now();
    auto n = RoadNetwork::load(path);
    auto t1 = std::chrono::steady_clock::now();
    n->query_data();  // the core tables, as a first query makes them
    g_load_s = std::chrono::duration<double>(t1 - t0).count();
    g_core_tables_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    return n;
  }();
  return net;
}

// Random junctions of the largest component (so that pairs are routable).
std::vector<std::uint32_t> nodes(const RoadNetwork& net, std::size_t n, std::uint32_t seed) {
  const auto& d = net.data();
  std::vector<std::uint32_t> size;
  for (std::uint32_t c : d.component) {
    if (c >= size.size()) size.resize(c + 1, 0);
    ++size[c];
  }
  std::uint32_t big = static_cast<std::uint32_t>(std::max_element(size.begin(), size.end()) - size.begin());
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::uint32_t> pick(0, net.node_count() - 1);
  std::vector<std::uint32_t> out;
  while (out.size() < n) {
    std::uint32_t v = pick(rng);
    if (d.component[v] == big) out.push_back(v);
  }
  return out;
}

std::vector<LonLat> points(const RoadNetwork& net, std::size_t n, std::uint32_t seed) {
  std::vector<LonLat> out;
  for (std::uint32_t v : nodes(net, n, seed)) {
    FixedPoint p = net.data().nodes[v];
    out.push_back({p.lon / kFixedPerDegree, p.lat / kFixedPerDegree});
  }
  return out;
}

double rss_mib(bool peak) {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  if (peak) return u.ru_maxrss / 1024.0;
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return resident * 4096.0 / 1048576.0;
}

void report_percentiles(benchmark::State& state, std::vector<double>& us) {
  std::sort(us.begin(), us.end());
  if (us.empty()) return;
  state.counters["p50_us"] = us[us.size() / 2];
  state.counters["p99_us"] = us[us.size() * 99 / 100];
}

void BM_Load(benchmark::State& state) {
  for (auto _ : state) {
    auto net = network();
    state.counters["load_s"] = g_load_s;
    state.counters["core_tables_s"] = g_core_tables_s;
    state.counters["nodes"] = net->node_count();
    state.counters["edges"] = net->edge_count();
    state.counters["rss_MiB"] = rss_mib(false);
    state.counters["file_MiB"] = std::filesystem::file_size(std::getenv("PLACEDIST_ROADS_FILE")) / 1048576.0;
  }
}

// The hierarchy as a loaded network holds it (with its core table), or without the table.
ChView hierarchy(const RoadNetwork& net, Metric metric, bool core) {
  ChView v = net.query_data().ch[int(metric)];
  if (!core) v.core = nullptr;
  return v;
}

// One-to-one on random junction pairs; each answer is checked against the other way (with or
// without the core table) after the timed loop, on the same pairs: `differ` counts the pairs they
// disagree on.
void BM_OneToOne(benchmark::State& state, Metric metric, bool core) {
  auto net = network();
  detail::ChSearch ch(hierarchy(*net, metric, core));
  auto from = nodes(*net, 5000, 5), to = nodes(*net, 5000, 6);
  std::vector<double> us;
  std::vector<Weight> answers;
  std::uint64_t settled = 0;
  std::size_t i = 0;
  for (auto _ : state) {
    detail::Seed s{from[i % from.size()], 0}, t{to[i % to.size()], 0};
    auto t0 = std::chrono::steady_clock::now();
    Weight w = ch.distance({&s, 1}, {&t, 1});
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    settled += ch.settled();
    answers.push_back(w);
    ++i;
  }
  report_percentiles(state, us);
  state.counters["settled"] = benchmark::Counter(static_cast<double>(settled), benchmark::Counter::kAvgIterations);
  detail::ChSearch other(hierarchy(*net, metric, !core));
  std::size_t differ = 0;
  for (std::size_t k = 0; k < answers.size(); ++k) {
    detail::Seed s{from[k % from.size()], 0}, t{to[k % to.size()], 0};
    differ += other.distance({&s, 1}, {&t, 1}) != answers[k];
  }
  state.counters["differ"] = static_cast<double>(differ);
}

void BM_Route(benchmark::State& state) {
  auto net = network();
  RoadQuery q(net);
  auto pts = points(*net, 4000, 11);
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

void BM_Matrix100(benchmark::State& state) {
  auto net = network();
  RoadQuery q(net);
  auto from = points(*net, 100, 21), to = points(*net, 100, 22);
  std::vector<double> ms;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(q.matrix(from, to));
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  state.counters["p50_ms"] = ms[ms.size() / 2];
  state.counters["p99_ms"] = ms[ms.size() * 99 / 100];
}

// The hierarchy's many-to-many alone (100 x 100 junctions, one metric, no snapping): CPU per
// matrix and nodes settled per search (200 searches a matrix).
void BM_ManyToMany(benchmark::State& state, Metric metric, bool core) {
  auto net = network();
  detail::ChSearch ch(hierarchy(*net, metric, core));
  std::vector<std::vector<detail::Seed>> from, to;
  for (std::uint32_t v : nodes(*net, 100, 41)) from.push_back({{v, 0}});
  for (std::uint32_t v : nodes(*net, 100, 42)) to.push_back({{v, 0}});
  std::uint64_t settled = 0;
  std::vector<Weight> m;
  for (auto _ : state) {
    m = ch.many_to_many(from, to);
    settled += ch.settled();
  }
  state.counters["settled_per_search"] =
      benchmark::Counter(static_cast<double>(settled) / 200, benchmark::Counter::kAvgIterations);
  // Checked against the other way (with or without the core table): cells that differ.
  std::vector<Weight> other = detail::ChSearch(hierarchy(*net, metric, !core)).many_to_many(from, to);
  std::size_t differ = 0;
  for (std::size_t i = 0; i < m.size(); ++i) differ += m[i] != other[i];
  state.counters["differ"] = static_cast<double>(differ);
}

// One-to-all Dijkstra on the uncontracted graph from a few sources; at 100 targets each the
// hierarchy must give the same weight (an exact total order: same time and distance).
void BM_DijkstraCheck(benchmark::State& state, Metric metric) {
  auto net = network();
  const auto& d = net->query_data();
  detail::DijkstraSearch dij(d, net->base(), metric);
  detail::ChSearch ch(d.ch[int(metric)]);
  auto sources = nodes(*net, 5, 31 + int(metric));
  std::uint64_t checked = 0, routed = 0;
  for (auto _ : state) {
    for (std::size_t k = 0; k < sources.size(); ++k) {
      detail::Seed s{sources[k], 0};
      dij.one_to_all({&s, 1}, kInfinity);
      for (std::uint32_t t : nodes(*net, 100, 1000 + static_cast<std::uint32_t>(k))) {
        detail::Seed ts{t, 0};
        Weight a = dij.weight(t), b = ch.distance({&s, 1}, {&ts, 1});
        if (a != b) {
          std::fprintf(stderr, "MISMATCH %s source %u target %u: dijkstra %llu, hierarchy %llu\n",
                       std::string(metric_code(metric)).c_str(), sources[k], t, (unsigned long long)a,
                       (unsigned long long)b);
          std::abort();
        }
        ++checked;
        routed += a < kInfinity;
      }
    }
  }
  state.counters["checked"] = static_cast<double>(checked);
  state.counters["routed"] = static_cast<double>(routed);
  state.counters["peak_rss_MiB"] = rss_mib(true);
}

}  // namespace
}  // namespace placedist::geo::roads

int main(int argc, char** argv) {
  using namespace placedist::geo::roads;
  benchmark::RegisterBenchmark("scale/load", BM_Load)->Iterations(1)->Unit(benchmark::kSecond);
  // ch_*: as a loaded network answers (through its core table); plain_*: the same hierarchy
  // without the table, side by side.
  for (bool core : {true, false}) {
    const std::string way = core ? "ch" : "plain";
    for (Metric m : {Metric::fastest, Metric::shortest}) {
      const std::string metric(metric_code(m));
      benchmark::RegisterBenchmark(("scale/" + way + "_one_to_one_" + metric).c_str(), BM_OneToOne, m, core)
          ->Iterations(5000)
          ->Unit(benchmark::kMicrosecond);
    }
  }
  benchmark::RegisterBenchmark("scale/route", BM_Route)->Iterations(2000)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("scale/matrix_100x100", BM_Matrix100)->Iterations(20)->Unit(benchmark::kMillisecond);
  for (bool core : {true, false})
    for (Metric m : {Metric::fastest, Metric::shortest})
      benchmark::RegisterBenchmark(
          ((core ? "scale/many_to_many_" : "scale/plain_many_to_many_") + std::string(metric_code(m))).c_str(),
          BM_ManyToMany, m, core)
          ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("scale/dijkstra_check_fastest", BM_DijkstraCheck, Metric::fastest)
      ->Iterations(1)
      ->Unit(benchmark::kSecond);
  benchmark::RegisterBenchmark("scale/dijkstra_check_shortest", BM_DijkstraCheck, Metric::shortest)
      ->Iterations(1)
      ->Unit(benchmark::kSecond);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
}
