#pragma once
// Care providers for coverage questions, read from a CSV with a header naming at least
// urn,name,type,postcode,places (any order; extra columns ignored except `synthetic`,
// true/1 for demo rows placed at synthetic postcodes). places may be blank (unknown: e.g.
// fostering agencies). Each postcode is geocoded once at load through the gazetteer;
// locations are British National Grid metres and WGS84 degrees.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "geo/coords.hpp"
#include "geo/gazetteer.hpp"

namespace placedist::analysis {

struct Provider {
  std::string urn, name, type, postcode;
  int places = -1;  // -1: not published
  bool synthetic = false;
  geo::GeocodeStatus status = geo::GeocodeStatus::empty;
  geo::GridRef grid;
  geo::LonLat position;
  std::string utla_code;  // the upper-tier council the postcode lies in
  bool located() const { return geo::located(status); }
};

struct ProviderSet {
  std::filesystem::path source;
  std::vector<Provider> providers;
  std::size_t located = 0;
  std::size_t synthetic = 0;
};

// Throws std::runtime_error naming the file and line for a missing column or bad number.
ProviderSet load_providers(const std::filesystem::path& path, const geo::Gazetteer& gazetteer);

// Providers within `miles` DfE miles (the published 0.1-mile rounding, "20 miles or less")
// of a point, nearest first.
struct Reach {
  std::size_t provider;  // index into ProviderSet::providers
  double dfe_miles;
};
std::vector<Reach> providers_within(const ProviderSet& set, geo::GridRef centre, double miles);

struct ReachTotals {
  std::size_t providers = 0;
  long long places = 0;                      // sum over those with published places
  std::size_t providers_without_places = 0;  // counted in providers, not in places
};
ReachTotals totals(const ProviderSet& set, const std::vector<Reach>& reach);
// Counts one more provider within reach (as totals does), for reaches found another way (by road).
void count_provider(ReachTotals& totals, const Provider& provider);

}  // namespace placedist::analysis
