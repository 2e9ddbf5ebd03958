#include "geo/io/utf8_text.hpp"

#include <cstdint>

namespace placedist::geo {

std::size_t first_invalid_utf8(std::string_view text) {
  const auto* begin = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = begin + text.size();
  for (const unsigned char* s = begin; s < end;) {
    unsigned char c = *s;
    if (c < 0x80) {
      ++s;
      continue;
    }
    int extra;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0)
      extra = 1, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0)
      extra = 2, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0)
      extra = 3, cp = c & 0x07;
    else
      return static_cast<std::size_t>(s - begin);
    if (end - s <= extra) return static_cast<std::size_t>(s - begin);
    for (int i = 1; i <= extra; ++i) {
      if ((s[i] & 0xC0) != 0x80) return static_cast<std::size_t>(s - begin);
      cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return static_cast<std::size_t>(s - begin);
    s += extra + 1;
  }
  return std::string_view::npos;
}

}  // namespace placedist::geo
