#pragma once
// Where shareable outputs put a child's home and placement (../shared/DESIGN.md "Results,
// errors, privacy"; docs/disclosure.md): at the centroid of an area that holds at least
// kMinUnitsPublished unit postcodes of the gazetteer (live or terminated) within the council the
// outputs name for that end: the postcode's sector, else its district, else nowhere (the end is
// left out of shareable layers and said so). Per-child distances in shareable outputs are
// measured between these published points (area_dfe_miles), so that no published number carries
// more than the points do. Headline figures stay computed from the unit postcodes.
#include <cstddef>
#include <span>

#include "maps/placement.hpp"

namespace placedist::geo {
class Gazetteer;
}

namespace placedist::analysis {

inline constexpr std::size_t kMinUnitsPublished = 5;

// Sets each located row's published areas (home_sector..., placement_area...) from the area text
// the analysis kept (a sector or a district), and area_dfe_miles. Single-threaded, one gazetteer
// scan per distinct (area, council).
void publish_areas(std::span<maps::PlacementRow> rows, const geo::Gazetteer& gazetteer);

}  // namespace placedist::analysis
