#include "src/analysis/coverage.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <thread>
#include <utility>

#include "geo/distance.hpp"

using namespace placedist::geo;

namespace placedist::analysis {

namespace {

CoverageStatus check(const CoverageParameters& parameters, std::span<roads::RoadQuery* const> road_queries) {
  if (!std::isfinite(parameters.miles) || parameters.miles <= 0) return CoverageStatus::invalid_miles;
  if (!std::isfinite(parameters.min_places) || parameters.min_places < 0) return CoverageStatus::invalid_min_places;
  if (parameters.mode == CoverageMode::road &&
      (road_queries.empty() ||
       std::any_of(road_queries.begin(), road_queries.end(), [](const roads::RoadQuery* q) { return !q; })))
    return CoverageStatus::no_road_network;
  return CoverageStatus::ok;
}

// Runs work(worker, begin, end) over [0, count) in `workers` contiguous parts, on threads when
// there is more than one.
template <typename Work>
void share_out(std::size_t count, std::size_t workers, Work work) {
  if (count == 0) return;
  workers = std::max<std::size_t>(1, std::min(workers, count));
  if (workers == 1) {
    work(0, 0, count);
    return;
  }
  std::vector<std::thread> threads;
  std::vector<std::exception_ptr> errors(workers);
  const std::size_t step = (count + workers - 1) / workers;
  for (std::size_t w = 0; w < workers; ++w) {
    const std::size_t begin = std::min(count, w * step), end = std::min(count, begin + step);
    threads.emplace_back([&work, &errors, w, begin, end] {
      try {
        work(w, begin, end);
      } catch (...) {
        errors[w] = std::current_exception();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::exception_ptr& e : errors)
    if (e) std::rethrow_exception(e);
}

ReachTotals road_totals(const ProviderSet& set, const RoadCoverage& c) {
  ReachTotals t;
  for (const RoadProvider& r : c.within) count_provider(t, set.providers[r.provider]);
  return t;
}

}  // namespace

const char* to_string(CoverageMode mode) { return mode == CoverageMode::road ? "road" : "straight"; }

const char* coverage_status_code(CoverageStatus status) {
  switch (status) {
    case CoverageStatus::ok: return "ok";
    case CoverageStatus::invalid_miles: return "invalid_miles";
    case CoverageStatus::invalid_min_places: return "invalid_min_places";
    case CoverageStatus::no_road_network: return "no_road_network";
  }
  return "ok";
}

const char* home_road_message(roads::RoadStatus status) {
  switch (status) {
    case roads::RoadStatus::ok: return "";
    case roads::RoadStatus::no_road_within_radius:
      return "the home lies more than the snap radius from a drivable road";
    case roads::RoadStatus::outside_network: return "the home lies outside the loaded road network";
    case roads::RoadStatus::no_route: return "no drivable route from the home";
  }
  return "";
}

CoverageHome coverage_home(const Postcode& postcode, const GeocodeResult& result) {
  CoverageHome home;
  if (!result.located()) return home;
  home.located = true;
  home.grid = result.grid;
  home.position = result.position;
  if (postcode.level == PostcodeLevel::unit)
    home.sector = std::string(postcode.normalised().substr(0, postcode.length - 2));
  return home;
}

std::vector<RoadCoverage> road_coverage_of(std::span<roads::RoadQuery* const> queries, const ProviderSet& set,
                                           std::span<const CoverageHome> homes, double limit_m) {
  constexpr std::size_t kBlock = 256;
  std::map<std::pair<double, double>, std::size_t> unique_index;
  std::vector<RoadHome> unique;
  std::vector<std::size_t> of_home(homes.size(), 0);
  for (std::size_t i = 0; i < homes.size(); ++i) {
    if (!homes[i].located) continue;
    auto [it, added] = unique_index.emplace(std::pair{homes[i].grid.easting, homes[i].grid.northing}, unique.size());
    if (added) unique.push_back({homes[i].grid, homes[i].position});
    of_home[i] = it->second;
  }
  // 10 km strips north to south, west to east within a strip: blocks share most candidates.
  std::vector<std::size_t> order(unique.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    double sa = std::floor(unique[a].grid.northing / 10000), sb = std::floor(unique[b].grid.northing / 10000);
    return sa != sb ? sa < sb : unique[a].grid.easting < unique[b].grid.easting;
  });
  std::vector<RoadCoverage> by_unique(unique.size());
  const std::size_t blocks = (order.size() + kBlock - 1) / kBlock;
  // Blocks go to the workers in turn (neighbouring blocks cost alike); each worker owns a query.
  const std::size_t workers = std::min(queries.size(), blocks);
  share_out(workers, workers, [&](std::size_t worker, std::size_t, std::size_t) {
    roads::RoadQuery& query = *queries[worker];
    for (std::size_t b = worker; b < blocks; b += workers) {
      const std::size_t start = b * kBlock, end = std::min(order.size(), start + kBlock);
      std::vector<RoadHome> block;
      block.reserve(end - start);
      for (std::size_t k = start; k < end; ++k) block.push_back(unique[order[k]]);
      std::vector<RoadCoverage> answers = road_coverage(query, set, block, limit_m);
      for (std::size_t k = start; k < end; ++k) by_unique[order[k]] = std::move(answers[k - start]);
    }
  });
  std::vector<RoadCoverage> out(homes.size());
  for (std::size_t i = 0; i < homes.size(); ++i)
    if (homes[i].located) out[i] = by_unique[of_home[i]];
  return out;
}

CoverageStatus compute_coverage(const ProviderSet& set, std::span<const CoverageHome> homes,
                                const CoverageParameters& parameters, std::span<roads::RoadQuery* const> road_queries,
                                CoverageResult& result) {
  result = {};
  if (CoverageStatus status = check(parameters, road_queries); status != CoverageStatus::ok) return status;
  const bool road = parameters.mode == CoverageMode::road;
  result.homes.resize(homes.size());
  if (road) {
    const std::size_t workers =
        std::max<std::size_t>(1, std::min<std::size_t>(parameters.threads, road_queries.size()));
    std::vector<RoadCoverage> by_road =
        road_coverage_of(road_queries.first(workers), set, homes, parameters.miles * kMetresPerMile);
    for (std::size_t i = 0; i < homes.size(); ++i) {
      if (!homes[i].located) continue;
      HomeCoverage& h = result.homes[i];
      const RoadCoverage& c = by_road[i];
      h.located = true;
      h.road_status = c.home_status;
      h.home_snap_m = c.home_snap_m;
      h.providers_not_routed = c.unrouted.size();
      h.counted = c.home_status == roads::RoadStatus::ok;
      if (h.counted) h.within = road_totals(set, c);
    }
  } else {
    share_out(homes.size(), parameters.threads, [&](std::size_t, std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) {
        if (!homes[i].located) continue;
        HomeCoverage& h = result.homes[i];
        h.located = h.counted = true;
        h.within = totals(set, providers_within(set, homes[i].grid, parameters.miles));
      }
    });
  }
  CoverageSummary& summary = result.summary;
  summary.homes = homes.size();
  for (std::size_t i = 0; i < homes.size(); ++i) {
    HomeCoverage& h = result.homes[i];
    summary.located += h.located;
    if (!h.counted) continue;
    ++summary.counted;
    h.at_least_min_places = static_cast<double>(h.within.places) >= parameters.min_places;
    summary.with_min_places += h.at_least_min_places;
    if (homes[i].sector.empty()) continue;
    SectorTally& s = result.sectors[homes[i].sector];
    ++s.homes;
    s.homes_with_min_places += h.at_least_min_places;
    s.places += h.within.places;
  }
  return CoverageStatus::ok;
}

CoverageStatus providers_near_home(const ProviderSet& set, const CoverageHome& home,
                                   const CoverageParameters& parameters, roads::RoadQuery* road_query,
                                   HomeProviders& result) {
  result = {};
  roads::RoadQuery* const queries[] = {road_query};
  if (CoverageStatus status = check(parameters, queries); status != CoverageStatus::ok) return status;
  if (!home.located) return CoverageStatus::ok;
  if (parameters.mode == CoverageMode::road) {
    RoadHome one{home.grid, home.position};
    result.road = road_coverage(*road_query, set, {&one, 1}, parameters.miles * kMetresPerMile)[0];
    result.totals = road_totals(set, result.road);
  } else {
    result.straight = providers_within(set, home.grid, parameters.miles);
    result.totals = totals(set, result.straight);
  }
  return CoverageStatus::ok;
}

}  // namespace placedist::analysis
