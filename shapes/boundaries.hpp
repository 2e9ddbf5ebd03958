#pragma once
// Council boundaries loaded from any OGR vector source (GeoJSON, Shapefile, GeoPackage,
// FlatGeobuf, ...; any CRS) through GDAL, reprojected to British National Grid
// (EPSG:27700, OSGB36 / Airy 1830, metres) and held twice:
//  - as GEOS geometries, prepared (with their lazy indexes already built) and in an STR tree,
//    for GeosLocator, zones and validation;
//  - as a grid + edge-band index for the fast locate() (shapes/locate.hpp).
//
// Thread-safety contract: a Boundaries is immutable once load() returns; everything that
// GEOS or the grid builds lazily has been forced during load(). Its const members and
// locate() may be called from many threads at once. GEOS calls need one GEOS context per
// thread: use one GeosLocator (shapes/geos_locator.hpp) per thread.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "geo/outcome.hpp"
#include "shapes/polygons.hpp"

namespace placedist::shapes {

// Why a boundary source cannot be used (geo/outcome.hpp): unreadable (missing, or no GDAL vector
// driver can open it), layer_missing, field_missing (the code/name field is absent or none could
// be detected), field_ambiguous (several could be the code field: name one), crs_missing (no CRS
// and BoundaryOptions::assume_crs is empty), transform_failed (not reprojectable to EPSG:27700),
// no_polygons.
using BoundaryErrorCode = Outcome;

// A broken or misconfigured boundary source. The message names the file and, for missing
// fields and layers, lists what the source does have.
class BoundaryError : public Failure {
 public:
  BoundaryError(BoundaryErrorCode code, const std::string& message) : Failure(code, message) {}
  BoundaryErrorCode code() const { return outcome(); }
};

struct BoundaryOptions {
  std::string layer;                  // layer name; empty = the first layer
  std::string code_field;             // empty = detect: a field named *cd, *_code or code (lad20cd, utla21_code)
  std::string name_field;             // empty = detect: *nm, *_name or name; when none, names are the codes
  std::string assume_crs;             // CRS for a source that declares none ("EPSG:27700"); empty = error
  double boundary_tolerance_m = 1.0;  // locate(): within this distance of an edge is "boundary"
  // A PROJ pipeline from the source CRS to EPSG:27700 to use instead of PROJ's choice, e.g.
  // geo/crs's OSTN15 grid pipeline. It must handle the source CRS's own axis order (as
  // `projinfo -s SRC -t EPSG:27700 -o PROJ` shows: lat/lon for EPSG:4326). Without it PROJ
  // picks the best operation it has: for WGS84 without the OSTN15 grid, a Helmert (~2 m).
  std::string coordinate_operation;
};

// Named apart from geo/gazetteer.hpp's Council (views into the gazetteer) so both headers can meet.
struct BoundaryCouncil {
  std::string code;  // e.g. "E06000060"
  std::string name;  // e.g. "Buckinghamshire"
};

class Boundaries {
 public:
  // Features sharing a code are merged into one council (unary union). Invalid polygons are
  // repaired (GEOS MakeValid); features without a polygon geometry are skipped and counted.
  // Throws BoundaryError.
  static Boundaries load(const std::filesystem::path& source, const BoundaryOptions& options = {});

  ~Boundaries();
  Boundaries(Boundaries&&) noexcept;
  Boundaries& operator=(Boundaries&&) noexcept;

  std::size_t size() const;
  const BoundaryCouncil& council(std::size_t index) const;
  std::optional<std::size_t> find(std::string_view code) const;

  // What was read: the path, layer, fields chosen and the source CRS as declared
  // ("WGS 84 (EPSG:4326)"), so that reports can say which boundaries they used.
  const std::filesystem::path& source() const;
  const std::string& layer_name() const;
  const std::string& code_field() const;
  const std::string& name_field() const;  // empty when names are the codes
  const std::string& source_crs() const;
  const std::string& coordinate_operation() const;  // as given; empty = PROJ's choice
  double boundary_tolerance_m() const;
  std::size_t skipped_features() const;   // features without a polygon geometry
  std::size_t repaired_features() const;  // invalid polygons made valid

  // A council's geometry in EPSG:27700 metres.
  MultiPolygon polygons(std::size_t index) const;
  std::vector<std::uint8_t> wkb(std::size_t index) const;  // ISO WKB, little-endian, 2D
  double area_m2(std::size_t index) const;
  std::size_t vertex_count(std::size_t index) const;

  // For shapes/ internals (the locators and zones); defined in shapes/detail/boundaries_impl.hpp.
  struct Impl;
  const Impl& impl() const { return *m_impl; }

 private:
  explicit Boundaries(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

}  // namespace placedist::shapes
