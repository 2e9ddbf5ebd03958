#include "src/analysis/road_zone.hpp"

#include <cmath>
#include <set>
#include <utility>
#include <vector>

#include "geo/roads/network_extent.hpp"
#include "geo/roads/reach_polygon.hpp"
#include "geo/roads/road_query.hpp"

using namespace placedist::geo;

namespace placedist::analysis {

RoadZone road_zone(roads::RoadQuery& query, std::span<const LonLat> from, double limit_m) {
  std::set<std::pair<double, double>> seen;
  std::vector<LonLat> points;
  double lon = 0, lat = 0;
  for (LonLat p : from) {
    if (!std::isfinite(p.lon) || !std::isfinite(p.lat) || !seen.insert({p.lon, p.lat}).second) continue;
    points.push_back(p);
    lon += p.lon, lat += p.lat;
  }
  RoadZone zone;
  if (points.empty()) return zone;
  // One search from every point at once: the union of their reaches at the cost of about one.
  roads::Reach reach = query.reach(points, limit_m);
  zone.status = reach.status;
  roads::ReachArea area({lon / points.size(), lat / points.size()});
  area.add(reach);
  zone.polygon = area.polygon();
  roads::fill_holes_below(zone.polygon, kRoadZoneMinHoleKm2 * 1e6);
  zone.area_m2 = area_m2(zone.polygon);
  return zone;
}

}  // namespace placedist::analysis
