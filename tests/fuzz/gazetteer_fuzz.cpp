// libFuzzer target: a gazetteer file (.pdg) of any bytes, opened and asked what every command
// asks of it: lookups at every level (unit, sector, district, area; live, terminated, unknown),
// council names, counts within an area, and a walk over every unit. The seeds are small real
// gazetteers built from cuts of Code-Point Open rows (tests/fuzz/make-seeds). A file open
// refuses is refused with a GazetteerError; one it accepts must answer without leaving the file.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "geo/gazetteer.hpp"
#include "tests/fuzz/fuzz_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace placedist::geo;
  placedist::fuzz::MemoryFile file(data, size);
  try {
    Gazetteer g = Gazetteer::open(file.path());
    for (std::string_view typed : {"HP1 1AB", "HP20 1AA", "HP1 1", "HP1", "HP", "MK9 3EP", "ZZ99 9ZZ", "GIR 0AA",
                                   "W1A 1AA", "AB1", "BF1 3AD", "hp11ab", "S014 0YG", ""}) {
      const GeocodeResult r = g.lookup(typed);
      (void)r.ltla.name.size();
      (void)r.utla.code.size();
      if (r.located()) placedist::fuzz::require(r.match != PostcodeLevel::none);
      const Postcode p = parse_postcode(typed);
      if (p.ok() && p.level != PostcodeLevel::unit) {
        (void)g.units_within(p);
        (void)g.units_within(p, "E10000002");
      }
    }
    for (std::size_t i = 0; i < g.council_count(); ++i) {
      const Council c = g.council(i);
      (void)c.code.size();
      (void)c.name.size();
    }
    (void)g.unit_count();
    (void)g.sector_count();
    (void)g.district_count();
    (void)g.metadata_json().size();
    std::size_t units = 0;
    g.for_each_unit([&](const Postcode& p, const GeocodeResult& r) {
      ++units;
      placedist::fuzz::require(p.ok());
      (void)r.ltla.code.size();
    });
  } catch (const GazetteerError&) {
  } catch (const std::runtime_error&) {  // what else open may throw for a foreign file
  }
  return 0;
}
