// Point-in-polygon throughput, one thread: every GB postcode with coordinates in Code-Point
// Open 2025 (1,745,013 points, EPSG:27700) against the 2021 counties and unitary authorities
// (ONS BUC 500 m, 217 areas). The grid/edge-band locator (shapes/locate.hpp) side by side
// with GEOS prepared geometries and GEOS plain geometries, both behind an STR tree.
//   build/tools/bench/locate_bench [--benchmark_filter=Grid]
// items_per_second is points per second per core.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <random>

#include "geo/data_dir.hpp"
#include "shapes/boundaries.hpp"
#include "shapes/geos_locator.hpp"
#include "shapes/locate.hpp"
#include "tests/shapes/codepoint_csv.hpp"

using namespace placedist::geo;
using namespace placedist::shapes;

namespace {

using namespace placedist;

struct Data {
  Boundaries boundaries;          // boundary tolerance 1 m (the default)
  Boundaries boundaries_exact;    // tolerance 0: "boundary" only exactly on an edge, the bare
                                  // point-in-polygon cost for GEOS (no distance test)
  std::vector<GridRef> points;    // file order: areas, then postcodes (spatially coherent)
  std::vector<GridRef> shuffled;  // the same points in random order (fixed seed)
};

BoundaryOptions exact() {
  BoundaryOptions o;
  o.boundary_tolerance_m = 0;
  return o;
}

const Data& data() {
  static const std::unique_ptr<Data> d = [] {
    auto rows = testing::read_codepoint_folder(data_file("postcodes/codepoint_open_2025_10/Data/CSV"), ".csv.gz");
    std::vector<GridRef> points;
    points.reserve(rows.size());
    for (const auto& r : rows) points.push_back(r.at);
    auto shuffled = points;
    std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64(20251020));
    auto out = std::make_unique<Data>(
        Data{Boundaries::load(data_file("boundaries/ons_ultra_generalised_500m/boundaries_utla21.geojson")),
             Boundaries::load(data_file("boundaries/ons_ultra_generalised_500m/boundaries_utla21.geojson"), exact()),
             std::move(points), std::move(shuffled)});
    std::fprintf(stderr, "locate_bench: %zu postcodes, %zu councils\n", out->points.size(), out->boundaries.size());
    return out;
  }();
  return *d;
}

// Every point once per iteration.
void BM_Grid_AllPostcodes(benchmark::State& state) {
  const Data& d = data();
  const auto& points = state.range(0) ? d.shuffled : d.points;
  std::size_t located[3] = {0, 0, 0};
  for (auto _ : state) {
    for (GridRef p : points) {
      const LocateResult r = locate(d.boundaries, p);
      ++located[static_cast<int>(r.where)];
      benchmark::DoNotOptimize(r.council);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * points.size()));
  const double n = static_cast<double>(state.iterations());
  state.counters["inside"] = static_cast<double>(located[0]) / n;
  state.counters["boundary"] = static_cast<double>(located[1]) / n;
  state.counters["outside"] = static_cast<double>(located[2]) / n;
}
BENCHMARK(BM_Grid_AllPostcodes)->Arg(0)->Arg(1)->ArgName("shuffled")->Unit(benchmark::kMillisecond);

// One point per iteration, cycling through the postcodes in file order: comparable across
// the three methods (GEOS is too slow to do every point many times).
template <typename Locate>
void cycle(benchmark::State& state, Locate&& locate_one) {
  const auto& points = data().points;
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(locate_one(points[i]).council);
    if (++i == points.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

const Boundaries& with_tolerance(const benchmark::State& state) {
  return state.range(0) ? data().boundaries : data().boundaries_exact;
}

void BM_Grid(benchmark::State& state) {
  const Boundaries& b = with_tolerance(state);
  cycle(state, [&](GridRef p) { return locate(b, p); });
}
BENCHMARK(BM_Grid)->Arg(1)->Arg(0)->ArgName("tol_m");

void BM_GeosPrepared(benchmark::State& state) {
  GeosLocator g(with_tolerance(state), GeosMethod::prepared);
  cycle(state, [&](GridRef p) { return g.locate(p); });
}
BENCHMARK(BM_GeosPrepared)->Arg(1)->Arg(0)->ArgName("tol_m");

void BM_GeosSimple(benchmark::State& state) {
  GeosLocator g(with_tolerance(state), GeosMethod::simple);
  cycle(state, [&](GridRef p) { return g.locate(p); });
}
BENCHMARK(BM_GeosSimple)->Arg(1)->Arg(0)->ArgName("tol_m");

void BM_LoadBoundaries(benchmark::State& state) {
  const auto file = data_file("boundaries/ons_ultra_generalised_500m/boundaries_utla21.geojson");
  for (auto _ : state) benchmark::DoNotOptimize(Boundaries::load(file).size());
}
BENCHMARK(BM_LoadBoundaries)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
