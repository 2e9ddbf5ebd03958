#pragma once
// UTF-8 validation: overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
#include <cstddef>
#include <string_view>

namespace placedist::geo {

// The offset of the first byte that does not begin a valid UTF-8 sequence; npos when the whole
// text is valid.
std::size_t first_invalid_utf8(std::string_view text);
inline bool valid_utf8(std::string_view text) { return first_invalid_utf8(text) == std::string_view::npos; }

}  // namespace placedist::geo
