#include "src/serve/sectors.hpp"

#include <string_view>
#include <utility>

#include "geo/gazetteer.hpp"

using namespace placedist::geo;

namespace placedist::serve {

std::vector<SectorInfo> build_sectors(const Gazetteer& gazetteer) {
  std::vector<SectorInfo> sectors;
  std::vector<std::pair<std::string_view, std::uint32_t>> councils;  // utla code -> units
  std::string current;
  std::uint32_t units = 0;
  auto finish = [&] {
    if (current.empty() || units == 0) return;
    GeocodeResult r = gazetteer.lookup(current);
    if (r.located() && r.match == PostcodeLevel::sector) {
      SectorInfo s{current, r.grid, r.position, {}, units};
      std::uint32_t best = 0;
      for (auto& [code, n] : councils)
        if (n > best) best = n, s.utla_code = code;
      sectors.push_back(std::move(s));
    }
  };
  gazetteer.for_each_unit([&](const Postcode& pc, const GeocodeResult& r) {
    std::string_view sector = pc.normalised().substr(0, pc.length - 2);
    if (sector != current) {
      finish();
      current = sector;
      units = 0;
      councils.clear();
    }
    if (r.status != GeocodeStatus::ok) return;
    ++units;
    for (auto& [code, n] : councils)
      if (code == r.utla.code) {
        ++n;
        return;
      }
    councils.emplace_back(r.utla.code, 1);
  });
  finish();
  return sectors;
}

}  // namespace placedist::serve
