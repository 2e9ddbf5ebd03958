#include "geo/postcode.hpp"

#include <algorithm>
#include <array>
#include <cstring>

namespace placedist::geo {

const char* to_string(PostcodeLevel level) {
  switch (level) {
    case PostcodeLevel::none: return "none";
    case PostcodeLevel::area: return "area";
    case PostcodeLevel::district: return "district";
    case PostcodeLevel::sector: return "sector";
    case PostcodeLevel::unit: return "unit";
  }
  return "none";
}

namespace {

bool is_letter(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
// Letter rules of BS 7666 as applied by Royal Mail.
bool first_letter_ok(char c) { return is_letter(c) && c != 'Q' && c != 'V' && c != 'X'; }
bool second_letter_ok(char c) { return is_letter(c) && c != 'I' && c != 'J' && c != 'Z'; }
bool inward_letter_ok(char c) {
  return is_letter(c) && c != 'C' && c != 'I' && c != 'K' && c != 'M' && c != 'O' && c != 'V';
}

// A9, A99, AA9, AA99, A9A, AA9A. The rules for a final letter (A9A: ABCDEFGHJKPSTUW,
// AA9A: ABEHMNPRVWXY) are not applied: terminated districts such as W1M broke them.
bool outward_ok(const char* c, int n) {
  if (n < 2 || n > 4 || !first_letter_ok(c[0])) return false;
  if (n == 2) return is_digit(c[1]);
  if (n == 3) {
    if (is_digit(c[1])) return is_digit(c[2]) || is_letter(c[2]);
    return second_letter_ok(c[1]) && is_digit(c[2]);
  }
  return second_letter_ok(c[1]) && is_digit(c[2]) && (is_digit(c[3]) || is_letter(c[3]));
}

// Royal Mail's only one-letter areas (Birmingham, London E, Glasgow, Liverpool, Manchester,
// London N, Sheffield, London W): an outward code mended into A9, A99 or A9A must start with one.
bool single_letter_area(char c) {
  return c == 'B' || c == 'E' || c == 'G' || c == 'L' || c == 'M' || c == 'N' || c == 'S' || c == 'W';
}

// The outward shapes, 'a' a letter and '9' a digit.
constexpr std::array<std::string_view, 6> kOutwardShapes = {"a9", "a99", "a9a", "aa9", "aa99", "aa9a"};

struct OutwardReading {
  char text[4];
  int changes = 0;         // characters read as the other of O/0 or I/1
  bool real_area = false;  // two letters, or one of the one-letter areas
};

// Reads `typed` (n characters) in `shape`, taking O/0 and I/1 as the class each position needs.
// False when another character does not fit, when the reading breaks the letter rules, or when
// it ends the outward code in the letter I or O (no district does: W1O is W10).
bool read_outward(const char* typed, int n, std::string_view shape, OutwardReading& reading) {
  if (static_cast<int>(shape.size()) != n) return false;
  reading.changes = 0;
  for (int i = 0; i < n; ++i) {
    char c = typed[i];
    char read = shape[i] == '9' ? (c == 'O' ? '0' : c == 'I' ? '1' : c) : (c == '0' ? 'O' : c == '1' ? 'I' : c);
    if (shape[i] == '9' ? !is_digit(read) : !is_letter(read)) return false;
    if (shape[i] == 'a' && i == n - 1 && n > 2 && (read == 'I' || read == 'O')) return false;
    reading.changes += read != c;
    reading.text[i] = read;
  }
  reading.real_area = shape[1] != '9' || single_letter_area(reading.text[0]);
  return outward_ok(reading.text, n);
}

// Mends the outward code `c` (n characters) in place to its best reading: as typed when that is
// well-formed, else the one with fewest mends; a mend must give a real area, and beats a typed
// one-letter area that does not exist (C04 is CO4). A second reading, when there is one, goes to
// *alternative for the directory to decide (S01 or SO1). False when there is no reading.
// (By these rules only the second character of a three-character code can stay ambiguous.)
bool mend_outward(char* c, int n, OutwardKey* alternative) {
  std::array<OutwardReading, kOutwardShapes.size()> readings;
  int count = 0;
  bool any_real = false;
  *alternative = 0;
  for (std::string_view shape : kOutwardShapes) {
    OutwardReading& r = readings[count];
    if (!read_outward(c, n, shape, r) || (r.changes > 0 && !r.real_area)) continue;
    any_real |= r.real_area;
    ++count;
  }
  if (any_real)
    count = static_cast<int>(std::remove_if(readings.begin(), readings.begin() + count,
                                            [](const OutwardReading& r) { return !r.real_area; }) -
                             readings.begin());
  if (count == 0) return outward_ok(c, n);  // as typed, nothing better (A11): an unknown district
  std::stable_sort(readings.begin(), readings.begin() + count,
                   [](const OutwardReading& a, const OutwardReading& b) { return a.changes < b.changes; });
  std::memcpy(c, readings[0].text, static_cast<std::size_t>(n));
  *alternative = count > 1 ? pack_outward(std::string_view(readings[1].text, static_cast<std::size_t>(n))) : 0;
  return true;
}

// Unambiguous slips: an inward or sector digit typed as the letter O or I.
char mend_digit(char c) { return c == 'O' ? '0' : c == 'I' ? '1' : c; }

bool all_digits(std::string_view s) {
  for (char c : s)
    if (!is_digit(c)) return false;
  return true;
}

// Codes with no place on the ground that break the outward rules: GIR 0AA, the overseas
// territories, SAN TA1 and the NHS ZZ99 pseudo-postcodes.
bool is_special_non_geographic(std::string_view compact) {
  static constexpr std::array<std::string_view, 12> kCodes = {"ASCN1ZZ", "BBND1ZZ", "BIQQ1ZZ", "FIQQ1ZZ",
                                                              "PCRN1ZZ", "SIQQ1ZZ", "STHL1ZZ", "TDCU1ZZ",
                                                              "TKCA1ZZ", "GX111AA", "SANTA1",  "GIR0AA"};
  for (std::string_view code : kCodes)
    if (compact == code) return true;
  return compact.starts_with("ZZ99");
}

// Stray punctuation typed around a postcode ("HP20 1AA," or "(HP20 1AA).").
bool stray(char c) {
  return is_blank(c) || c == '"' || c == '\'' || c == ',' || c == '.' || c == ';' || c == ':' || c == '(' || c == ')' ||
         c == '[' || c == ']' || c == '<' || c == '>';
}

void set_text(Postcode& pc, std::string_view outward, std::string_view inward) {
  std::memcpy(pc.text, outward.data(), outward.size());
  pc.length = static_cast<std::uint8_t>(outward.size());
  if (!inward.empty()) {
    pc.text[pc.length++] = ' ';
    std::memcpy(pc.text + pc.length, inward.data(), inward.size());
    pc.length += static_cast<std::uint8_t>(inward.size());
  }
}

}  // namespace

OutwardKey pack_outward(std::string_view outward) {
  OutwardKey key = 0;
  for (int i = 0; i < 4; ++i)
    key = (key << 8) | (i < static_cast<int>(outward.size()) ? static_cast<unsigned char>(outward[i]) : 0u);
  return key;
}

std::string unpack_outward(OutwardKey key) {
  std::string out;
  for (int shift = 24; shift >= 0; shift -= 8)
    if (char c = static_cast<char>((key >> shift) & 0xFF)) out.push_back(c);
  return out;
}

OutwardKey area_of(OutwardKey outward) {
  OutwardKey second = (outward >> 16) & 0xFF;
  return is_letter(static_cast<char>(second)) ? (outward & 0xFFFF0000u) : (outward & 0xFF000000u);
}

namespace {
// A well-formed code of the British Forces (BF) or non-geographic addresses (BX) areas has no
// place on the ground, nor has a mended reading that lands on a special code ("GXII 1AA" is
// Gibraltar's GX11 1AA): its normalised form must parse back the same.
Postcode finish(Postcode pc) {
  OutwardKey area = area_of(pc.outward);
  char compact[sizeof pc.text];
  const auto end = std::remove_copy(pc.text, pc.text + pc.length, compact, ' ');
  const std::string_view mended(compact, static_cast<std::size_t>(end - compact));
  if (area == pack_outward("BF") || area == pack_outward("BX") || is_special_non_geographic(mended)) {
    pc.shape = PostcodeShape::non_geographic;
    pc.alternative = 0;
  }
  return pc;
}
}  // namespace

Postcode parse_postcode(std::string_view typed) {
  Postcode pc;
  while (!typed.empty() && stray(typed.front())) typed.remove_prefix(1);
  while (!typed.empty() && stray(typed.back())) typed.remove_suffix(1);
  if (typed.empty()) return pc;

  // Compact upper-case form, remembering where the first blank stood.
  char compact[16];
  int n = 0;
  int space_at = -1;
  for (char c : typed) {
    if (is_blank(c)) {
      if (space_at < 0) space_at = n;
      continue;
    }
    if (n == static_cast<int>(sizeof compact)) {
      pc.shape = PostcodeShape::malformed;
      return pc;
    }
    compact[n++] = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  std::string_view all(compact, n);

  if (all.starts_with("BFPO") && n <= 8 && all_digits(all.substr(4))) {  // BFPO 57, BFPO 1234
    pc.shape = PostcodeShape::non_geographic;
    pc.level = n > 4 ? PostcodeLevel::unit : PostcodeLevel::district;
    set_text(pc, all.substr(0, 4), all.substr(4));
    return pc;
  }
  if (is_special_non_geographic(all)) {
    pc.shape = PostcodeShape::non_geographic;
    pc.level = n > 4 ? PostcodeLevel::unit : PostcodeLevel::district;
    if (n >= 5 && n <= 7)
      set_text(pc, all.substr(0, n - 3), all.substr(n - 3));
    else
      set_text(pc, all.substr(0, std::min(n, 8)), {});
    return pc;
  }

  pc.shape = PostcodeShape::valid;
  // Unit: the inward code is always the last three characters.
  if (n >= 5 && n <= 7) {
    char digit = mend_digit(compact[n - 3]);
    if (is_digit(digit) && inward_letter_ok(compact[n - 2]) && inward_letter_ok(compact[n - 1]) &&
        mend_outward(compact, n - 3, &pc.alternative)) {
      compact[n - 3] = digit;
      pc.level = PostcodeLevel::unit;
      pc.outward = pack_outward(all.substr(0, n - 3));
      pc.sector = static_cast<std::int8_t>(digit - '0');
      pc.inward = static_cast<InwardIndex>((digit - '0') * 676 + (compact[n - 2] - 'A') * 26 + (compact[n - 1] - 'A'));
      set_text(pc, all.substr(0, n - 3), all.substr(n - 3));
      return finish(pc);
    }
  }
  // An outward code of `length` characters at the front, mended in place; false when none.
  auto outward_at_front = [&](int length) {
    if (length < 2 || length > 4) return false;
    char outward[4];
    std::memcpy(outward, compact, static_cast<std::size_t>(length));
    if (!mend_outward(outward, length, &pc.alternative)) return false;
    std::memcpy(compact, outward, static_cast<std::size_t>(length));
    return true;
  };
  // Sector typed with its space ("HP20 1"), or without one where no district reading exists.
  auto sector = [&](int outward_length) {
    char digit = mend_digit(compact[n - 1]);
    if (!is_digit(digit) || !outward_at_front(outward_length)) return false;
    compact[n - 1] = digit;
    pc.level = PostcodeLevel::sector;
    pc.outward = pack_outward(all.substr(0, outward_length));
    pc.sector = static_cast<std::int8_t>(digit - '0');
    set_text(pc, all.substr(0, outward_length), all.substr(n - 1));
    return true;
  };
  if (space_at > 0 && space_at == n - 1 && sector(n - 1)) return finish(pc);
  if (outward_at_front(n)) {
    pc.level = PostcodeLevel::district;
    pc.outward = pack_outward(all);
    set_text(pc, all, {});
    return finish(pc);
  }
  if ((n == 1 && first_letter_ok(compact[0])) ||
      (n == 2 && first_letter_ok(compact[0]) && second_letter_ok(compact[1]))) {
    pc.level = PostcodeLevel::area;
    pc.outward = pack_outward(all);
    set_text(pc, all, {});
    return finish(pc);
  }
  if (space_at < 0 && n >= 3 && n <= 5 && sector(n - 1)) return finish(pc);
  pc = Postcode{};
  pc.shape = PostcodeShape::malformed;
  return pc;
}

}  // namespace placedist::geo
