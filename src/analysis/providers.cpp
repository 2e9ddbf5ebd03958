#include "src/analysis/providers.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "geo/distance.hpp"
#include "geo/io/csv_reader.hpp"

using namespace placedist::geo;

namespace placedist::analysis {

ProviderSet load_providers(const std::filesystem::path& path, const Gazetteer& gazetteer) {
  ProviderSet set;
  set.source = path;
  CsvReader csv(path);
  if (!csv.next()) throw std::runtime_error("providers file " + path.string() + " is empty");
  int col[6] = {-1, -1, -1, -1, -1, -1};
  static constexpr const char* kNames[6] = {"urn", "name", "type", "postcode", "places", "synthetic"};
  for (std::size_t i = 0; i < csv.size(); ++i)
    for (int k = 0; k < 6; ++k)
      if (csv[i] == kNames[k]) col[k] = static_cast<int>(i);
  for (int k = 0; k < 5; ++k)
    if (col[k] < 0)
      throw std::runtime_error("providers file " + path.string() + ": no column " + kNames[k] +
                               " (need urn,name,type,postcode,places)");
  auto field = [&](int k) -> std::string_view {
    return col[k] >= 0 && static_cast<std::size_t>(col[k]) < csv.size() ? csv[col[k]] : std::string_view();
  };
  while (csv.next()) {
    Provider p;
    p.urn = field(0);
    p.name = field(1);
    p.type = field(2);
    p.postcode = field(3);
    std::string_view places = field(4);
    if (!places.empty()) {
      int n = 0;
      auto [ptr, ec] = std::from_chars(places.data(), places.data() + places.size(), n);
      if (ec != std::errc() || ptr != places.data() + places.size() || n < 0)
        throw std::runtime_error("providers file " + path.string() + " line " + std::to_string(csv.line()) +
                                 ": places is not a whole number");
      p.places = n;
    }
    std::string_view synthetic = field(5);
    p.synthetic = synthetic == "true" || synthetic == "1";
    GeocodeResult r = gazetteer.lookup(p.postcode);
    p.status = r.status;
    if (r.located()) {
      p.grid = r.grid;
      p.position = r.position;
      p.utla_code = r.utla.code;
      ++set.located;
    }
    set.synthetic += p.synthetic;
    set.providers.push_back(std::move(p));
  }
  return set;
}

std::vector<Reach> providers_within(const ProviderSet& set, GridRef centre, double miles) {
  std::vector<Reach> reach;
  // Cheap planar pre-filter, then the DfE rounding decides the edge.
  double limit_m = (miles + 0.05) * kMetresPerDfeMile + 1;
  for (std::size_t i = 0; i < set.providers.size(); ++i) {
    const Provider& p = set.providers[i];
    if (!p.located()) continue;
    double de = p.grid.easting - centre.easting, dn = p.grid.northing - centre.northing;
    if (std::abs(de) > limit_m || std::abs(dn) > limit_m) continue;
    double d = dfe_miles(centre, p.grid);
    if (d <= miles) reach.push_back({i, d});
  }
  std::sort(reach.begin(), reach.end(), [](const Reach& a, const Reach& b) {
    return a.dfe_miles != b.dfe_miles ? a.dfe_miles < b.dfe_miles : a.provider < b.provider;
  });
  return reach;
}

void count_provider(ReachTotals& totals, const Provider& provider) {
  ++totals.providers;
  if (provider.places >= 0)
    totals.places += provider.places;
  else
    ++totals.providers_without_places;
}

ReachTotals totals(const ProviderSet& set, const std::vector<Reach>& reach) {
  ReachTotals t;
  for (const Reach& r : reach) count_provider(t, set.providers[r.provider]);
  return t;
}

}  // namespace placedist::analysis
