#pragma once
// Postcode sectors with live units ("HP20 1"), their centroids (the gazetteer's: mean of the
// live units' British National Grid references, and WGS84) and the upper-tier council most
// of their units lie in. The units of choropleth layers: the gazetteer holds no sector
// polygons, so a sector is drawn at its centroid.
#include <cstdint>
#include <string>
#include <vector>

#include "geo/coords.hpp"

namespace placedist::geo {
class Gazetteer;
}

namespace placedist::serve {

struct SectorInfo {
  std::string sector;  // normalised, e.g. "HP20 1"
  geo::GridRef grid;
  geo::LonLat position;
  std::string utla_code;
  std::uint32_t units = 0;  // live units with a location
};

// In postcode order.
std::vector<SectorInfo> build_sectors(const geo::Gazetteer& gazetteer);

}  // namespace placedist::serve
