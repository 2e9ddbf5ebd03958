// Gazetteer kernels: open (mmap + checks), lookups of pre-parsed postcodes and of typed
// strings (parse + lookup), and, as the baseline in the same process, a std::unordered_map
// from normalised postcode to record, which is what a hand-written geocoder would use.
// Postcodes: every unit in the gazetteer, shuffled with a fixed seed.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "geo/data_dir.hpp"
#include "geo/gazetteer.hpp"
#include "geo/io/csv_reader.hpp"

using namespace placedist::geo;

namespace {

using namespace placedist;

std::filesystem::path gazetteer_path() { return Gazetteer::default_path(); }

// Every Code-Point 2025 postcode, normalised, shuffled with seed 42.
const std::vector<std::string>& postcodes() {
  static std::vector<std::string> all = [] {
    std::vector<std::string> out;
    for (const auto& entry :
         std::filesystem::directory_iterator(data_file("postcodes/codepoint_open_2025_10/Data/CSV"))) {
      CsvReader csv(entry.path());
      while (csv.next()) out.emplace_back(parse_postcode(csv[0]).normalised());
    }
    std::shuffle(out.begin(), out.end(), std::mt19937_64(42));
    return out;
  }();
  return all;
}

void BM_Open(benchmark::State& state) {
  for (auto _ : state) {
    Gazetteer g = Gazetteer::open(gazetteer_path());
    benchmark::DoNotOptimize(g.unit_count());
  }
}
BENCHMARK(BM_Open)->Unit(benchmark::kMillisecond);

void BM_LookupParsed(benchmark::State& state) {
  Gazetteer g = Gazetteer::open(gazetteer_path());
  std::vector<Postcode> parsed;
  for (const auto& pc : postcodes()) parsed.push_back(parse_postcode(pc));
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(g.lookup(parsed[i]));
    if (++i == parsed.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LookupParsed);

void BM_LookupBatch(benchmark::State& state) {
  Gazetteer g = Gazetteer::open(gazetteer_path());
  std::vector<Postcode> parsed;
  for (const auto& pc : postcodes()) parsed.push_back(parse_postcode(pc));
  const std::size_t batch = static_cast<std::size_t>(state.range(0));
  std::vector<GeocodeResult> results(batch);
  std::size_t i = 0;
  for (auto _ : state) {
    if (i + batch > parsed.size()) i = 0;
    g.lookup(std::span<const Postcode>(parsed.data() + i, batch), results);
    benchmark::DoNotOptimize(results.data());
    i += batch;
  }
  state.SetItemsProcessed(state.iterations() * batch);
}
BENCHMARK(BM_LookupBatch)->Arg(4096);

void BM_LookupTyped(benchmark::State& state) {
  Gazetteer g = Gazetteer::open(gazetteer_path());
  const auto& all = postcodes();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(g.lookup(all[i]));
    if (++i == all.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LookupTyped);

// Baseline: a hash map keyed by the normalised string, holding the same 24-byte payload.
void BM_BaselineUnorderedMap(benchmark::State& state) {
  struct Payload {
    double e, n;
    std::uint64_t codes;
  };
  const auto& all = postcodes();
  std::unordered_map<std::string, Payload> map;
  map.reserve(all.size());
  for (std::size_t k = 0; k < all.size(); ++k) map.emplace(all[k], Payload{double(k), double(k), k});
  std::vector<std::string> queries(all.begin(), all.end());
  std::shuffle(queries.begin(), queries.end(), std::mt19937_64(7));
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(map.find(queries[i]));
    if (++i == queries.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BaselineUnorderedMap);

}  // namespace

BENCHMARK_MAIN();
