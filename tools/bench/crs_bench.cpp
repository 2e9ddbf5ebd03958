// BNG -> WGS84 throughput, OSTN15 (PROJ hgridshift on the generated NTv2 grid, iterated
// inverse) beside the Helmert fallback. Points: a fixed-seed uniform sample of Great Britain's
// grid (the worst case for the grid's line cache) and the same points sorted by northing (closer
// to a gazetteer, which is in postcode order and so spatially clustered).
// Run: cmake -S . -B build -DPLACEDIST_BENCHMARKS=ON && cmake --build build --target crs_bench
//      && build/tools/bench/crs_bench
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <vector>

#include <zlib.h>

#include <cstdlib>
#include <string>

#include "geo/crs.hpp"
#include "geo/data_dir.hpp"

using namespace placedist::geo;

namespace placedist {
namespace {

std::vector<GridRef> sample(bool sorted) {
  std::mt19937_64 random(42);
  std::uniform_real_distribution<double> east(100000, 650000), north(10000, 1200000);
  std::vector<GridRef> points(1'000'000);
  for (auto& p : points) p = {east(random), north(random)};
  if (sorted) std::sort(points.begin(), points.end(), [](GridRef a, GridRef b) { return a.northing < b.northing; });
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

// The gazetteer's real job: every GB grid reference of the NSPD (Nov 2025, postcode order,
// 2.7 million rows; Northern Ireland's are on the Irish Grid and left out, as are blanks).
const std::vector<GridRef>& nspd_points() {
  static const std::vector<GridRef> points = [] {
    std::vector<GridRef> out;
    gzFile in = gzopen(
        data_file("postcodes/nspd_nov2025_via_qlacref/nspd_nov2025_pcd7_oseast1m_osnrth1m_lad25cd.csv.gz").c_str(),
        "rb");
    char line[256];
    gzgets(in, line, sizeof line);  // header
    while (gzgets(in, line, sizeof line)) {
      if (line[0] == 'B' && line[1] == 'T') continue;
      char* p = std::strchr(line, ',');
      if (!p || p[1] == ',') continue;
      char* end;
      const double e = std::strtod(p + 1, &end);
      const double n = std::strtod(end + 1, nullptr);
      out.push_back({e, n});
    }
    gzclose(in);
    return out;
  }();
  return points;
}

void BM_ToWgs84Nspd(benchmark::State& state) {
  const auto method = static_cast<CrsMethod>(state.range(0));
  BngTransformer transformer(method);
  const auto& points = nspd_points();
  std::vector<LonLat> out(points.size());
  for (auto _ : state) {
    benchmark::DoNotOptimize(transformer.to_wgs84(points, out));
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(points.size()));
  state.SetLabel(std::string(to_string(method)) + " nspd " + std::to_string(points.size()));
}
BENCHMARK(BM_ToWgs84Nspd)
    ->Arg(static_cast<int>(CrsMethod::ostn15))
    ->Arg(static_cast<int>(CrsMethod::helmert))
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
