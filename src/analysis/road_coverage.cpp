#include "src/analysis/road_coverage.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "geo/distance.hpp"

using namespace placedist::geo;

namespace placedist::analysis {

std::vector<std::size_t> road_candidates(const ProviderSet& set, GridRef home, double limit_m, double snap_radius_m) {
  const double reach = (limit_m + 2 * snap_radius_m) * 1.01;
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < set.providers.size(); ++i) {
    const Provider& p = set.providers[i];
    if (!p.located()) continue;
    double de = p.grid.easting - home.easting, dn = p.grid.northing - home.northing;
    if (std::abs(de) > reach || std::abs(dn) > reach) continue;
    if (de * de + dn * dn <= reach * reach) out.push_back(i);
  }
  return out;
}

std::vector<RoadCoverage> road_coverage(roads::RoadQuery& query, const ProviderSet& set,
                                        std::span<const RoadHome> homes, double limit_m) {
  const double snap_radius = query.options().snap_radius_m;
  std::vector<RoadCoverage> out(homes.size());
  std::vector<std::vector<std::size_t>> own(homes.size());
  // The homes that snap are the matrix's sources; the union of their candidates its targets.
  std::vector<std::size_t> sources;
  std::vector<LonLat> from;
  std::vector<int> column(set.providers.size(), -1);
  std::vector<std::size_t> targets;
  std::vector<LonLat> to;
  for (std::size_t h = 0; h < homes.size(); ++h) {
    own[h] = road_candidates(set, homes[h].grid, limit_m, snap_radius);
    out[h].candidates = own[h].size();
    roads::SnapResult snap = query.snap(homes[h].position);
    out[h].home_status = snap.status;
    out[h].home_snap_m = snap.snap_m;
    if (snap.status != roads::RoadStatus::ok) continue;
    sources.push_back(h);
    from.push_back(homes[h].position);
    for (std::size_t p : own[h])
      if (column[p] < 0) {
        column[p] = static_cast<int>(targets.size());
        targets.push_back(p);
        to.push_back(set.providers[p].position);
      }
  }
  std::vector<roads::RoadResult> matrix;
  if (!from.empty() && !to.empty()) matrix = query.matrix(from, to);
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const std::size_t h = sources[i];
    RoadCoverage& c = out[h];
    for (std::size_t p : own[h]) {
      const roads::RoadResult& r = matrix[i * to.size() + static_cast<std::size_t>(column[p])];
      double straight = dfe_miles(homes[h].grid, set.providers[p].grid);
      if (r.status != roads::RoadStatus::ok)
        c.unrouted.push_back({p, r.status, straight});
      else if (r.shortest_metres <= limit_m)
        c.within.push_back({p, r.shortest_metres, r.fastest_seconds, straight});
    }
  }
  // Homes that did not snap: every candidate is unrouted, with the home's status.
  for (std::size_t h = 0; h < homes.size(); ++h) {
    if (out[h].home_status == roads::RoadStatus::ok) continue;
    for (std::size_t p : own[h])
      out[h].unrouted.push_back({p, out[h].home_status, dfe_miles(homes[h].grid, set.providers[p].grid)});
  }
  for (RoadCoverage& c : out) {
    std::sort(c.within.begin(), c.within.end(), [](const RoadProvider& a, const RoadProvider& b) {
      return a.road_metres != b.road_metres ? a.road_metres < b.road_metres : a.provider < b.provider;
    });
    std::sort(c.unrouted.begin(), c.unrouted.end(), [](const RoadUnrouted& a, const RoadUnrouted& b) {
      return a.dfe_miles != b.dfe_miles ? a.dfe_miles < b.dfe_miles : a.provider < b.provider;
    });
  }
  return out;
}

}  // namespace placedist::analysis
