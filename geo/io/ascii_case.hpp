#pragma once
// ASCII case folding for codes, column names and council names: bytes outside A-Z are kept, so
// UTF-8 text passes unchanged and the C locale never matters.
#include <string>
#include <string_view>

namespace placedist::geo {

constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
std::string ascii_lower(std::string_view text);
bool equals_ignoring_ascii_case(std::string_view a, std::string_view b);
bool starts_with_ignoring_ascii_case(std::string_view text, std::string_view prefix);

}  // namespace placedist::geo
