#pragma once
// The placement-location report: the DfE's "Location of care placements" figures for one
// responsible council from analysed rows (distance from home, inside/outside the council,
// both crossed; distance bands; destination councils; failed rows), raw and in the DfE's
// published style, optionally beside the DfE's own published figures.
//
// Published style, as the DfE's council-level tables show it (reference/dfe_children_looked_after):
// counts exact, 1 to 5 suppressed as "c" (0 is shown), percentages of the council's total in
// whole numbers (half up), "c" where the count is suppressed, "k" for a non-zero share below
// 0.5 %. Secondary suppression as in the DfE's council tables: wherever published cells add up
// to a published total (within 20 / over 20 / not known; inside / outside / not known; the
// crossed table's rows and columns; the distance bands; the destination councils), no group has
// a lone "c", so that no suppressed cell can be recovered from the totals by subtraction.
//
// Disclosure: the published-style figures are shareable. The raw counts and percentages beside
// them are the council's own figures, restricted (like placements.csv): report.md says so under
// each table, report.json in "disclosure" (table name -> "shareable" | "restricted").
// Distances are DfE miles: "20 miles or less" is dfe_miles <= 20.0.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "maps/dfe_reference.hpp"
#include "maps/placement.hpp"

namespace placedist::maps {

struct Tally {
  std::string label;  // council name, or failure reason
  std::string code;   // council code; empty for failures
  std::uint64_t count = 0;
};

struct LocationTable {
  std::string council_code, council_name;
  std::uint64_t total = 0;  // rows analysed (children, at a census date)
  std::uint64_t within_20 = 0, over_20 = 0, distance_not_known = 0;
  std::uint64_t inside = 0, outside = 0, locality_not_known = 0;
  // [inside, outside, locality not known][<= 20, > 20, distance not known]
  std::array<std::array<std::uint64_t, 3>, 3> crossed{};
  std::array<std::uint64_t, kDistanceBands> bands{};
  std::uint64_t scotland = 0, wales = 0, northern_ireland = 0;
  std::uint64_t uasc = 0;
  std::uint64_t approximate = 0, terminated = 0;
  std::vector<Tally> destinations;      // councils outside the responsible one, most placements first
  std::vector<Tally> far_destinations;  // councils of placements more than 60 DfE miles from home
  std::vector<Tally> failures;          // "status (end: geocode status)", most first
  std::uint64_t failed = 0;
};

LocationTable tabulate(std::span<const PlacementRow> rows, const std::string& council_code,
                       const std::string& council_name);

// DfE published style for one cell.
std::string published_count(std::uint64_t count);
std::string published_percentage(std::uint64_t count, std::uint64_t total);
// The same with the cell's suppression decided elsewhere (secondary suppression): "c" when
// `suppressed`.
std::string published_count(std::uint64_t count, bool suppressed);
std::string published_percentage(std::uint64_t count, std::uint64_t total, bool suppressed);

// Cells that add up: cells[total] == sum of cells[parts].
struct SuppressionGroup {
  std::size_t total;
  std::vector<std::size_t> parts;
};
// Primary suppression (counts 1 to 5), then secondary: while a group has exactly one suppressed
// cell among its total and parts, its smallest non-zero unsuppressed part (else its total) is
// suppressed too, until no group changes. Zeros are never suppressed. Returns a flag per cell.
std::vector<bool> suppress_cells(std::span<const std::uint64_t> cells, std::span<const SuppressionGroup> groups);
// The same with some cells suppressed from the start (`suppressed`, one flag per cell; e.g. cells
// another output published as "c", which must stay "c" here).
std::vector<bool> suppress_cells(std::span<const std::uint64_t> cells, std::span<const SuppressionGroup> groups,
                                 std::vector<bool> suppressed);

// Which published-style cells of a table are suppressed (primary and secondary).
struct TableSuppression {
  bool total = false, within_20 = false, over_20 = false, distance_not_known = false;
  bool inside = false, outside = false, locality_not_known = false;
  std::array<std::array<bool, 3>, 3> crossed{};  // as LocationTable::crossed
  std::array<bool, kDistanceBands> bands{};
  std::vector<bool> destinations;  // as LocationTable::destinations
};
// The cells of `table` in one list and the groups that add up, as suppress_cells takes them
// (for tests: the recovery check), and the suppression they give.
struct TableCells {
  std::vector<std::uint64_t> cells;
  std::vector<SuppressionGroup> groups;
};
TableCells table_cells(const LocationTable& table);
TableSuppression suppression(const LocationTable& table);

// Raw percentage to one decimal ("53.6"); "" when total is 0.
std::string raw_percentage(std::uint64_t count, std::uint64_t total);

// What the report says about how it was made (all optional).
struct ReportContext {
  std::string title;        // e.g. "Buckinghamshire (E10000002), children looked after at 2017-03-31"
  std::string census_date;  // YYYY-MM-DD, empty for every episode
  std::string input;        // e.g. "SSDA903 episodes, 1,302 rows read, 651 analysed"
  std::string gazetteer;    // vintages
  std::string boundaries;   // file and what its cross-check found
  std::vector<std::string> notes;
  std::string attribution;
  std::size_t top_destinations = 10;
};

std::string render_markdown(const LocationTable& table, const ReportContext& context,
                            const std::optional<PublishedFigures>& published);
// The same content as JSON (a string, pretty-printed).
std::string render_json(const LocationTable& table, const ReportContext& context,
                        const std::optional<PublishedFigures>& published);

// 1234567 -> "1,234,567".
std::string thousands(std::uint64_t n);

// The headline lines printed at the end of `placedist analyse`.
std::string render_summary(const LocationTable& table, const std::optional<PublishedFigures>& published);

}  // namespace placedist::maps
