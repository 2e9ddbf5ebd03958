#pragma once
// Magic number and format version of the road network file. Bump kNetworkVersion whenever the
// layout of any section changes: older files are then refused with a message to rebuild.
#include <cstdint>

namespace placedist::geo::roads {

inline constexpr char kNetworkMagic[16] = "PLACEDIST-ROADS";
inline constexpr std::uint32_t kNetworkVersion = 3;  // 3: section checksums, indexes checked on load

}  // namespace placedist::geo::roads
