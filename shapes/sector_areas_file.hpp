#pragma once
// Sector areas as a product: built once per gazetteer and land (GB takes about a minute and a
// couple of gigabytes, see shapes/sector_areas.hpp) and kept in a small binary file in the cache
// folder, sector_areas-<key>.pds, whose key is a hash of what they were built from: the
// gazetteer's live units and the land's councils and areas. A new gazetteer or
// other land gives another key, so a stale file is never read. Written to a temporary name and
// renamed, so readers see a whole file or none.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "shapes/boundaries.hpp"
#include "shapes/sector_areas.hpp"

namespace placedist::geo {
class Gazetteer;
}

namespace placedist::shapes {

// The live units (status ok) of a gazetteer with their sectors ("HP20 1").
std::vector<SectorPoint> live_sector_points(const geo::Gazetteer& gazetteer);

// The upper-tier council most of each sector's live units lie in ("HP20 1" -> "E06000060").
std::vector<std::pair<std::string, std::string>> sector_councils(const geo::Gazetteer& gazetteer);

// 16 hex digits naming what the areas are built from: the live units (sector and position, so a
// gazetteer rebuilt from the same sources, or in another folder, keeps its areas) and the land's
// councils, areas and vertex counts.
std::string sector_areas_key(const std::vector<SectorPoint>& units, const Boundaries& land);

// Writes atomically (temporary name, then rename); throws std::runtime_error naming the file.
void write_sector_areas(const std::filesystem::path& file, const std::string& key, const std::vector<SectorArea>& areas);
// nullopt when the file is missing, damaged or holds another key (the caller rebuilds).
std::optional<std::vector<SectorArea>> read_sector_areas(const std::filesystem::path& file, const std::string& key);

struct CachedSectorAreas {
  std::vector<SectorArea> areas;  // sorted by sector
  std::filesystem::path file;
  bool built = false;  // false: read from the file
};
// The sector areas of `gazetteer` on `land`: read from `folder`/sector_areas-<key>.pds, else
// built and written there. Throws std::runtime_error when building fails.
CachedSectorAreas cached_sector_areas(const geo::Gazetteer& gazetteer, const Boundaries& land,
                                      const std::filesystem::path& folder);

}  // namespace placedist::shapes
