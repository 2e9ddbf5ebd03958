#pragma once
// The 20-mile zones the analysis layers draw (zone_20_miles), in British National Grid metres:
// the responsible council's polygon grown by 20 DfE miles, then the union of 20-mile circles
// round the homes as the layers publish them (postcode-sector centroids unless unit precision,
// so that no circle is centred on a child's home). Shared by `placedist analyse` and the service.
#include <span>
#include <string>
#include <vector>

#include "maps/layers.hpp"
#include "maps/placement.hpp"

namespace placedist::shapes {
class Boundaries;
}

namespace placedist::analysis {

// "council buffer" first (absent when `boundaries` is null or lacks the council), then
// "home circles".
std::vector<maps::ZoneFeature> twenty_mile_zones(std::span<const maps::PlacementRow> rows,
                                                 const shapes::Boundaries* boundaries,
                                                 const std::string& responsible_code, bool home_unit_precision);

}  // namespace placedist::analysis
