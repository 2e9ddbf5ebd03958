#pragma once
// UK postcodes: parsing, normalising and validating what a caseworker typed.
//
//   unit      HP20 1AA   outward code + inward code (the whole postcode)
//   sector    HP20 1     outward code + the inward digit
//   district  HP20       the outward code
//   area      HP         the letters of the outward code
//
// Normalising upper-cases, drops surrounding quotes, whitespace and stray punctuation
// ("HP20 1AA," "(HP20 1AA)."), collapses or inserts the space before the inward code and mends
// the letter O typed for zero and I for one (or the other way) where the position forces the
// reading: the inward digit, and the outward code (SWIA -> SW1A, S014 -> SO14, C04 -> CO4: no
// area C). Where an outward code has two well-formed readings (S01, SO1) the first is taken and
// the other kept in `alternative` for the directory to decide (Gazetteer::resolve).
// Non-geographic postcodes (GIR 0AA, BFPO, British Forces BF1, BX, the NHS ZZ99
// pseudo-postcodes, overseas territories, SAN TA1) are recognised, reported as such and
// normalised too.
#include <cstdint>
#include <string>
#include <string_view>

namespace placedist::geo {

enum class PostcodeLevel : std::uint8_t { none, area, district, sector, unit };
const char* to_string(PostcodeLevel level);

enum class PostcodeShape : std::uint8_t {
  valid,           // a well-formed postcode at `level`
  empty,           // nothing but blanks or quotes
  malformed,       // not a UK postcode shape
  non_geographic,  // a real code that has no place on the ground
};

// Outward code packed for ordering and hashing: up to 4 ASCII characters, first
// character in the most significant byte, padded with zero bytes.
using OutwardKey = std::uint32_t;
// The inward code "9AA" as digit*676 + letter*26 + letter, 0..6759.
using InwardIndex = std::uint16_t;
inline constexpr int kInwardCodes = 6760;

struct Postcode {
  PostcodeShape shape = PostcodeShape::empty;
  PostcodeLevel level = PostcodeLevel::none;
  OutwardKey outward = 0;
  std::int8_t sector = -1;  // the inward digit, for sector and unit levels
  InwardIndex inward = 0;   // for unit level
  char text[9] = {};        // normalised form, e.g. "HP20 1AA", "HP20 1", "HP20", "HP"
  std::uint8_t length = 0;
  OutwardKey alternative = 0;  // another well-formed reading of the outward code (O/0, I/1), or 0
  bool mended = false;         // the directory chose the alternative reading (Gazetteer::resolve)

  std::string_view normalised() const { return {text, length}; }
  bool ok() const { return shape == PostcodeShape::valid; }
  // Has a normalised form: valid or non-geographic.
  bool well_formed() const { return shape == PostcodeShape::valid || shape == PostcodeShape::non_geographic; }
};

// Never throws; the shape says what was found.
Postcode parse_postcode(std::string_view typed);

// Helpers shared with the gazetteer.
OutwardKey pack_outward(std::string_view outward);
std::string unpack_outward(OutwardKey key);
// The area letters of an outward code ("HP" of "HP20").
OutwardKey area_of(OutwardKey outward);

}  // namespace placedist::geo
