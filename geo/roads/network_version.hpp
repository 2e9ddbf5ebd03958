#pragma once
// Magic number and format version of the road network file. Bump kNetworkVersion whenever the
// layout of any section changes: older files are then refused with a message to rebuild.
#include <cstdint>

namespace placedist::geo::roads {

inline constexpr char kNetworkMagic[16] = "PLACEDIST-ROADS";
// 3: section checksums, indexes checked on load.
// 4: each hierarchy stored as its query layout (search ids, runs, records, arc ids), not as
//    rank and up/down adjacency lists.
inline constexpr std::uint32_t kNetworkVersion = 4;

}  // namespace placedist::geo::roads
