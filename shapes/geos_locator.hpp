#pragma once
// The same question as shapes/locate.hpp answered by GEOS, for validation and for the
// benchmark that compares it with the fast grid locator. Points in British National Grid
// (EPSG:27700) metres; the answer follows the rules in shapes/locate.hpp.
//  - prepared: STR tree query, then GEOSPreparedContains on the prepared polygon and
//    GEOSPreparedDistanceWithin on its prepared boundary lines (indexes built at load).
//  - simple:   STR tree query, then GEOSContains / GEOSDistanceWithin on the raw geometry.
//
// Not thread-safe: it owns a GEOS context and a scratch buffer. Use one per thread; many
// GeosLocators may share one Boundaries, which must outlive them.
#include <memory>

#include "shapes/locate.hpp"

namespace placedist::shapes {

enum class GeosMethod { prepared, simple };
const char* to_string(GeosMethod method);  // "prepared", "simple"

class GeosLocator {
 public:
  explicit GeosLocator(const Boundaries& boundaries, GeosMethod method = GeosMethod::prepared);
  ~GeosLocator();
  GeosLocator(GeosLocator&&) noexcept;
  GeosLocator& operator=(GeosLocator&&) noexcept;

  LocateResult locate(geo::GridRef point);

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace placedist::shapes
