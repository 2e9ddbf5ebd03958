// The road 20-mile zone on the Buckinghamshire network (OSM 2016 edge list), in its two stages
// and together as GET /v1/coverage?mode=road draws it: the reach search (RoadQuery::reach), the
// polygon from a reach (reach_polygon), both; and a council-style zone (one multi-source
// reach from all the homes through ReachArea). Five fixed town centres in turn; p50/p90 in ms.
// Run: build/tools/bench/reach_bench (PLACEDIST_BENCHMARKS=ON); PLACEDIST_ROADS=FILE.pdr loads a
// built network instead of building one from the edges (about half a minute).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "geo/data_dir.hpp"
#include "geo/distance.hpp"
#include "geo/roads/edge_layer.hpp"
#include "geo/roads/reach_polygon.hpp"
#include "geo/roads/road_query.hpp"

using namespace placedist::geo;

namespace placedist::geo::roads {
namespace {

using namespace placedist::geo::roads;

// Town centres (as tests/geo/roads/bucks_roads_test.cpp): Aylesbury, High Wycombe, Central
// Milton Keynes, Amersham, Buckingham.
const std::vector<LonLat> kHomes = {
    {-0.8131, 51.8168}, {-0.7487, 51.6287}, {-0.7594, 52.0406}, {-0.6077, 51.6740}, {-0.9868, 51.9995}};
constexpr double kLimitM = 20 * kMetresPerMile;

std::shared_ptr<const RoadNetwork> bucks() {
  static std::shared_ptr<const RoadNetwork> net = [] {
    if (const char* file = std::getenv("PLACEDIST_ROADS")) return RoadNetwork::load(file);
    RoadEdges edges;
    read_edge_layer(data_file("roads/bucks/osm2016_graphhopper_car/bucks_osm2016_car_edges.csv"), {}, edges);
    return RoadNetwork::from_edges(edges);
  }();
  return net;
}

// Times `step(i)` once per iteration (i counts up) and reports the median and 90th percentile.
template <class Step>
void timed(benchmark::State& state, Step step) {
  std::vector<double> ms;
  std::size_t i = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    step(i++);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  state.counters["p50_ms"] = ms[ms.size() / 2];
  state.counters["p90_ms"] = ms[ms.size() * 9 / 10];
}

void BM_Reach(benchmark::State& state) {
  RoadQuery q(bucks());
  std::size_t pieces = 0;
  timed(state, [&](std::size_t i) { pieces = q.reach(kHomes[i % kHomes.size()], kLimitM).pieces.size(); });
  state.counters["pieces"] = static_cast<double>(pieces);
}

void BM_Polygon(benchmark::State& state) {
  RoadQuery q(bucks());
  std::vector<Reach> reaches;
  for (LonLat h : kHomes) reaches.push_back(q.reach(h, kLimitM));
  std::size_t polygons = 0;
  timed(state, [&](std::size_t i) { polygons = reach_polygon(reaches[i % reaches.size()]).size(); });
  state.counters["polygons"] = static_cast<double>(polygons);
}

void BM_Zone(benchmark::State& state) {
  RoadQuery q(bucks());
  timed(state,
        [&](std::size_t i) { benchmark::DoNotOptimize(reach_polygon(q.reach(kHomes[i % kHomes.size()], kLimitM))); });
}

void BM_ManyHomesZone(benchmark::State& state) {
  RoadQuery q(bucks());
  std::size_t cells = 0;
  timed(state, [&](std::size_t) {
    ReachArea area({-0.79, 51.83});
    area.add(q.reach(kHomes, kLimitM));
    cells = area.cells();
    benchmark::DoNotOptimize(area.polygon());
  });
  state.counters["cells"] = static_cast<double>(cells);
}

}  // namespace
}  // namespace placedist::geo::roads

int main(int argc, char** argv) {
  using namespace placedist::geo::roads;
  benchmark::RegisterBenchmark("reach/20mi", BM_Reach)->Iterations(50)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("reach_polygon/20mi", BM_Polygon)->Iterations(50)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("zone/20mi", BM_Zone)->Iterations(50)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("zone_five_homes/20mi", BM_ManyHomesZone)->Iterations(20)->Unit(benchmark::kMillisecond);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
}
