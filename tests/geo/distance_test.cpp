// geo/distance: DfE straight-line miles from real Code-Point grid references, the rounding
// edges, and the geodesic against Karney's GeodTest rows.
#include "geo/distance.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "geo/data_dir.hpp"

using namespace placedist::geo;

namespace placedist {
namespace {

// Grid references of the named postcodes, read from Code-Point Open 2025 (HP area).
std::map<std::string, GridRef> codepoint_hp(std::initializer_list<const char*> wanted) {
  std::ifstream in(data_file("postcodes/codepoint_open_2025_10/plain/hp.csv"));
  std::map<std::string, GridRef> found;
  std::string line;
  while (std::getline(in, line)) {
    std::stringstream s(line);
    std::string postcode, quality, easting, northing;
    std::getline(s, postcode, ',');
    std::getline(s, quality, ',');
    std::getline(s, easting, ',');
    std::getline(s, northing, ',');
    postcode = postcode.substr(1, postcode.size() - 2);  // quoted
    for (const char* w : wanted)
      if (postcode == w) found[postcode] = {std::stod(easting), std::stod(northing)};
  }
  return found;
}

TEST(DfeMiles, RealPostcodePairsFromCodePoint) {
  auto at = codepoint_hp({"HP20 1UA", "HP11 1AA", "HP11 1BB", "HP3 8SB", "HP22 6JJ", "HP1 2DY"});
  ASSERT_EQ(at.size(), 6u);
  // Aylesbury HP20 1UA (481976, 213538) to High Wycombe HP11 1AA (486758, 192846):
  // dE = 4782, dN = -20692; sqrt(4782^2 + 20692^2) = sqrt(451,026,388) = 21,237.38 m;
  // 21.23738 km / 1.6093 = 13.1967 -> 13.2 miles.
  EXPECT_NEAR(planar_metres(at["HP20 1UA"], at["HP11 1AA"]), 21237.3819, 1e-3);
  EXPECT_NEAR(dfe_miles_exact(at["HP20 1UA"], at["HP11 1AA"]), 13.19666, 1e-5);
  EXPECT_DOUBLE_EQ(dfe_miles(at["HP20 1UA"], at["HP11 1AA"]), 13.2);
  EXPECT_DOUBLE_EQ(dfe_miles(at["HP11 1AA"], at["HP20 1UA"]), 13.2);  // symmetric
  // Neighbours HP11 1AA to HP11 1BB (486694, 192808): dE = 64, dN = 38, 74.43 m = 0.0462 mi -> 0.0.
  EXPECT_DOUBLE_EQ(dfe_miles(at["HP11 1AA"], at["HP11 1BB"]), 0.0);
  // Aylesbury to Hemel Hempstead HP3 8SB (509461, 204614): dE = 27485, dN = -8924,
  // sqrt(755,425,225 + 79,637,776) = 28,897.46 m; 28.89746 / 1.6093 = 17.9565 -> 18.0.
  EXPECT_DOUBLE_EQ(dfe_miles(at["HP20 1UA"], at["HP3 8SB"]), 18.0);
  // Real pairs that fall right by a rounding edge. HP22 6JJ (486750, 208200): dE = 4774,
  // dN = -5338, 7161.38 m = 4.449995 mi: below 4.45 by 8 mm, so 4.4 (snapping must not lift it).
  EXPECT_NEAR(dfe_miles_exact(at["HP20 1UA"], at["HP22 6JJ"]), 4.449995, 1e-6);
  EXPECT_DOUBLE_EQ(dfe_miles(at["HP20 1UA"], at["HP22 6JJ"]), 4.4);
  // HP1 2DY (501916, 205983): dE = 19940, dN = -7555, 21323.3 m = 13.250025 mi -> 13.3.
  EXPECT_DOUBLE_EQ(dfe_miles(at["HP20 1UA"], at["HP1 2DY"]), 13.3);
  EXPECT_DOUBLE_EQ(dfe_miles(at["HP20 1UA"], at["HP20 1UA"]), 0.0);
}

TEST(DfeMiles, HalvesRoundAwayFromZeroAsOnACalculator) {
  // 32266.465 m is 20.05 miles exactly in decimal, but 32266.465 / 1000 / 1.6093 is
  // 20.049999999999997 in binary: a naive floor(x * 10 + 0.5) gives 20.0; the DfE gets 20.1.
  EXPECT_LT(dfe_miles_exact({0, 0}, {32266.465, 0}), 20.05);
  EXPECT_DOUBLE_EQ(dfe_miles({0, 0}, {32266.465, 0}), 20.1);
  EXPECT_DOUBLE_EQ(dfe_miles({0, 0}, {0, 402.325}), 0.3);   // 0.25 mi
  EXPECT_DOUBLE_EQ(dfe_miles({0, 0}, {80.465, 0}), 0.1);    // 0.05 mi
  EXPECT_DOUBLE_EQ(dfe_miles({0, 0}, {3299.065, 0}), 2.1);  // 2.05 mi
  EXPECT_DOUBLE_EQ(dfe_miles({0, 0}, {3299.0, 0}), 2.0);    // 2.04996 mi
  // The 20-mile band edge: 32186 m is 20.0 miles exactly (inside "20 miles or less").
  EXPECT_DOUBLE_EQ(dfe_miles({100000, 100000}, {132186, 100000}), 20.0);
  EXPECT_DOUBLE_EQ(dfe_miles({100000, 100000}, {132267, 100000}), 20.1);
  EXPECT_TRUE(std::isnan(dfe_miles({NAN, 0}, {0, 0})));
}

TEST(Geodesic, MatchesEveryGeodTestRowToAMillimetre) {
  std::ifstream in(data_file("geodesy/geographiclib/GeodTest-100.dat"));
  double lat1, lon1, azi1, lat2, lon2, azi2, s12, a12, m12, area;
  int rows = 0;
  double worst = 0;
  while (in >> lat1 >> lon1 >> azi1 >> lat2 >> lon2 >> azi2 >> s12 >> a12 >> m12 >> area) {
    const double got = geodesic_metres({lon1, lat1}, {lon2, lat2});
    EXPECT_NEAR(got, s12, 0.001) << "row " << rows;
    worst = std::max(worst, std::abs(got - s12));
    ++rows;
  }
  EXPECT_EQ(rows, 100);
  std::printf("GeodTest-100: worst |s12 error| %.3g m\n", worst);
}

TEST(Geodesic, MilesAndBadInput) {
  // One degree of latitude at the equator on WGS84: 110,574.3886 m.
  EXPECT_NEAR(geodesic_metres({0, 0}, {0, 1}), 110574.3886, 1e-3);
  EXPECT_NEAR(geodesic_miles({0, 0}, {0, 1}), 110574.3886 / 1609.344, 1e-6);
  EXPECT_TRUE(std::isnan(geodesic_metres({0, 91}, {0, 0})));
  EXPECT_TRUE(std::isnan(geodesic_metres({NAN, 0}, {0, 0})));
}

}  // namespace
}  // namespace placedist
