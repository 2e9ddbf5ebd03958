// The DfE rules the report applies: PL_LOCATION from council codes, distance bands, and the
// published style (c / k / whole percentages), checked against the DfE's own council tables.
#include <gtest/gtest.h>

#include <map>

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
      if (published_percentage(n, total->second) == cell.percentage) ++agree;
      if (cell.percentage == "k") ++k;
    }
  }
  std::printf("checked %zu published cells (%zu suppressed, %zu k): %zu agree\n", checked, suppressed, k, agree);
  EXPECT_GT(checked, 15000u);
  EXPECT_GT(suppressed, 3000u);
  EXPECT_GT(k, 20u);
  EXPECT_GE(static_cast<double>(agree), 0.995 * static_cast<double>(checked));
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

}  // namespace
}  // namespace placedist
