// Gazetteer::for_each_unit visits every unit once, in postcode order, with lookup()'s answer.
#include <gtest/gtest.h>

#include <map>

#include "geo/built_gazetteer.hpp"
#include "geo/data_dir.hpp"

using namespace placedist::geo;

namespace placedist {
namespace {

TEST(GazetteerUnits, EveryUnitOnceWithItsLookup) {
  using Kind = GazetteerSource::Kind;
  Gazetteer g = Gazetteer::open(testing::built_gazetteer(
      "units_plain_2025",
      {{{Kind::codepoint, data_file("postcodes/codepoint_open_2025_10/plain")},
        {Kind::directory, data_file("postcodes/onspd_sample_postcodes_io/onspd_seed_postcode.csv")}},
       {},
       {},
       {},
       {}}));
  std::size_t units = 0, terminated = 0, no_grid = 0;
  std::string previous;
  g.for_each_unit([&](const Postcode& pc, const GeocodeResult& r) {
    ++units;
    Postcode parsed = parse_postcode(pc.normalised());
    ASSERT_EQ(parsed.normalised(), pc.normalised());
    ASSERT_EQ(parsed.outward, pc.outward);
    ASSERT_EQ(parsed.inward, pc.inward);
    ASSERT_EQ(parsed.sector, pc.sector);
    GeocodeResult again = g.lookup(pc);
    if (r.status == GeocodeStatus::no_coordinates) {
      ++no_grid;
      ASSERT_NE(again.match, PostcodeLevel::unit);  // lookup falls back to the sector
    } else {
      ASSERT_EQ(again.status, r.status) << pc.normalised();
      ASSERT_EQ(again.grid, r.grid);
      ASSERT_EQ(again.position, r.position);
      ASSERT_EQ(again.utla.code, r.utla.code);
    }
    terminated += r.status == GeocodeStatus::terminated;
    previous = std::string(pc.normalised());
  });
  EXPECT_EQ(units, g.unit_count());
  EXPECT_EQ(terminated, 3810u);  // the ONSPD sample's terminated AB1 postcodes
  EXPECT_GT(no_grid, 0u);        // Code-Point rows with positional quality 90
}

// units_within counts a sector's and a district's units as for_each_unit lists them.
TEST(GazetteerUnits, UnitsWithinSectorsAndDistricts) {
  using Kind = GazetteerSource::Kind;
  Gazetteer g = Gazetteer::open(testing::built_gazetteer(
      "units_plain_2025",
      {{{Kind::codepoint, data_file("postcodes/codepoint_open_2025_10/plain")},
        {Kind::directory, data_file("postcodes/onspd_sample_postcodes_io/onspd_seed_postcode.csv")}},
       {},
       {},
       {},
       {}}));
  std::map<std::string, std::size_t> sectors, districts;
  std::map<std::pair<std::string, std::string>, std::size_t> by_council;  // (sector or district, council)
  g.for_each_unit([&](const Postcode& pc, const GeocodeResult& r) {
    std::string text(pc.normalised());
    ++sectors[text.substr(0, text.size() - 2)];
    ++districts[text.substr(0, text.find(' '))];
    ++by_council[{text.substr(0, text.size() - 2), std::string(r.utla.code)}];
    ++by_council[{text.substr(0, text.find(' ')), std::string(r.utla.code)}];
  });
  for (const auto& [key, units] : by_council)
    ASSERT_EQ(g.units_within(parse_postcode(key.first), key.second), units) << key.first << " " << key.second;
  EXPECT_EQ(g.units_within(parse_postcode("HP20 1"), "E99999999"), 0u);
  ASSERT_GT(sectors.size(), 1000u);
  std::size_t single = 0;
  for (const auto& [sector, units] : sectors) {
    ASSERT_EQ(g.units_within(parse_postcode(sector)), units) << sector;
    single += units == 1;
  }
  EXPECT_GT(single, 10u);  // sectors of one unit exist: a sector centroid can be a home
  for (const auto& [district, units] : districts) ASSERT_EQ(g.units_within(parse_postcode(district)), units) << district;
  // A unit answers for its sector; what is not in the file has none.
  EXPECT_EQ(g.units_within(parse_postcode("HP20 1AA")), sectors.at("HP20 1"));
  EXPECT_EQ(g.units_within(parse_postcode("ZZ1 1")), 0u);
  EXPECT_EQ(g.units_within(parse_postcode("HP")), 0u);
}

}  // namespace
}  // namespace placedist
