// libFuzzer target: council boundaries loaded through GDAL/OGR from a small file of any bytes
// (GeoJSON and FlatGeobuf seeds cut from the ONS boundaries, tests/fuzz/make-seeds), then points
// located in them. A file load refuses is refused with a BoundaryError (or GDAL's runtime_error);
// one it accepts answers locate() for any point, inside or far outside.
#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include "shapes/boundaries.hpp"
#include "shapes/locate.hpp"
#include "tests/fuzz/fuzz_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace placedist;
  fuzz::MemoryFile file(data, size);
  shapes::BoundaryOptions options;
  options.assume_crs = "EPSG:27700";  // for a source that declares none
  try {
    const shapes::Boundaries b = shapes::Boundaries::load(file.path(), options);
    for (geo::GridRef p :
         {geo::GridRef{485000, 210000}, geo::GridRef{490000, 305000}, geo::GridRef{0, 0}, geo::GridRef{-1e9, 1e9}}) {
      const shapes::LocateResult r = shapes::locate(b, p);
      if (r.found()) fuzz::require(static_cast<std::size_t>(r.council) < b.size());
    }
    for (std::size_t i = 0; i < b.size(); ++i) {
      (void)b.council(i).code.size();
      (void)b.wkb(i);
      (void)b.area_m2(i);
    }
  } catch (const std::runtime_error&) {}
  return 0;
}
