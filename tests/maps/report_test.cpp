// The DfE rules the report applies: PL_LOCATION from council codes, distance bands, and the
// published style (c / k / whole percentages), checked against the DfE's own council tables.
#include <gtest/gtest.h>

#include <algorithm>
#include <span>
#include <tuple>

#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "geo/data_dir.hpp"
#include "geo/io/csv_reader.hpp"
#include "maps/dfe_reference.hpp"
#include "maps/placement.hpp"
#include "maps/report.hpp"

using namespace placedist::geo;
using namespace placedist::maps;

namespace placedist {
namespace {

TEST(PlacementLocation, InAndOutFollowTheUpperTierCode) {
  EXPECT_EQ(classify_location("E10000002", "E10000002"), PlacementLocation::in);
  EXPECT_EQ(classify_location("E06000042", "E10000002"), PlacementLocation::out);  // Milton Keynes, a neighbour
  // The 2020 unitary is another council than the county it replaced.
  EXPECT_EQ(classify_location("E06000060", "E10000002"), PlacementLocation::out);
  EXPECT_EQ(classify_location("", "E10000002"), PlacementLocation::unknown);
}

TEST(PlacementLocation, OtherNationsWhateverTheResponsibleCouncil) {
  EXPECT_EQ(classify_location("S12000036", "E10000002"), PlacementLocation::sco);  // City of Edinburgh
  EXPECT_EQ(classify_location("W06000015", "E10000002"), PlacementLocation::wal);  // Cardiff
  EXPECT_EQ(classify_location("N09000003", "E10000002"), PlacementLocation::nir);  // Belfast
  // A Welsh council's own children placed at home are still WAL in the English return's terms.
  EXPECT_EQ(classify_location("W06000015", "W06000015"), PlacementLocation::wal);
  EXPECT_EQ(classify_location("M99999999", "E10000002"), PlacementLocation::out);  // Isle of Man
  EXPECT_STREQ(to_string(PlacementLocation::sco), "SCO");
  EXPECT_STREQ(to_string(PlacementLocation::unknown), "");
  EXPECT_TRUE(outside(PlacementLocation::nir));
  EXPECT_FALSE(outside(PlacementLocation::in));
  EXPECT_FALSE(outside(PlacementLocation::unknown));
}

TEST(DistanceBands, EdgesBelongToTheLowerBand) {
  EXPECT_EQ(distance_band(0.0), DistanceBand::up_to_20);
  EXPECT_EQ(distance_band(20.0), DistanceBand::up_to_20);  // "20 miles or less"
  EXPECT_EQ(distance_band(20.1), DistanceBand::over_20_to_60);
  EXPECT_EQ(distance_band(60.0), DistanceBand::over_20_to_60);
  EXPECT_EQ(distance_band(100.0), DistanceBand::over_60_to_100);
  EXPECT_EQ(distance_band(100.1), DistanceBand::over_100);
  EXPECT_EQ(distance_band(kNoValue), DistanceBand::not_known);
}

TEST(PublishedStyle, SuppressionAndRounding) {
  EXPECT_EQ(published_count(0), "0");
  EXPECT_EQ(published_count(1), "c");
  EXPECT_EQ(published_count(5), "c");
  EXPECT_EQ(published_count(6), "6");
  EXPECT_EQ(published_percentage(3, 500), "c");
  EXPECT_EQ(published_percentage(0, 500), "0");
  EXPECT_EQ(published_percentage(6, 2000), "k");   // 0.3 %
  EXPECT_EQ(published_percentage(10, 2000), "1");  // 0.5 % rounds up
  EXPECT_EQ(published_percentage(237, 522), "45");
  EXPECT_EQ(raw_percentage(237, 522), "45.4");
}

// Every council-level cell of the DfE file whose count is published: our style gives the
// DfE's percentage from the count and the council's total.
TEST(PublishedStyle, ReproducesTheDfesCouncilTables) {
  CsvReader csv(default_reference_path());
  ASSERT_TRUE(csv.next());
  struct Cell {
    std::string number, percentage;
  };
  std::map<std::string, std::vector<Cell>> groups;  // year|la|group -> cells
  std::map<std::string, std::uint64_t> totals;
  while (csv.next()) {
    if (csv[1] != "Local authority") continue;
    std::string key = std::string(csv[0]) + "|" + std::string(csv[4]) + "|" + std::string(csv[7]);
    if (csv[8] == "Total") {
      if (csv[9] != "c" && csv[9] != "z" && csv[9] != "x") totals[key] = std::stoull(std::string(csv[9]));
    } else {
      groups[key].push_back({std::string(csv[9]), std::string(csv[10])});
    }
  }
  std::size_t checked = 0, agree = 0, suppressed = 0, k = 0;
  for (const auto& [key, cells] : groups) {
    auto total = totals.find(key);
    if (total == totals.end() || total->second == 0) continue;
    for (const Cell& cell : cells) {
      if (cell.number == "c") {
        ++suppressed;
        EXPECT_EQ(cell.percentage, "c");
        continue;
      }
      if (cell.number == "z" || cell.number == "x") continue;
      ++checked;
      std::uint64_t n = std::stoull(cell.number);
      EXPECT_TRUE(n == 0 || n > 5) << key << " publishes a count of 1-5";
      const std::string ours = published_percentage(n, total->second);
      EXPECT_EQ(ours, cell.percentage) << key << ": " << n << " of " << total->second;
      if (ours == cell.percentage) ++agree;
      if (cell.percentage == "k") ++k;
    }
  }
  std::printf("checked %zu published cells (%zu suppressed, %zu k): %zu agree\n", checked, suppressed, k, agree);
  EXPECT_GT(checked, 15000u);
  EXPECT_GT(suppressed, 3000u);
  EXPECT_GT(k, 20u);
  EXPECT_EQ(agree, checked);  // every one: no tolerance for a published figure
}

TEST(PublishedFigures, BuckinghamshireByCodeNameAndNearestYear) {
  auto bucks = load_published(default_reference_path(), "E06000060", "", 2025);
  ASSERT_TRUE(bucks);
  EXPECT_TRUE(bucks->exact_year);
  EXPECT_EQ(bucks->old_la_code, "825");
  const PublishedFigure* outside = bucks->find("Distance between home and placement and locality of placement",
                                               "Placed outside the LA boundary, more than 20 miles from home");
  ASSERT_NE(outside, nullptr);
  EXPECT_EQ(outside->number, "172");  // PROVENANCE.md section 5
  EXPECT_EQ(outside->percentage, "33");
  // The county of 2017 (E10000002) is not in the file: its name finds the unitary, nearest year.
  auto county = load_published(default_reference_path(), "E10000002", "Buckinghamshire", 2017);
  ASSERT_TRUE(county);
  EXPECT_FALSE(county->exact_year);
  EXPECT_EQ(county->year, 2021);
  EXPECT_EQ(county->la_code, "E06000060");
  EXPECT_EQ(county->years, (std::vector<int>{2021, 2022, 2023, 2024, 2025}));
  EXPECT_FALSE(load_published(default_reference_path(), "E99999999", "Nowhere", 2021));
}

TEST(PublishedFigures, RegionAndEnglandBesideTheCouncil) {
  const std::string within = "Placed 20 miles or less from home", group = "Distance between home and placement";
  auto bucks = load_published(default_reference_path(), "E06000060", "", 2025);
  ASSERT_TRUE(bucks);
  EXPECT_EQ(bucks->region_code, "E12000008");
  EXPECT_EQ(bucks->region_name, "South East");
  auto south_east = load_published_area(default_reference_path(), bucks->region_code, 2025);
  ASSERT_TRUE(south_east);
  EXPECT_EQ(south_east->la_code, "E12000008");
  EXPECT_EQ(south_east->la_name, "South East");
  EXPECT_EQ(south_east->years, (std::vector<int>{2021, 2022, 2023, 2024, 2025}));
  ASSERT_NE(south_east->find(group, within), nullptr);
  EXPECT_EQ(south_east->find(group, within)->number, "6170");  // as published, 31 March 2025
  EXPECT_EQ(south_east->find(group, within)->percentage, "56");
  auto england = load_published_area(default_reference_path(), "", 2025);
  ASSERT_TRUE(england);
  EXPECT_EQ(england->la_code, "E92000001");
  EXPECT_EQ(england->la_name, "England");
  EXPECT_EQ(england->find(group, within)->number, "56670");
  EXPECT_EQ(england->find(group, within)->percentage, "69");
  // A London borough is published under Inner (or Outer) London; the nearest year when asked for 2019.
  auto camden = load_published(default_reference_path(), "E09000007", "", 2023);
  ASSERT_TRUE(camden);
  EXPECT_EQ(camden->region_code, "E13000001");
  auto inner = load_published_area(default_reference_path(), camden->region_code, 2023);
  ASSERT_TRUE(inner);
  EXPECT_EQ(inner->find(group, within)->number, "2820");
  EXPECT_EQ(inner->find(group, within)->percentage, "70");
  auto early = load_published_area(default_reference_path(), "", 2019);
  ASSERT_TRUE(early);
  EXPECT_FALSE(early->exact_year);
  EXPECT_EQ(early->year, 2021);
  EXPECT_EQ(early->find(group, within)->number, "59320");
  EXPECT_FALSE(load_published_area(default_reference_path(), "E12000099", 2021));
}

TEST(Tabulate, CountsTheDfeCategories) {
  auto row = [](PlacementLocation where, double miles, RowStatus status = RowStatus::ok) {
    PlacementRow r;
    r.location = where;
    r.dfe_miles = miles;
    r.status = status;
    r.home_status = GeocodeStatus::ok;
    r.placement_status = status == RowStatus::placement_not_located ? GeocodeStatus::empty : GeocodeStatus::ok;
    r.placement_la_code = where == PlacementLocation::in    ? "E10000002"
                          : where == PlacementLocation::sco ? "S12000036"
                                                            : "E10000008";
    r.placement_la_name = where == PlacementLocation::in    ? "Buckinghamshire"
                          : where == PlacementLocation::sco ? "City of Edinburgh"
                                                            : "Devon";
    return r;
  };
  std::vector<PlacementRow> rows = {row(PlacementLocation::in, 3.2),
                                    row(PlacementLocation::in, 20.0),
                                    row(PlacementLocation::in, 25.0),
                                    row(PlacementLocation::out, 136.4),
                                    row(PlacementLocation::sco, 301.7),
                                    row(PlacementLocation::out, kNoValue, RowStatus::uasc),
                                    row(PlacementLocation::unknown, kNoValue, RowStatus::placement_not_located)};
  LocationTable t = tabulate(rows, "E10000002", "Buckinghamshire");
  EXPECT_EQ(t.total, 7u);
  EXPECT_EQ(t.within_20, 2u);
  EXPECT_EQ(t.over_20, 3u);
  EXPECT_EQ(t.distance_not_known, 2u);
  EXPECT_EQ(t.inside, 3u);
  EXPECT_EQ(t.outside, 3u);  // OUT, SCO and the UASC child's OUT
  EXPECT_EQ(t.locality_not_known, 1u);
  EXPECT_EQ(t.crossed[1][2], 1u);
  EXPECT_EQ(t.bands[3], 2u);
  EXPECT_EQ(t.scotland, 1u);
  EXPECT_EQ(t.uasc, 1u);
  EXPECT_EQ(t.failed, 1u);
  ASSERT_EQ(t.destinations.size(), 2u);
  EXPECT_EQ(t.destinations[0].label, "Devon");
  EXPECT_EQ(t.destinations[0].count, 2u);
  ASSERT_EQ(t.failures.size(), 1u);
  EXPECT_EQ(t.failures[0].label, "placement_not_located (placement empty)");
}

// Secondary suppression. The attacker's check: every published total is known; every cell not
// suppressed is known; whenever a group (total = sum of parts) has exactly one unknown cell, it
// is recovered by subtraction, and known from then on. Returns the suppressed cells recovered.
std::set<std::size_t> recovered_by_subtraction(std::span<const std::uint64_t> cells,
                                               std::span<const SuppressionGroup> groups,
                                               const std::vector<bool>& suppressed) {
  std::vector<bool> known(cells.size());
  for (std::size_t i = 0; i < cells.size(); ++i) known[i] = !suppressed[i];
  std::set<std::size_t> recovered;
  for (bool changed = true; changed;) {
    changed = false;
    for (const SuppressionGroup& g : groups) {
      std::vector<std::size_t> unknown;
      if (!known[g.total]) unknown.push_back(g.total);
      for (std::size_t p : g.parts)
        if (!known[p]) unknown.push_back(p);
      if (unknown.size() != 1) continue;
      // Recover it: total - known parts, or a part = total - the other parts; check the arithmetic.
      std::int64_t value = static_cast<std::int64_t>(cells[g.total]);
      for (std::size_t p : g.parts) value -= static_cast<std::int64_t>(cells[p]);
      EXPECT_EQ(value, 0) << "the group does not add up";
      known[unknown[0]] = true;
      recovered.insert(unknown[0]);
      changed = true;
    }
  }
  return recovered;
}

std::size_t count_suppressed(const std::vector<bool>& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), true));
}

