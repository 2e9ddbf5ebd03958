#pragma once
// One analysed placement: a child's home postcode and placement postcode, geocoded, with the
// DfE's derived fields (placement council, IN/OUT, straight-line miles) and a row status.
// Grid references are British National Grid (EPSG:27700) metres; positions WGS84 degrees;
// dfe_miles are the DfE's miles (km / 1.6093, 0.1 mile), geodesic_miles international miles.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "geo/coords.hpp"
#include "geo/gazetteer.hpp"
#include "geo/postcode.hpp"

namespace placedist::maps {

// The DfE's PL_LOCATION: IN the responsible council, OUT of it in England, or another nation.
enum class PlacementLocation : std::uint8_t { unknown, in, out, sco, wal, nir };
const char* to_string(PlacementLocation location);  // "", "IN", "OUT", "SCO", "WAL", "NIR"
inline bool outside(PlacementLocation l) { return l != PlacementLocation::unknown && l != PlacementLocation::in; }

// From the placement postcode's upper-tier council code (GSS: E England, W Wales, S Scotland,
// N Northern Ireland) and the responsible council's code. An empty placement code is unknown;
// Welsh, Scottish and Northern Irish codes are WAL/SCO/NIR whatever the responsible council;
// anything else (England, the Channel Islands L*, the Isle of Man M*) is IN when it equals the
// responsible code and OUT otherwise.
PlacementLocation classify_location(std::string_view placement_code, std::string_view responsible_code);

// Published distance bands, on DfE miles (already rounded to 0.1): 20 or less, over 20 to 60,
// over 60 to 100, over 100; NaN is not known.
enum class DistanceBand : std::uint8_t { up_to_20, over_20_to_60, over_60_to_100, over_100, not_known };
inline constexpr int kDistanceBands = 5;
const char* to_string(DistanceBand band);  // "0-20", "20-60", "60-100", "100+", "not known"
DistanceBand distance_band(double dfe_miles);

// A placement row's outcome (geo/outcome.hpp): ok, terminated (warning: a postcode is
// terminated; its last location is used), approximate (warning: a postcode was located only at
// sector or district level) have distances; uasc rows (unaccompanied asylum-seeking child) are
// located but their distance is left blank, as the DfE does; home_not_located,
// placement_not_located, not_located and bad_row (the input row itself is unusable) failed.
using RowStatus = Outcome;
inline bool has_distance(RowStatus s) {
  return s == RowStatus::ok || s == RowStatus::terminated || s == RowStatus::approximate;
}
// A row that counts as failed for the exit code and the failures table (uasc is not a failure).
inline bool failed(RowStatus s) { return group(s) == OutcomeGroup::unanswered; }

// What the input reader gives the analysis.
struct PlacementInput {
  std::string id;
  std::string home_postcode;
  std::string placement_postcode;
  bool uasc = false;
  std::uint64_t line = 0;  // 1-based line of the record in the input
  std::string problem;     // non-empty: the row is unusable (status bad_row) and this says why
};

inline constexpr std::int32_t kNotChecked = -2;
inline constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();

// A column an analysis extension adds to the rows (road distances), as every writer shows it.
// Who may see a column (../shared/DESIGN.md): restricted columns can single out a child's home
// or carer (unit-precision distances, free text that may quote a postcode) and belong in the
// council's own outputs; shareable ones may be published.
enum class Disclosure : std::uint8_t { shareable, restricted };

struct ExtraColumn {
  std::string name;  // e.g. "road_miles"
  int decimals = 1;  // how the CSV and report format it
  // Non-empty: a text column of codes (e.g. road_status); the row's value is an index into codes.
  std::vector<std::string> codes = {};
  std::string unit = {};  // "miles", "minutes", "metres"; empty for codes
  Disclosure disclosure = Disclosure::shareable;
};

// The text of a coded column's value, or "" (blank) when the value is not a valid index.
inline std::string_view extra_code(const ExtraColumn& column, double value) {
  if (!(value >= 0) || value >= static_cast<double>(column.codes.size())) return {};
  return column.codes[static_cast<std::size_t>(value)];
}

struct PlacementRow {
  std::string id;
  std::uint64_t line = 0;
  RowStatus status = RowStatus::bad_row;
  std::string message;
  bool uasc = false;

  geo::GeocodeStatus home_status = geo::GeocodeStatus::empty;
  geo::GeocodeStatus placement_status = geo::GeocodeStatus::empty;
  geo::PostcodeLevel home_match = geo::PostcodeLevel::none;
  geo::PostcodeLevel placement_match = geo::PostcodeLevel::none;
  geo::GridRef home_grid, placement_grid;
  geo::LonLat home_position, placement_position;
  // Where shareable outputs put the home and the placement (src/analysis/disclosure.hpp): an
  // area holding at least 5 units of the council, its sector ("HP20 1") or else its district
  // ("HP20"), and that area's centroid; empty / NaN when the end is withheld or not located.
  // Until published, the analysis keeps here the finest area the postcode names.
  std::string home_sector;
  geo::GridRef home_sector_grid{kNoValue, kNoValue};
  geo::LonLat home_sector_position{kNoValue, kNoValue};
  std::string placement_area;
  geo::GridRef placement_area_grid{kNoValue, kNoValue};
  geo::LonLat placement_area_position{kNoValue, kNoValue};
  double area_dfe_miles = kNoValue;  // DfE miles between the two published areas (0.1)

  std::string home_la_code, home_la_name;
  std::string placement_la_code, placement_la_name;
  bool placement_la_from_polygon = false;
  // Where each end lies among the analysis's council polygons, located once per run and used
  // by the placement's fallback council, the cross-check and the councils layer: an index into
  // the Boundaries, -1 in none, kNotChecked without boundaries or when that end is not located.
  std::int32_t home_polygon = kNotChecked, placement_polygon = kNotChecked;
  bool home_on_edge = false, placement_on_edge = false;  // the postcode had no council code: the boundaries decided
  PlacementLocation location = PlacementLocation::unknown;

  double dfe_miles = kNoValue;
  double geodesic_miles = kNoValue;

  // Values for the extra columns an AnalysisExtension declares (road distances); NaN = blank.
  std::vector<double> extras;
  // The journey's geometry when an extension knows it (a road route, WGS84); empty = the
  // straight line between the two ends.
  std::vector<geo::LonLat> route;

  bool home_located() const { return geo::located(home_status); }
  bool placement_located() const { return geo::located(placement_status); }
  DistanceBand band() const { return distance_band(dfe_miles); }
};

}  // namespace placedist::maps
