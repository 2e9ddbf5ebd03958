#pragma once
// Council boundaries as GeoJSON layers (RFC 7946, WGS84): all councils, one council, and a
// council's zone (its polygon buffered by N DfE miles, built on first request; the last 32 kept).
// Kept apart from the gazetteer: shapes/boundaries.hpp and geo/gazetteer.hpp both define
// placedist::Council, so no file includes both.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace placedist::shapes {
class Boundaries;
}

namespace placedist::serve {

class CouncilLayers {
 public:
  // Throws BoundaryError for a broken source.
  static std::unique_ptr<CouncilLayers> load(const std::filesystem::path& source);
  ~CouncilLayers();

  std::size_t size() const;
  std::string source() const;
  std::string source_crs() const;
  const std::string& all_geojson() const;                                        // FeatureCollection
  std::optional<std::string> council(const std::string& code) const;             // Feature
  std::optional<std::string> zone(const std::string& code, double miles) const;  // Feature
  static constexpr std::size_t kZoneCacheEntries = 32;  // the last zones built are kept
  std::size_t cached_zones() const;
  // The polygons themselves (BNG), for the analysis's councils of postcodes without a code.
  const shapes::Boundaries& boundaries() const;

 private:
  CouncilLayers();
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace placedist::serve