TEST(SecondarySuppression, ALoneCForcesTheNextSmallestCell) {
  // 20 miles or less / over 20 / not known, total: one c (3) alone would be 40 - 20 - 17.
  const std::vector<std::uint64_t> cells = {40, 20, 17, 3};
  const std::vector<SuppressionGroup> groups = {{0, {1, 2, 3}}};
  const std::vector<bool> s = suppress_cells(cells, groups);
  EXPECT_EQ(s, (std::vector<bool>{false, false, true, true}));  // 17, the next smallest, goes too
  EXPECT_TRUE(recovered_by_subtraction(cells, groups, s).empty());
  // Primary suppression alone would let it out.
  const std::vector<bool> primary = {false, false, false, true};
  EXPECT_EQ(recovered_by_subtraction(cells, groups, primary), (std::set<std::size_t>{3}));
}

TEST(SecondarySuppression, ZerosAreShownAndNeverChosen) {
  // 0 is published as 0: the second cell suppressed is the smallest non-zero one.
  const std::vector<std::uint64_t> cells = {30, 0, 2, 28};
  const std::vector<SuppressionGroup> groups = {{0, {1, 2, 3}}};
  const std::vector<bool> s = suppress_cells(cells, groups);
  EXPECT_EQ(s, (std::vector<bool>{false, false, true, true}));  // 28, not the 0
  EXPECT_TRUE(recovered_by_subtraction(cells, groups, s).empty());
  // Two c already: nothing more.
  const std::vector<std::uint64_t> two = {50, 3, 4, 43};
  EXPECT_EQ(count_suppressed(suppress_cells(two, groups)), 2u);
  // None: nothing.
  const std::vector<std::uint64_t> none = {50, 0, 7, 43};
  EXPECT_EQ(count_suppressed(suppress_cells(none, groups)), 0u);
}

