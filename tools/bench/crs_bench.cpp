// BNG -> WGS84 throughput, OSTN15 (PROJ hgridshift on the generated NTv2 grid, iterated
// inverse) beside the Helmert fallback. Points: a fixed-seed uniform sample of Great Britain's
// grid (the worst case for the grid's line cache) and the same points sorted by northing (closer
// to a gazetteer, which is in postcode order and so spatially clustered).
// Run: cmake -S . -B build -DPLACEDIST_BENCHMARKS=ON && cmake --build build --target crs_bench
//      && build/tools/bench/crs_bench
#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>
#include <vector>

#include "geo/crs.hpp"

namespace placedist {
namespace {

std::vector<GridRef> sample(bool sorted) {
  std::mt19937_64 random(42);
  std::uniform_real_distribution<double> east(100000, 650000), north(10000, 1200000);
  std::vector<GridRef> points(1'000'000);
  for (auto& p : points) p = {east(random), north(random)};
  if (sorted)
    std::sort(points.begin(), points.end(), [](GridRef a, GridRef b) { return a.northing < b.northing; });
  return points;
}

void BM_ToWgs84Batch(benchmark::State& state) {
  const auto method = static_cast<CrsMethod>(state.range(0));
  const bool sorted = state.range(1) != 0;
  BngTransformer transformer(method);
  const auto points = sample(sorted);
  std::vector<LonLat> out(points.size());
  for (auto _ : state) {
    benchmark::DoNotOptimize(transformer.to_wgs84(points, out));
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(points.size()));
  state.SetLabel(std::string(to_string(method)) + (sorted ? " sorted" : " random"));
}
BENCHMARK(BM_ToWgs84Batch)
    ->ArgsProduct({{static_cast<int>(CrsMethod::ostn15), static_cast<int>(CrsMethod::helmert)}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_ToBngBatch(benchmark::State& state) {
  const auto method = static_cast<CrsMethod>(state.range(0));
  BngTransformer transformer(method);
  const auto points = sample(false);
  std::vector<LonLat> wgs(points.size());
  transformer.to_wgs84(points, wgs);
  std::vector<GridRef> out(points.size());
  for (auto _ : state) {
    benchmark::DoNotOptimize(transformer.to_bng(wgs, out));
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(points.size()));
  state.SetLabel(to_string(method));
}
BENCHMARK(BM_ToBngBatch)
    ->Arg(static_cast<int>(CrsMethod::ostn15))
    ->Arg(static_cast<int>(CrsMethod::helmert))
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_ToWgs84Single(benchmark::State& state) {
  BngTransformer transformer(static_cast<CrsMethod>(state.range(0)));
  const auto points = sample(false);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(transformer.to_wgs84(points[i]));
    if (++i == points.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(to_string(static_cast<CrsMethod>(state.range(0))));
}
BENCHMARK(BM_ToWgs84Single)->Arg(static_cast<int>(CrsMethod::ostn15))->Arg(static_cast<int>(CrsMethod::helmert));

void BM_GridResolve(benchmark::State& state) {  // what each new BngTransformer pays first
  for (auto _ : state) benchmark::DoNotOptimize(ostn15_grid_path());
}
BENCHMARK(BM_GridResolve)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace placedist

BENCHMARK_MAIN();
