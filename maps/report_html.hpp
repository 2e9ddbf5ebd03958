#pragma once
// report.html beside report.md: the placement-location report for members and commissioners,
// one self-contained file (no script, no network: inline CSS and SVG) that prints to A4. Every
// figure is in the DfE's published style with the report's suppression (report.hpp: 1 to 5 and
// the cells that would reveal them as "c"): the file is shareable. Static SVG charts written
// here: the distance bands, inside/outside the council by distance, the destination councils,
// and the council's published DfE share within 20 miles over the years in the reference data,
// beside its region's and England's.
// Distances are DfE miles.
#include <optional>
#include <string>
#include <vector>

#include "maps/dfe_reference.hpp"
#include "maps/report.hpp"

namespace placedist::maps {

// The DfE's published figures over the years, one per year, oldest first; each may be empty.
struct PublishedHistory {
  std::vector<PublishedFigures> council;
  std::vector<PublishedFigures> region;   // the council's region as published (London: Inner or Outer)
  std::vector<PublishedFigures> england;
};

std::string render_html(const LocationTable& table, const ReportContext& context,
                        const std::optional<PublishedFigures>& published, const PublishedHistory& history,
                        const std::string& placements_map = {});  // report_map.hpp's SVG figure, or ""

}  // namespace placedist::maps