TEST(SecondarySuppression, ACrossedTableStaysConsistentInRowsAndColumns) {
  // A 2x2 table with margins: cells 0..3 = a b / c d, rows 4 5, columns 6 7, total 8.
  //   a=3  b=40 | 43
  //   c=12 d=30 | 42
  //   15   70   | 85
  const std::vector<std::uint64_t> cells = {3, 40, 12, 30, 43, 42, 15, 70, 85};
  const std::vector<SuppressionGroup> groups = {{4, {0, 1}}, {5, {2, 3}}, {6, {0, 2}},
                                                {7, {1, 3}}, {8, {4, 5}}, {8, {6, 7}}};
  const std::vector<bool> s = suppress_cells(cells, groups);
  // a forces b (row) and c (column); then d (b's column, c's row): the whole inner table.
  EXPECT_EQ(s, (std::vector<bool>{true, true, true, true, false, false, false, false, false}));
  EXPECT_TRUE(recovered_by_subtraction(cells, groups, s).empty());
  for (const SuppressionGroup& g : groups) {
    std::size_t n = s[g.total];
    for (std::size_t p : g.parts) n += s[p];
    EXPECT_NE(n, 1u) << "a group with a lone c";
  }
}

// A cohort's table, from rows.
LocationTable table_of(const std::vector<std::tuple<PlacementLocation, double, std::string>>& children) {
  std::vector<PlacementRow> rows;
  for (const auto& [where, miles, council] : children) {
    PlacementRow& r = rows.emplace_back();
    r.location = where;
    r.dfe_miles = miles;
    r.status = where == PlacementLocation::unknown ? RowStatus::placement_not_located : RowStatus::ok;
    r.home_status = GeocodeStatus::ok;
    r.placement_status = where == PlacementLocation::unknown ? GeocodeStatus::empty : GeocodeStatus::ok;
    r.placement_la_code = council;
    r.placement_la_name = council;
  }
  return tabulate(rows, "E10000002", "Buckinghamshire");
}

