#include "geo/io/crc32c.hpp"

#include <nmmintrin.h>

#include <cstring>

namespace placedist::geo {

std::uint32_t crc32c(std::span<const std::byte> bytes, std::uint32_t crc) {
  std::uint64_t state = ~crc;
  const std::byte* p = bytes.data();
  std::size_t n = bytes.size();
  for (; n >= 8; n -= 8, p += 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    state = _mm_crc32_u64(state, word);
  }
  auto state32 = static_cast<std::uint32_t>(state);
  for (; n > 0; --n, ++p) state32 = _mm_crc32_u8(state32, static_cast<std::uint8_t>(*p));
  return ~state32;
}

}  // namespace placedist::geo
