#include "geo/postcode.hpp"

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

// Unambiguous slips: an inward or sector digit typed as the letter O or I.
char mend_digit(char c) { return c == 'O' ? '0' : c == 'I' ? '1' : c; }

bool is_non_geographic(std::string_view compact) {
  static constexpr std::array<std::string_view, 12> kOverseas = {"ASCN1ZZ", "BBND1ZZ", "BIQQ1ZZ", "FIQQ1ZZ",
                                                                 "PCRN1ZZ", "SIQQ1ZZ", "STHL1ZZ", "TDCU1ZZ",
                                                                 "TKCA1ZZ", "GX111AA", "SANTA1",  "GIR0AA"};
  for (std::string_view code : kOverseas)
    if (compact == code) return true;
  return compact.starts_with("BFPO") || compact.starts_with("ZZ99") || compact.starts_with("BX");
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

Postcode parse_postcode(std::string_view typed) {
  Postcode pc;
  // Trim blanks and quotes from both ends (quotes may be nested in blanks and vice versa).
  auto strip = [](char c) { return is_blank(c) || c == '"' || c == '\''; };
  while (!typed.empty() && strip(typed.front())) typed.remove_prefix(1);
  while (!typed.empty() && strip(typed.back())) typed.remove_suffix(1);
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
  if (n > 0 && compact[0] == '0') compact[0] = 'O';  // an area always starts with a letter
  std::string_view all(compact, n);

  if (is_non_geographic(all)) {
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
        outward_ok(compact, n - 3)) {
      compact[n - 3] = digit;
      pc.level = PostcodeLevel::unit;
      pc.outward = pack_outward(all.substr(0, n - 3));
      pc.sector = static_cast<std::int8_t>(digit - '0');
      pc.inward = static_cast<InwardIndex>((digit - '0') * 676 + (compact[n - 2] - 'A') * 26 + (compact[n - 1] - 'A'));
      set_text(pc, all.substr(0, n - 3), all.substr(n - 3));
      return pc;
    }
  }
  // Sector typed with its space ("HP20 1"), or without one where no district reading exists.
  auto sector = [&](int outward_length) {
    char digit = mend_digit(compact[n - 1]);
    if (!is_digit(digit) || !outward_ok(compact, outward_length)) return false;
    compact[n - 1] = digit;
    pc.level = PostcodeLevel::sector;
    pc.outward = pack_outward(all.substr(0, outward_length));
    pc.sector = static_cast<std::int8_t>(digit - '0');
    set_text(pc, all.substr(0, outward_length), all.substr(n - 1));
    return true;
  };
  if (space_at > 0 && space_at == n - 1 && sector(n - 1)) return pc;
  if (outward_ok(compact, n)) {
    pc.level = PostcodeLevel::district;
    pc.outward = pack_outward(all);
    set_text(pc, all, {});
    return pc;
  }
  if ((n == 1 && first_letter_ok(compact[0])) ||
      (n == 2 && first_letter_ok(compact[0]) && second_letter_ok(compact[1]))) {
    pc.level = PostcodeLevel::area;
    pc.outward = pack_outward(all);
    set_text(pc, all, {});
    return pc;
  }
  if (space_at < 0 && n >= 3 && n <= 5 && sector(n - 1)) return pc;
  pc = Postcode{};
  pc.shape = PostcodeShape::malformed;
  return pc;
}

}  // namespace placedist::geo
