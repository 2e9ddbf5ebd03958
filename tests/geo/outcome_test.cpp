// The one outcome vocabulary: every code is stable (outputs carry these strings), unique, reads
// back, and sits in the group the front ends map to exit codes and HTTP statuses.
#include "geo/outcome.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace placedist {
namespace {

constexpr int kOutcomes = static_cast<int>(Outcome::internal) + 1;

TEST(Outcome, CodesAreUniqueAndReadBack) {
  std::set<std::string> codes;
  for (int i = 0; i < kOutcomes; ++i) {
    const Outcome outcome = static_cast<Outcome>(i);
    const std::string code = to_string(outcome);
    EXPECT_TRUE(codes.insert(code).second) << code;
    EXPECT_EQ(parse_outcome(code), outcome) << code;
  }
  EXPECT_EQ(parse_outcome("no_such_code"), std::nullopt);
  EXPECT_EQ(parse_outcome(""), std::nullopt);
}

// The strings placements.csv, geocode output, road columns and the service's error bodies have
// always carried: changing one breaks users' scripts.
TEST(Outcome, CodesAreTheOnesOutputsCarry) {
  const char* expected[] = {"ok",
                            "terminated",
                            "approximate",
                            "empty",
                            "malformed",
                            "non_geographic",
                            "unknown",
                            "no_coordinates",
                            "no_road_within_radius",
                            "no_route",
                            "outside_network",
                            "uasc",
                            "home_not_located",
                            "placement_not_located",
                            "not_located",
                            "bad_row",
                            "bad_request",
                            "malformed_json",
                            "wrong_type",
                            "missing_parameter",
                            "invalid_value",
                            "invalid_utf8",
                            "unauthorized",
                            "not_found",
                            "payload_too_large",
                            "too_many_rows",
                            "forbidden_origin",
                            "misdirected",
                            "unsupported_encoding",
                            "header_too_large",
                            "request_timeout",
                            "busy",
                            "not_loaded",
                            "unreadable",
                            "layer_missing",
                            "field_missing",
                            "field_ambiguous",
                            "crs_missing",
                            "transform_failed",
                            "no_polygons",
                            "corrupt",
                            "internal"};
  ASSERT_EQ(std::size(expected), static_cast<std::size_t>(kOutcomes));
  for (int i = 0; i < kOutcomes; ++i) EXPECT_STREQ(to_string(static_cast<Outcome>(i)), expected[i]);
}

TEST(Outcome, Groups) {
  EXPECT_EQ(group(Outcome::ok), OutcomeGroup::success);
  for (Outcome o : {Outcome::terminated, Outcome::approximate, Outcome::uasc})
    EXPECT_EQ(group(o), OutcomeGroup::warning);
  for (Outcome o :
       {Outcome::unknown, Outcome::no_route, Outcome::outside_network, Outcome::home_not_located, Outcome::bad_row})
    EXPECT_EQ(group(o), OutcomeGroup::unanswered) << to_string(o);
  for (Outcome o : {Outcome::invalid_value, Outcome::missing_parameter, Outcome::unauthorized, Outcome::too_many_rows})
    EXPECT_EQ(group(o), OutcomeGroup::request) << to_string(o);
  for (Outcome o : {Outcome::unreadable, Outcome::no_polygons, Outcome::corrupt, Outcome::not_loaded})
    EXPECT_EQ(group(o), OutcomeGroup::data) << to_string(o);
  EXPECT_EQ(group(Outcome::internal), OutcomeGroup::internal);
}

TEST(Outcome, FailureCarriesItsOutcome) {
  try {
    throw Failure(Outcome::corrupt, "gazetteer x.pdg: bad magic");
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "gazetteer x.pdg: bad magic");
    ASSERT_NE(dynamic_cast<const Failure*>(&e), nullptr);
    EXPECT_EQ(dynamic_cast<const Failure&>(e).outcome(), Outcome::corrupt);
  }
}

}  // namespace
}  // namespace placedist
