#pragma once
// The per-row analysis of placements: geocode both ends through the gazetteer, take the
// placement's council from the postcode directory's upper-tier code (the DfE's PL_LA), fall
// back on the boundary polygons where the postcode has none, classify IN/OUT/SCO/WAL/NIR
// against the responsible council and measure DfE and geodesic miles. Homes are located at
// unit level for distances, as the DfE does; their sector centroid is kept for shared layers.
//
// Extra per-row columns (road distances, and a road route for the journeys layer) come in
// through an AnalysisExtension, so that the writers need no change when they arrive.
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "maps/placement.hpp"

namespace placedist::shapes {
class Boundaries;
}
namespace placedist::geo {
class Gazetteer;
}

namespace placedist::analysis {

// Adds columns to analysed rows: fill() is called once with every row after geocoding and the
// straight-line distances, and sets row.extras (one value per column, NaN = blank) and, if it
// knows one, row.route (the journey's geometry).
struct AnalysisExtension {
  std::vector<maps::ExtraColumn> columns;
  std::function<void(std::span<maps::PlacementRow>)> fill;
};

struct AnalysisOptions {
  std::string responsible_code;                    // the council whose children these are, e.g. "E10000002"
  const shapes::Boundaries* boundaries = nullptr;  // for postcodes without a council code; may be null
  unsigned threads = 0;                            // 0 = hardware concurrency
  AnalysisExtension extension;
};

// One row per input, in input order, each end's published area chosen (disclosure.hpp). Never
// throws for bad rows: they get a status.
std::vector<maps::PlacementRow> analyse_placements(std::span<const maps::PlacementInput> inputs,
                                                   const geo::Gazetteer& gazetteer, const AnalysisOptions& options);

}  // namespace placedist::analysis
