#pragma once
// British National Grid (EPSG:27700, OSGB36 / Airy, metres) <-> WGS84 (EPSG:4326, degrees,
// realised as ETRS89) through PROJ.
//
// OSTN15: the OS table in $PLACEDIST_DATA/geodesy/ostn15 (1 km nodes of E/N shifts indexed by
// ETRS89 grid coordinates) is written once into an NTv2 file in cache_dir() whose nodes are the
// table's own nodes, so PROJ's hgridshift evaluates OSTN15 exactly (bilinear on the 1 km grid,
// iterated for OSGB36 -> ETRS89 as the OS specifies) rather than a resampled approximation.
// Without the table (or a writable cache), the EPSG:1314 7-parameter Helmert (2-5 m) is used and
// one warning goes to stderr.
//
// Points the method cannot transform (outside the OSTN15 grid: E 0..700 km, N 0..1250 km in
// ETRS89 grid coordinates, or not finite) come back with NaN in both fields; for drawing
// (layers, boundaries reaching into Northern Ireland) to_wgs84_or_helmert() gives those points
// the Helmert instead, so that every finite vertex has a position.
#include <cmath>
#include <memory>
#include <span>
#include <string>

#include "geo/coords.hpp"

namespace placedist::geo {

enum class CrsMethod { ostn15, helmert };
const char* to_string(CrsMethod method);  // "ostn15", "helmert"

// What the default transformer uses, for metadata (e.g. the gazetteer records it).
struct CrsInfo {
  CrsMethod method = CrsMethod::helmert;
  std::string grid_path;    // the generated NTv2 grid, empty for Helmert
  std::string description;  // one line, e.g. "OSTN15 via NTv2 grid /x/ostn15-1a2b.gsb (PROJ 9.1.1)"
};
// Resolves (and generates on first use) the OSTN15 grid; never throws.
CrsInfo default_crs_info();

// The grid file that OSTN15 is converted into, generating it if absent. Throws DataMissing
// when the OSTN15 table is absent and std::runtime_error when the grid cannot be written.
std::string ostn15_grid_path();

inline bool is_finite(GridRef g) { return std::isfinite(g.easting) && std::isfinite(g.northing); }
inline bool is_finite(IrishGridRef g) { return std::isfinite(g.easting) && std::isfinite(g.northing); }
inline bool is_finite(LonLat p) { return std::isfinite(p.lon) && std::isfinite(p.lat); }

// Not thread-safe: one per thread (it owns a PROJ context). Cheap after the first one.
class BngTransformer {
 public:
  // Uses OSTN15 when the grid can be found or made; else Helmert, warning once per process.
  BngTransformer();
  explicit BngTransformer(CrsMethod method);  // forces a method (throws if OSTN15 is unavailable)
  ~BngTransformer();
  BngTransformer(BngTransformer&&) noexcept;
  BngTransformer& operator=(BngTransformer&&) noexcept;

  CrsMethod method() const;

  LonLat to_wgs84(GridRef grid) const;
  GridRef to_bng(LonLat position) const;
  // Batch forms, for building the gazetteer: out.size() must equal in.size() (else
  // std::invalid_argument). Returns how many points failed (those are NaN).
  std::size_t to_wgs84(std::span<const GridRef> in, std::span<LonLat> out) const;
  std::size_t to_bng(std::span<const LonLat> in, std::span<GridRef> out) const;
  // As to_wgs84, but a finite point outside the OSTN15 grid falls back, that point alone, to the
  // Helmert EPSG:1314 (2-5 m; Northern Ireland's far west lies at negative eastings). Only a
  // non-finite input stays NaN. Returns how many points used the Helmert.
  std::size_t to_wgs84_or_helmert(std::span<const GridRef> in, std::span<LonLat> out) const;

  // Northern Ireland postcodes come on the Irish Grid (EPSG:29903, TM75). These use EPSG:1954,
  // "TM75 to WGS 84 (2)", a Helmert good to about 1 m, whatever the method above.
  LonLat irish_grid_to_wgs84(IrishGridRef grid) const;
  std::size_t irish_grid_to_wgs84(std::span<const IrishGridRef> in, std::span<LonLat> out) const;
  IrishGridRef wgs84_to_irish_grid(LonLat position) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace placedist::geo
