#pragma once
// CRC-32C (Castagnoli, RFC 3720 / iSCSI): the checksums of the sections of placedist's own
// files (.pdg, .pdr). Computed with the SSE 4.2 crc32 instruction (the build targets x86-64-v2).
#include <cstddef>
#include <cstdint>
#include <span>

namespace placedist::geo {

// Continues `crc` (0 to start) over `bytes`; crc32c("123456789") is 0xE3069283.
std::uint32_t crc32c(std::span<const std::byte> bytes, std::uint32_t crc = 0);

}  // namespace placedist::geo
