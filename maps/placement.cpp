#include "maps/placement.hpp"

using namespace placedist::geo;

namespace placedist::maps {

const char* to_string(PlacementLocation location) {
  switch (location) {
    case PlacementLocation::unknown: return "";
    case PlacementLocation::in: return "IN";
    case PlacementLocation::out: return "OUT";
    case PlacementLocation::sco: return "SCO";
    case PlacementLocation::wal: return "WAL";
    case PlacementLocation::nir: return "NIR";
  }
  return "";
}

PlacementLocation classify_location(std::string_view placement_code, std::string_view responsible_code) {
  if (placement_code.empty()) return PlacementLocation::unknown;
  switch (placement_code.front()) {
    case 'S': return PlacementLocation::sco;
    case 'W': return PlacementLocation::wal;
    case 'N': return PlacementLocation::nir;
    default: break;
  }
  return placement_code == responsible_code ? PlacementLocation::in : PlacementLocation::out;
}

const char* to_string(DistanceBand band) {
  switch (band) {
    case DistanceBand::up_to_20: return "0-20";
    case DistanceBand::over_20_to_60: return "20-60";
    case DistanceBand::over_60_to_100: return "60-100";
    case DistanceBand::over_100: return "100+";
    case DistanceBand::not_known: return "not known";
  }
  return "not known";
}

DistanceBand distance_band(double miles) {
  if (!std::isfinite(miles)) return DistanceBand::not_known;
  if (miles <= 20) return DistanceBand::up_to_20;
  if (miles <= 60) return DistanceBand::over_20_to_60;
  if (miles <= 100) return DistanceBand::over_60_to_100;
  return DistanceBand::over_100;
}

}  // namespace placedist::maps
