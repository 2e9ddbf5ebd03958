// The number and case helpers of geo/io.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "geo/io/ascii_case.hpp"
#include "geo/io/number_text.hpp"

using namespace placedist::geo;

namespace placedist {
namespace {

std::string fixed(double v, int decimals) {
  std::string out;
  append_fixed(out, v, decimals);
  return out;
}
std::string number(double v, int decimals) {
  std::string out;
  append_number(out, v, decimals);
  return out;
}
std::string json_number(double v, int decimals) {
  std::string out;
  append_json_number(out, v, decimals);
  return out;
}

TEST(NumberText, RoundsHalfAwayFromZero) {
  EXPECT_EQ(round_to(2.5, 0), 3);
  EXPECT_EQ(round_to(-2.5, 0), -3);
  EXPECT_EQ(round_to(0.25, 1), 0.3);  // 0.25 is exact in binary: a true tie
  EXPECT_EQ(round_to(-0.125, 2), -0.13);
  EXPECT_TRUE(std::isnan(round_to(std::nan(""), 2)));
  EXPECT_EQ(round_to(std::numeric_limits<double>::infinity(), 2), std::numeric_limits<double>::infinity());
}

TEST(NumberText, FixedKeepsEveryPlace) {
  EXPECT_EQ(fixed(12.3, 2), "12.30");
  EXPECT_EQ(fixed(0.25, 1), "0.3");  // printf would write 0.2 (half to even)
  EXPECT_EQ(fixed(-0.8094523, 6), "-0.809452");
  EXPECT_EQ(fixed(-0.00000004, 6), "0.000000");  // no negative zero
  EXPECT_EQ(fixed(7, 0), "7");
  EXPECT_EQ(fixed(1e20, 1), "100000000000000000000.0");
  EXPECT_EQ(fixed(std::nan(""), 2), "");
}

TEST(NumberText, NumberDropsAZeroFraction) {
  EXPECT_EQ(number(482158.0, 1), "482158");
  EXPECT_EQ(number(482158.04, 1), "482158");
  EXPECT_EQ(number(482158.5, 1), "482158.5");
  EXPECT_EQ(number(1.5, 2), "1.50");
  EXPECT_EQ(number(std::nan(""), 1), "");
}

TEST(NumberText, TrimmedDropsTrailingZeros) {
  std::string out;
  for (double v : {52.5, 20.0, -0.8094523, 0.000001, -0.0000001}) {
    append_trimmed(out, v, 6);
    out += ' ';
  }
  EXPECT_EQ(out, "52.5 20 -0.809452 0.000001 0 ");
}

TEST(NumberText, JsonNumberWritesNullForNaN) {
  EXPECT_EQ(json_number(20.0, 3), "20");
  EXPECT_EQ(json_number(12.3456, 2), "12.35");
  EXPECT_EQ(json_number(std::nan(""), 1), "null");
  EXPECT_EQ(json_number(-std::numeric_limits<double>::infinity(), 1), "null");
}

TEST(AsciiCase, FoldsOnlyAsciiLetters) {
  EXPECT_EQ(ascii_lower("PCDS_Ynys M\xC3\x94N"), "pcds_ynys m\xC3\x94n");  // UTF-8 bytes kept
  EXPECT_TRUE(equals_ignoring_ascii_case("Buckinghamshire", "BUCKINGHAMSHIRE"));
  EXPECT_FALSE(equals_ignoring_ascii_case("Bucks", "Buck"));
  EXPECT_TRUE(starts_with_ignoring_ascii_case("pg:dbname=x", "PG:"));
  EXPECT_FALSE(starts_with_ignoring_ascii_case("P", "PG:"));
}

}  // namespace
}  // namespace placedist
