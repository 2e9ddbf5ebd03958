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

// The slips of issue 13, each forced by the format: SWIA (a fourth character after W must follow
// a digit), S014 (a four-character code has two letters), C04 and P06 (no one-letter area C or P).
TEST(Postcode, MendsOutwardSlipsTheFormatForces) {
  for (auto [typed, expected] : std::initializer_list<std::pair<const char*, const char*>>{
           {"SWIA 2AA", "SW1A 2AA"},
           {"S014 OYG", "SO14 0YG"},
           {"C04 ODT", "CO4 0DT"},
           {"P06 3LY", "PO6 3LY"},
           {"1P1 1AA", "IP1 1AA"},  // an area starts with a letter
           {"0L1 1AA", "OL1 1AA"},
           {"W1O 1AA", "W10 1AA"},  // no outward code ends in O or I
           {"ECIA 1BB", "EC1A 1BB"},
           {"SO14", "SO14"},
           {"S014", "SO14"},      // a district
           {"SWIA 2", "SW1A 2"},  // a sector
           {"0X4 1AA", "OX4 1AA"},
       }) {
    Postcode pc = parse_postcode(typed);
    EXPECT_TRUE(pc.ok()) << typed;
    EXPECT_EQ(pc.normalised(), expected) << typed;
    EXPECT_EQ(pc.alternative, 0u) << typed;  // nothing left for the directory to decide
    EXPECT_EQ(unpack_outward(pc.outward), std::string(expected).substr(0, std::string(expected).find(' ')));
  }
  EXPECT_EQ(parse_postcode("C04 ODT").inward, parse_postcode("CO4 0DT").inward);
  // Well-formed as typed with a real area: left alone, with no alternative reading.
  for (const char* typed : {"HP20 1AA", "W1M 0AA", "W11 1AA", "B33 8TH", "E1 6AN", "A11 1AA"}) {
    EXPECT_EQ(norm(typed), typed);
    EXPECT_EQ(parse_postcode(typed).alternative, 0u) << typed;
  }
}

// Where both readings are well-formed (S01 and SO1: Sheffield has one-letter area S) the parse
// keeps the reading as typed and offers the other to the directory (Gazetteer::resolve).
TEST(Postcode, OffersTheOtherReadingWhenTwoAreWellFormed) {
  Postcode typed_zero = parse_postcode("S01 0AA");
  EXPECT_EQ(typed_zero.normalised(), "S01 0AA");
  EXPECT_EQ(unpack_outward(typed_zero.alternative), "SO1");
  Postcode typed_o = parse_postcode("so1 0aa");
  EXPECT_EQ(typed_o.normalised(), "SO1 0AA");
  EXPECT_EQ(unpack_outward(typed_o.alternative), "S01");
  EXPECT_EQ(unpack_outward(parse_postcode("SOI 0AA").alternative), "S01");  // SO1 first: one mend, not two
  EXPECT_EQ(norm("SOI 0AA"), "SO1 0AA");
  EXPECT_FALSE(typed_zero.mended);
}

TEST(Postcode, StripsStrayPunctuationAround) {
  EXPECT_EQ(norm("\"HP20 1AA,\""), "HP20 1AA");
  EXPECT_EQ(norm("HP20 1AA."), "HP20 1AA");
  EXPECT_EQ(norm("(HP20 1AA);"), "HP20 1AA");
  EXPECT_EQ(norm(" hp20 1aa: "), "HP20 1AA");
  EXPECT_EQ(norm("[HP20]"), "HP20");
  EXPECT_EQ(shape("SL1 1AA, Slough"), PostcodeShape::malformed);  // punctuation inside stays
  EXPECT_EQ(shape("HP20.1AA"), PostcodeShape::malformed);
  EXPECT_EQ(shape(",.;"), PostcodeShape::empty);
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

// Non-geographic codes are normalised like the others (pc_normalised is never empty for them).
TEST(Postcode, NonGeographicCodesAreNormalised) {
  for (auto [typed, expected] : std::initializer_list<std::pair<const char*, const char*>>{
           {"GIR0AA", "GIR 0AA"},
           {"bfpo57", "BFPO 57"},
           {"BFPO 1234", "BFPO 1234"},
           {"BFPO", "BFPO"},
           {"BF1 3AD", "BF1 3AD"},  // British Forces
           {"bf13ad", "BF1 3AD"},
           {"BX1 1LT", "BX1 1LT"},
           {"ZZ993VZ", "ZZ99 3VZ"},
           {"stHL1zz", "STHL 1ZZ"},
           {"SANTA1", "SAN TA1"},
           {"GXII 1AA", "GX11 1AA"},  // a mended reading of Gibraltar's code is Gibraltar's code
           {"gx1iiaa", "GX11 1AA"},
       }) {
    Postcode pc = parse_postcode(typed);
    EXPECT_EQ(pc.shape, PostcodeShape::non_geographic) << typed;
    EXPECT_TRUE(pc.well_formed()) << typed;
    EXPECT_FALSE(pc.ok()) << typed;
    EXPECT_EQ(pc.normalised(), expected) << typed;
  }
  EXPECT_EQ(shape("BFPO 12345"), PostcodeShape::malformed);
  EXPECT_EQ(shape("BFPO X"), PostcodeShape::malformed);
  EXPECT_FALSE(parse_postcode("NOT A PC").well_formed());
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
