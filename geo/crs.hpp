#pragma once
// British National Grid (EPSG:27700) <-> WGS84 (EPSG:4326) through PROJ.
// With the OSTN15 grid (converted once from the OS table in $PLACEDIST_DATA/geodesy/ostn15
// into a grid PROJ reads, cached in cache_dir()) the transformation is OSTN15 to the
// millimetre; without it, the 7-parameter Helmert (about 2-5 m) with a warning.
#include <memory>
#include <span>
#include <string>

#include "geo/coords.hpp"

namespace placedist {

enum class CrsMethod { ostn15, helmert };
const char* to_string(CrsMethod method);

// Not thread-safe: one per thread (it owns a PROJ context).
class BngTransformer {
 public:
  // Uses OSTN15 when the grid can be found or made; else Helmert, warning once on stderr.
  BngTransformer();
  explicit BngTransformer(CrsMethod method);  // forces a method (throws if OSTN15 is unavailable)
  ~BngTransformer();
  BngTransformer(BngTransformer&&) noexcept;
  BngTransformer& operator=(BngTransformer&&) noexcept;

  CrsMethod method() const;

  LonLat to_wgs84(GridRef grid) const;
  GridRef to_bng(LonLat position) const;
  // Batch forms, for building the gazetteer: out.size() must equal in.size().
  void to_wgs84(std::span<const GridRef> in, std::span<LonLat> out) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace placedist
