#include "geo/postcode.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "geo/data_dir.hpp"
#include "geo/io/csv_reader.hpp"

using namespace placedist::geo;

namespace placedist {
namespace {

std::string norm(std::string_view typed) { return std::string(parse_postcode(typed).normalised()); }
PostcodeShape shape(std::string_view typed) { return parse_postcode(typed).shape; }
PostcodeLevel level(std::string_view typed) { return parse_postcode(typed).level; }

TEST(Postcode, EveryUnitFormat) {
  for (auto [typed, expected] : std::initializer_list<std::pair<const char*, const char*>>{
           {"M1 1AE", "M1 1AE"},      // A9 9AA
           {"B33 8TH", "B33 8TH"},    // A99 9AA
           {"CR2 6XH", "CR2 6XH"},    // AA9 9AA
           {"DN55 1PT", "DN55 1PT"},  // AA99 9AA
           {"W1A 0AX", "W1A 0AX"},    // A9A 9AA
           {"EC1A 1BB", "EC1A 1BB"},  // AA9A 9AA
       }) {
    Postcode pc = parse_postcode(typed);
    EXPECT_TRUE(pc.ok()) << typed;
    EXPECT_EQ(pc.level, PostcodeLevel::unit) << typed;
    EXPECT_EQ(pc.normalised(), expected);
  }
}

TEST(Postcode, NormalisesCaseSpacesAndQuotes) {
  EXPECT_EQ(norm("hp20 1aa"), "HP20 1AA");
  EXPECT_EQ(norm("HP201AA"), "HP20 1AA");
  EXPECT_EQ(norm("  HP20   1AA \t"), "HP20 1AA");
  EXPECT_EQ(norm("\"HP20 1AA\""), "HP20 1AA");
  EXPECT_EQ(norm("' hp2 01aa '"), "HP20 1AA");  // a misplaced space is moved before the inward code
  EXPECT_EQ(norm("HP20\r\n1AA"), "HP20 1AA");
}

TEST(Postcode, MendsUnambiguousSlips) {
  EXPECT_EQ(norm("HP20 OAA"), "HP20 0AA");  // letter O typed for zero in the inward digit
  EXPECT_EQ(norm("HP20 IAA"), "HP20 1AA");  // letter I typed for one
  EXPECT_EQ(norm("0X4 1AA"), "OX4 1AA");    // zero typed for the letter O of an area
  EXPECT_EQ(norm("HP20 O"), "HP20 0");      // and in a sector
}

TEST(Postcode, PartialLevels) {
  EXPECT_EQ(level("HP20 1"), PostcodeLevel::sector);
  EXPECT_EQ(norm("hp20 1"), "HP20 1");
  EXPECT_EQ(level("HP20"), PostcodeLevel::district);
  EXPECT_EQ(level("HP"), PostcodeLevel::area);
  EXPECT_EQ(level("W"), PostcodeLevel::area);
  EXPECT_EQ(level("W11"), PostcodeLevel::district);  // not sector W1 1: a district reading wins without a space
  EXPECT_EQ(level("W1 1"), PostcodeLevel::sector);
  EXPECT_EQ(level("HP201"), PostcodeLevel::sector);  // no district HP201, so HP20 1
  EXPECT_EQ(norm("HP201"), "HP20 1");
  EXPECT_EQ(parse_postcode("HP20 1AA").sector, 1);
  EXPECT_EQ(parse_postcode("HP20 1AA").inward, 1 * 676 + 0 * 26 + 0);
  EXPECT_EQ(parse_postcode("HP20 9ZZ").inward, 9 * 676 + 25 * 26 + 25);
}

TEST(Postcode, EachMalformedShape) {
  for (const char* typed : {"HP20 1A", "HP20 1AAA", "12345", "HP20 1CA", "HP20 1AI",  // inward letters C I K M O V
                            "QP20 1AA", "VA1 1AA", "XA1 1AA",                         // Q V X never first
                            "AI1 1AA", "AZ1 1AA",                                     // I J Z never second
                            "HP20 1AA HP20", "@@", "HP-20",
                            "H"
                            "P20 1A!",
                            "ABCDE", "1AA"}) {
    EXPECT_EQ(shape(typed), PostcodeShape::malformed) << typed;
  }
  EXPECT_EQ(shape("W1M 0AA"), PostcodeShape::valid);  // terminated, against the modern letter rules
  EXPECT_EQ(shape(""), PostcodeShape::empty);
  EXPECT_EQ(shape("  \"\"  "), PostcodeShape::empty);
  EXPECT_EQ(shape(std::string(200, 'A')), PostcodeShape::malformed);
}

TEST(Postcode, NonGeographicCodesAreRecognised) {
  for (const char* typed : {"GIR 0AA", "gir0aa", "BFPO 1234", "BFPO 57", "ZZ99 3VZ", "ZZ99 3WZ", "ASCN 1ZZ", "STHL 1ZZ",
                            "BIQQ 1ZZ", "FIQQ 1ZZ", "TDCU 1ZZ", "SAN TA1", "GX11 1AA"}) {
    EXPECT_EQ(shape(typed), PostcodeShape::non_geographic) << typed;
  }
  EXPECT_EQ(norm("gir0aa"), "GIR 0AA");
}

TEST(Postcode, OutwardKeysOrderAndRoundTrip) {
  EXPECT_LT(pack_outward("HP1"), pack_outward("HP10"));
  EXPECT_LT(pack_outward("HP10"), pack_outward("HP2"));
  EXPECT_EQ(unpack_outward(pack_outward("EC1A")), "EC1A");
  EXPECT_EQ(unpack_outward(area_of(pack_outward("EC1A"))), "EC");
  EXPECT_EQ(unpack_outward(area_of(pack_outward("W1A"))), "W");
  EXPECT_EQ(unpack_outward(area_of(pack_outward("B33"))), "B");
}

// Every postcode Royal Mail lists (Code-Point Open 2025, all 120 areas) parses as a valid unit.
TEST(Postcode, EveryCodePointPostcodeIsValid) {
  std::size_t rows = 0, bad = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(data_file("postcodes/codepoint_open_2025_10/Data/CSV"))) {
    CsvReader csv(entry.path());
    while (csv.next()) {
      ++rows;
      Postcode pc = parse_postcode(csv[0]);
      bad += !(pc.ok() && pc.level == PostcodeLevel::unit);
    }
  }
  EXPECT_EQ(rows, 1745849u);
  EXPECT_EQ(bad, 0u);
}

}  // namespace
}  // namespace placedist
