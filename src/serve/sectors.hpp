#pragma once
// Postcode sectors with live units ("HP20 1"), their centroids (the gazetteer's: mean of the
// live units' British National Grid references, and WGS84) and the upper-tier council most
// of their units lie in. The units of choropleth layers, drawn as their areas
// (SectorAreasLayer: shapes/sector_areas, cached on disk) once those are built.
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "geo/coords.hpp"

namespace placedist::geo {
class Gazetteer;
}

namespace placedist::shapes {
class Boundaries;
}

namespace placedist::serve {

struct SectorInfo {
  std::string sector;  // normalised, e.g. "HP20 1"
  geo::GridRef grid;
  geo::LonLat position;
  std::string utla_code;
  std::uint32_t units = 0;  // live units with a location
};

// In postcode order.
std::vector<SectorInfo> build_sectors(const geo::Gazetteer& gazetteer);

// The sector areas as a web layer: read from the cache folder (shapes/sector_areas_file), or
// built there on first use, on a thread of its own so no request waits a minute for Great
// Britain; simplified to kToleranceM and kept as GeoJSON Features with their WGS84 boxes.
class SectorAreasLayer {
 public:
  static constexpr double kToleranceM = 25;
  // Starts reading or building at once. `sectors` gives each area its council and unit count.
  SectorAreasLayer(const geo::Gazetteer& gazetteer, const shapes::Boundaries& land, const std::vector<SectorInfo>& sectors,
                   std::filesystem::path folder);
  ~SectorAreasLayer();  // waits for the build (it cannot be cut short)
  SectorAreasLayer(const SectorAreasLayer&) = delete;
  SectorAreasLayer& operator=(const SectorAreasLayer&) = delete;

  enum class State { building, ready, failed };
  State state() const;
  std::string failure() const;  // why, when failed
  std::size_t size() const;     // areas, when ready

  struct Box {
    double west, south, east, north;
  };
  // The Features (comma-separated, no brackets) of the areas whose boxes meet `box`, at most
  // `limit` (counted in `count`, which may exceed `limit`: then nothing is written). Only when ready.
  std::string features_in(const Box& box, std::size_t limit, std::size_t& count) const;
  // The Features of these sectors ("HP20 1"), those that have an area. Only when ready.
  std::string features_of(const std::vector<std::string>& sectors, std::size_t& count) const;

 private:
  struct Area {
    Box box;
    std::string feature;
  };
  mutable std::mutex m_mutex;
  State m_state = State::building;
  std::string m_failure;
  std::vector<Area> m_areas;
  std::unordered_map<std::string, std::size_t> m_index;
  std::thread m_thread;
};

}  // namespace placedist::serve
