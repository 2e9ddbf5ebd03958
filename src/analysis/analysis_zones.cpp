#include "src/analysis/analysis_zones.hpp"

#include <cmath>
#include <set>
#include <utility>

#include "geo/crs.hpp"
#include "shapes/boundaries.hpp"
#include "shapes/zones.hpp"

using namespace placedist::geo;
using namespace placedist::shapes;
using namespace placedist::maps;

namespace placedist::analysis {

std::vector<ZoneFeature> twenty_mile_zones(std::span<const PlacementRow> rows, const Boundaries* boundaries,
                                           const std::string& responsible_code, bool home_unit_precision) {
  std::vector<ZoneFeature> zones;
  if (boundaries)
    if (auto index = boundaries->find(responsible_code)) {
      Zone buffer = buffer_council(*boundaries, *index);
      zones.push_back({"council buffer", std::move(buffer.polygons), buffer.area_m2});
    }
  // One circle per distinct published home point (many children share a sector).
  std::vector<GridRef> centres;
  std::set<std::pair<long long, long long>> seen;
  for (const PlacementRow& row : rows) {
    if (!row.home_located()) continue;
    GridRef g = home_unit_precision ? row.home_grid : row.home_sector_grid;
    if (!is_finite(g)) continue;  // withheld
    if (seen.insert({std::llround(g.easting), std::llround(g.northing)}).second) centres.push_back(g);
  }
  Zone circles = union_of_circles(centres);
  zones.push_back({"home circles", std::move(circles.polygons), circles.area_m2});
  return zones;
}

}  // namespace placedist::analysis
