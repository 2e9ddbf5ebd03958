#include "geo/io/number_text.hpp"

#include <charconv>
#include <cmath>

namespace placedist::geo {
namespace {

constexpr double kScale[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
constexpr long long kWholeScale[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000};

// The digits of round_to(value, decimals), through integers where they are exact (every
// coordinate and distance): several times faster than formatting the double.
void append_rounded(std::string& out, double value, int decimals, bool drop_zero_fraction) {
  if (!std::isfinite(value)) return;
  const double scaled = std::round(value * kScale[decimals]);
  char buffer[352];
  if (std::abs(scaled) >= 9e15) {  // beyond exact integers: the double's own digits
    double rounded = scaled / kScale[decimals];
    out.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, rounded, std::chars_format::fixed,
                                     drop_zero_fraction ? 0 : decimals)
                           .ptr);
    return;
  }
  long long whole = static_cast<long long>(scaled);
  if (whole < 0) {
    out.push_back('-');
    whole = -whole;
  }
  out.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, whole / kWholeScale[decimals]).ptr);
  long long fraction = whole % kWholeScale[decimals];
  if (decimals == 0 || (drop_zero_fraction && fraction == 0)) return;
  out.push_back('.');
  char digits[9];
  for (int i = decimals - 1; i >= 0; --i, fraction /= 10) digits[i] = static_cast<char>('0' + fraction % 10);
  out.append(digits, static_cast<std::size_t>(decimals));
}

}  // namespace

double round_to(double value, int decimals) {
  if (!std::isfinite(value)) return value;
  return std::round(value * kScale[decimals]) / kScale[decimals];
}

void append_fixed(std::string& out, double value, int decimals) { append_rounded(out, value, decimals, false); }

void append_number(std::string& out, double value, int decimals) { append_rounded(out, value, decimals, true); }

void append_trimmed(std::string& out, double value, int decimals) {
  const std::size_t start = out.size();
  append_rounded(out, value, decimals, true);
  if (out.find('.', start) == std::string::npos) return;
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
}

void append_json_number(std::string& out, double value, int decimals) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  append_rounded(out, value, decimals, true);
}

}  // namespace placedist::geo
