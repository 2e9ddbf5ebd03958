#pragma once
// Magic number and format version of the road network file. Bump kNetworkVersion whenever the
// layout of any section changes: older files are then refused with a message to rebuild.
#include <cstdint>

namespace placedist::geo::roads {

inline constexpr char kNetworkMagic[16] = "PLACEDIST-ROADS";
// 3: section checksums, indexes checked on load.
// 4: each hierarchy stored as its query layout (search ids, runs, records, arc ids), not as
//    rank and up/down adjacency lists.
// 5: each run of the layout starts with a header slot, and each 16-byte record holds where its
//    head's run starts (searches fetch a pushed node's records without a per-node array).
// 6: each hierarchy's hub labels (empty above kHubLabelMaxNodes routing nodes); every section's
//    data starts on a 64-byte line.
inline constexpr std::uint32_t kNetworkVersion = 6;

}  // namespace placedist::geo::roads
