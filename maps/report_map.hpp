#pragma once
// report.html's overview map: placements by council as static SVG. Counts are the shareable
// councils layer's (report.hpp style: 1 to 5, the cells the report marks "c" and the cells
// that would reveal them by subtraction from the report's total are "c"), so the map discloses
// nothing the report does not. Outlines are snapped to the drawing's pixel grid (about 1 px per
// km), which simplifies them to what can be seen and keeps the file small.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "maps/placement.hpp"
#include "shapes/boundaries.hpp"

namespace placedist::maps {

struct CouncilPlacements {
  std::string code, name;
  std::optional<std::uint64_t> placements;  // nullopt: suppressed ("c")
  bool responsible = false;
  bool any = false;  // at least one placement (shown or suppressed): the map's extent
};

// Shareable counts per council as the report publishes them: true (null, "c") for 1 to 5, for
// the cells the report suppresses (`report_suppressed`: its inside cell, its destination
// councils), and secondarily, so that no suppressed count follows from the report's `total`
// children by subtraction (the rows counted under no council are a cell of their own).
std::vector<bool> shareable_suppression(std::vector<std::uint64_t> cells, std::uint64_t total,
                                        std::vector<bool> report_suppressed);

// One entry per council of `b`, in its order: the placements per council with
// shareable_suppression (the councils layer's `placements` and the overview map's counts).
std::vector<CouncilPlacements> shareable_council_placements(const shapes::Boundaries& b,
                                                            std::span<const PlacementRow> rows,
                                                            const std::string& responsible_code);

// The councils with placements and the responsible council, framed, coloured in fixed
// classes (1-5 never shows: those are "c"), hatched where suppressed; "" when none placed.
std::string placements_map_svg(const shapes::Boundaries& b, const std::vector<CouncilPlacements>& councils);

}  // namespace placedist::maps
