// Building the sector areas for every unit in Code-Point Open 2025 (Great Britain, live units)
// clipped to the countries (ONS 500 m generalised, 2020): once per run (the service and analyse build once and
// keep the result), so one iteration; run several times for a median, under /usr/bin/time -v for
// the peak memory:
//   build/tools/bench/sector_areas_bench --benchmark_repetitions=3
#include <benchmark/benchmark.h>

#include "geo/data_dir.hpp"
#include "shapes/sector_areas.hpp"
#include "tests/shapes/codepoint_csv.hpp"

using namespace placedist;

static void BM_SectorAreasGreatBritain(benchmark::State& state) {
  static const auto rows = placedist::testing::read_codepoint_folder(
      geo::data_file("postcodes/codepoint_open_2025_10/Data/CSV"), ".csv.gz");
  static const shapes::Boundaries land = shapes::Boundaries::load(geo::data_file("boundaries/ons_ultra_generalised_500m/boundaries_countries20.geojson"));
  std::vector<shapes::SectorPoint> units;
  units.reserve(rows.size());
  for (const auto& r : rows) units.push_back({r.postcode.substr(0, r.postcode.size() - 2), r.at});
  std::size_t sectors = 0;
  for (auto _ : state) sectors = shapes::build_sector_areas(units, land).size();
  state.counters["units"] = static_cast<double>(units.size());
  state.counters["sectors"] = static_cast<double>(sectors);
}
BENCHMARK(BM_SectorAreasGreatBritain)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

BENCHMARK_MAIN();
