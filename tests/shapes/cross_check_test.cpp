// Polygons against postcode council codes on real data: Code-Point Open 2025, the 12 areas
// around Buckinghamshire (plain/*.csv), against the 20 m BGC and the 500 m BUC boundaries.
// The figures are those PROVENANCE.md sections 2.1 and 2.3 report.
#include <gtest/gtest.h>

#include "geo/data_dir.hpp"
#include "shapes/boundaries.hpp"
#include "shapes/cross_check.hpp"
#include "shapes/locate.hpp"
#include "tests/shapes/codepoint_csv.hpp"

using namespace placedist::geo;
using namespace placedist::shapes;

namespace placedist {
namespace {

class CrossCheckBucks : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_rows = new std::vector<testing::CodePointRow>(
        testing::read_codepoint_folder(data_file("postcodes/codepoint_open_2025_10/plain"), ".csv"));
    s_points = new std::vector<CodedPoint>();
    for (const auto& r : *s_rows) s_points->push_back({r.at, r.upper_tier()});
  }
  static void TearDownTestSuite() {
    delete s_rows;
    delete s_points;
  }
  static std::vector<testing::CodePointRow>* s_rows;
  static std::vector<CodedPoint>* s_points;
};
std::vector<testing::CodePointRow>* CrossCheckBucks::s_rows = nullptr;
std::vector<CodedPoint>* CrossCheckBucks::s_points = nullptr;

TEST_F(CrossCheckBucks, ReadsAllTwelveAreas) {
  EXPECT_EQ(s_points->size(), 165864u);  // rows with coordinates (PQI 90 dropped)
}

TEST_F(CrossCheckBucks, BgcTwentyMetreBoundariesAgreeAlmostPerfectly) {
  const Boundaries b =
      Boundaries::load(data_file("boundaries/geography_bits/utla_bgc_bucks_and_neighbours_dissolved.geojson"));
  const CrossCheck check = cross_check(b, *s_points);
  const CouncilAgreement* bucks = check.find("E06000060");
  ASSERT_NE(bucks, nullptr);
  EXPECT_EQ(bucks->coded, 16159u);
  EXPECT_EQ(bucks->agree, 16158u);
  EXPECT_EQ(bucks->elsewhere + bucks->nowhere, 1u);
  EXPECT_EQ(bucks->strays, 0u);  // no postcode coded elsewhere falls inside Bucks
  // The one exception is HP14 3YN.
  for (const auto& r : *s_rows) {
    if (r.postcode != "HP14 3YN") continue;
    EXPECT_EQ(r.district, "E06000060");
    EXPECT_NE(locate(b, r.at).code, "E06000060");
  }
  // Across all 19 areas: HP14 3YN plus the 6 postcodes PROVENANCE 2.3 finds in a UA other
  // than their own (Bracknell, W&M, Reading, Wokingham, Ealing/Hillingdon edges).
  EXPECT_EQ(check.coded_known, 149560u);
  EXPECT_EQ(check.disagree, 7u);
  std::printf("%s", format_cross_check(check).c_str());
}

TEST_F(CrossCheckBucks, BucFiveHundredMetreBoundariesDisagreeByTenthsOfAPercent) {
  const Boundaries b = Boundaries::load(data_file("boundaries/ons_ultra_generalised_500m/boundaries_utla21.geojson"));
  const CrossCheck check = cross_check(b, *s_points);
  const CouncilAgreement* bucks = check.find("E06000060");
  ASSERT_NE(bucks, nullptr);
  EXPECT_EQ(bucks->coded, 16159u);
  EXPECT_NEAR(100.0 * bucks->agreement(), 99.72, 0.005);
  EXPECT_EQ(bucks->strays, 150u);
  EXPECT_GT(check.disagree, 500u);  // 500 m generalisation: clearly worse than BGC
  std::printf("%s", format_cross_check(check).c_str());
}

TEST(CrossCheck, CountsEveryCase) {
  // Synthetic codes on real polygons: one agreeing, one coded to a neighbour, one unknown code,
  // one in the sea.
  const Boundaries b =
      Boundaries::load(data_file("boundaries/geography_bits/utla_bgc_bucks_and_neighbours_dissolved.geojson"));
  const auto bucks = b.find("E06000060");
  ASSERT_TRUE(bucks.has_value());
  const GridRef aylesbury_centre{482000, 213700};  // market square, Aylesbury
  ASSERT_EQ(locate(b, aylesbury_centre).code, "E06000060");
  const std::vector<CodedPoint> points{{aylesbury_centre, "E06000060"},
                                       {aylesbury_centre, "E06000042"},
                                       {aylesbury_centre, "S12000036"},
                                       {{100000, 100000}, "E06000060"}};
  const CrossCheck check = cross_check(b, points);
  EXPECT_EQ(check.points, 4u);
  EXPECT_EQ(check.coded_known, 3u);
  EXPECT_EQ(check.agree, 1u);
  EXPECT_EQ(check.disagree, 2u);
  EXPECT_EQ(check.coded_unknown, 1u);
  EXPECT_EQ(check.unknown_located, 1u);
  const CouncilAgreement& c = check.councils[*bucks];
  EXPECT_EQ(c.coded, 2u);
  EXPECT_EQ(c.agree, 1u);
  EXPECT_EQ(c.nowhere, 1u);
  EXPECT_EQ(c.strays, 2u);
  EXPECT_EQ(check.find("E06000042")->elsewhere, 1u);
}

}  // namespace
}  // namespace placedist
