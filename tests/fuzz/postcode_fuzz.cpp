// libFuzzer target: the postcode parser on any text. Besides not crashing, a postcode it accepts
// reads back the same from its normalised form (the form every output writes), and its outward
// code survives packing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "geo/postcode.hpp"
#include "tests/fuzz/fuzz_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace placedist::geo;
  const std::string_view typed(reinterpret_cast<const char*>(data), size);
  const Postcode p = parse_postcode(typed);
  placedist::fuzz::require(p.length <= sizeof p.text);
  if (!p.ok()) return 0;
  const Postcode again = parse_postcode(p.normalised());
  placedist::fuzz::require(again.ok() && again.normalised() == p.normalised() && again.level == p.level &&
                           again.outward == p.outward && again.sector == p.sector && again.inward == p.inward);
  placedist::fuzz::require(pack_outward(unpack_outward(p.outward)) == p.outward);
  return 0;
}
