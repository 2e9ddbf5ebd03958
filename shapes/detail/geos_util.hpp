#pragma once
// Small helpers over the GEOS C API (reentrant _r functions) for shapes/*.cpp only.
// Coordinates are EPSG:27700 metres throughout; contexts: geo/detail/geos_context.hpp.
#include <geos_c.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "shapes/boundaries.hpp"
#include "shapes/detail/grid_locator.hpp"

namespace placedist::shapes::detail {

MultiPolygon to_multipolygon(GEOSContextHandle_t ctx, const GEOSGeometry* g);
std::vector<std::uint8_t> to_wkb(GEOSContextHandle_t ctx, const GEOSGeometry* g);
// Every ring (exterior and holes) of a polygonal geometry, as the grid locator wants them.
Rings to_rings(GEOSContextHandle_t ctx, const GEOSGeometry* g);
// Keeps only the polygons of g (after MakeValid a collection may hold lines); takes ownership.
GEOSGeometry* polygonal_part(GEOSContextHandle_t ctx, GEOSGeometry* g);

struct FeatureView {
  std::string_view code, name;
  const std::vector<unsigned char>& wkb;  // MultiPolygon, EPSG:27700
};

// Reads, repairs and merges (by code) the features into impl's geometries, prepares them,
// forces every lazy index, builds the STR tree and the grid locator.
void build_geometries(Boundaries::Impl& impl, std::size_t count,
                      const std::function<FeatureView(std::size_t)>& feature);

}  // namespace placedist::shapes::detail