TEST(SecondarySuppression, TheReportsTotalsNeverAllowRecovery) {
  using L = PlacementLocation;
  // Inside, near: 40; inside, far: 3; outside, near: 25; outside, far: 12 over two councils
  // (9 and 3, one of them beyond 60 miles); one placement not located.
  std::vector<std::tuple<L, double, std::string>> children;
  for (int i = 0; i < 40; ++i) children.emplace_back(L::in, 5.0, "E10000002");
  for (int i = 0; i < 3; ++i) children.emplace_back(L::in, 25.0, "E10000002");
  for (int i = 0; i < 25; ++i) children.emplace_back(L::out, 12.0, "E06000042");
  for (int i = 0; i < 9; ++i) children.emplace_back(L::out, 30.0, "E06000042");
  for (int i = 0; i < 3; ++i) children.emplace_back(L::out, 150.0, "E10000008");
  children.emplace_back(L::unknown, kNoValue, "");
  const LocationTable t = table_of(children);
  const TableCells c = table_cells(t);
  const std::vector<bool> s = suppress_cells(c.cells, c.groups);
  EXPECT_TRUE(recovered_by_subtraction(c.cells, c.groups, s).empty());
  // Primary suppression alone gives cells away.
  std::vector<bool> primary(c.cells.size());
  for (std::size_t i = 0; i < c.cells.size(); ++i) primary[i] = c.cells[i] >= 1 && c.cells[i] <= 5;
  EXPECT_FALSE(recovered_by_subtraction(c.cells, c.groups, primary).empty());

  // What the report publishes says the same: no published-style row of a group shows a lone c.
  const TableSuppression sup = suppression(t);
  EXPECT_TRUE(sup.crossed[0][1]);  // inside, far: 3
  EXPECT_TRUE(sup.locality_not_known);
  const nlohmann::json json = nlohmann::json::parse(render_json(t, {}, std::nullopt));
  std::map<std::string, int> lone;
  for (const auto& row : json["table"])
    if (row["characteristic"] != "Total") lone[row["group"]] += row["published_style"]["count"] == "c";
  for (const auto& [group, n] : lone) EXPECT_NE(n, 1) << group;
  int bands_c = 0;
  for (const auto& band : json["distance_bands"]) bands_c += band["published_style"]["count"] == "c";
  EXPECT_NE(bands_c, 1);
  int destinations_c = 0;
  for (const auto& d : json["destinations"]) destinations_c += d["published_style"] == "c";
  destinations_c += sup.outside;  // their total
  EXPECT_NE(destinations_c, 1);
  EXPECT_EQ(json["disclosure"]["table.published_style"], "shareable");
  EXPECT_EQ(json["disclosure"]["table"], "restricted");
  EXPECT_EQ(json["disclosure"]["distance_bands.published_style"], "shareable");
  // Percentages of suppressed cells are suppressed too (a percentage gives the count back).
  for (const auto& row : json["table"])
    if (row["published_style"]["count"] == "c") {
      EXPECT_EQ(row["published_style"]["percentage"], "c");
    }
  const std::string md = render_markdown(t, {}, std::nullopt);
  EXPECT_NE(md.find("Disclosure: the Published style columns are shareable"), std::string::npos);
  EXPECT_NE(md.find("Secondary suppression is applied"), std::string::npos);
}

