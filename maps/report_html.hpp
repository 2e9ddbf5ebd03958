#pragma once
// report.html beside report.md: the placement-location report for members and commissioners,
// one self-contained file (no script, no network: inline CSS and SVG) that prints to A4. Every
// figure is in the DfE's published style with the report's suppression (report.hpp: 1 to 5 and
// the cells that would reveal them as "c"): the file is shareable. Static SVG charts written
// here: the distance bands, inside/outside the council by distance, the destination councils,
// and the council's published DfE share within 20 miles over the years in the reference data.
// Distances are DfE miles.
#include <optional>
#include <string>
#include <vector>

#include "maps/dfe_reference.hpp"
#include "maps/report.hpp"

namespace placedist::maps {

// `history`: the council's published figures, one per year (oldest first), may be empty.
std::string render_html(const LocationTable& table, const ReportContext& context,
                        const std::optional<PublishedFigures>& published, const std::vector<PublishedFigures>& history);

}  // namespace placedist::maps