TEST(SecondarySuppression, ManyRandomTablesNeverAllowRecovery) {
  using L = PlacementLocation;
  std::uint64_t state = 42;
  auto next = [&](std::uint64_t n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % n;
  };
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<std::tuple<L, double, std::string>> children;
    const char* councils[] = {"E06000042", "E10000008", "E06000060", "E09000001"};
    for (int kind = 0; kind < 8; ++kind) {
      const std::uint64_t n = next(3) == 0 ? 0 : next(2) == 0 ? 1 + next(5) : next(30);
      for (std::uint64_t i = 0; i < n; ++i) {
        const double miles = kind % 4 == 0 ? 5.0 : kind % 4 == 1 ? 30.0 : kind % 4 == 2 ? 80.0 : kNoValue;
        if (kind < 4)
          children.emplace_back(L::in, miles, "E10000002");
        else
          children.emplace_back(L::out, miles, councils[next(4)]);
      }
    }
    for (std::uint64_t i = next(3); i > 0 && i < 2; --i) children.emplace_back(L::unknown, kNoValue, "");
    const LocationTable t = table_of(children);
    const TableCells c = table_cells(t);
    const std::vector<bool> s = suppress_cells(c.cells, c.groups);
    EXPECT_TRUE(recovered_by_subtraction(c.cells, c.groups, s).empty()) << "trial " << trial;
  }
}

}  // namespace
}  // namespace placedist
