#include "src/serve/sectors.hpp"

#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <string_view>
#include <utility>

#include "geo/gazetteer.hpp"
#include "shapes/boundaries.hpp"
#include "shapes/sector_areas_file.hpp"
#include "src/serve/geojson.hpp"

using namespace placedist::geo;

namespace placedist::serve {

std::vector<SectorInfo> build_sectors(const Gazetteer& gazetteer) {
  std::vector<SectorInfo> sectors;
  std::vector<std::pair<std::string_view, std::uint32_t>> councils;  // utla code -> units
  std::string current;
  std::uint32_t units = 0;
  auto finish = [&] {
    if (current.empty() || units == 0) return;
    GeocodeResult r = gazetteer.lookup(current);
    if (r.located() && r.match == PostcodeLevel::sector) {
      SectorInfo s{current, r.grid, r.position, {}, units};
      std::uint32_t best = 0;
      for (auto& [code, n] : councils)
        if (n > best) best = n, s.utla_code = code;
      sectors.push_back(std::move(s));
    }
  };
  gazetteer.for_each_unit([&](const Postcode& pc, const GeocodeResult& r) {
    std::string_view sector = pc.normalised().substr(0, pc.length - 2);
    if (sector != current) {
      finish();
      current = sector;
      units = 0;
      councils.clear();
    }
    if (r.status != GeocodeStatus::ok) return;
    ++units;
    for (auto& [code, n] : councils)
      if (code == r.utla.code) {
        ++n;
        return;
      }
    councils.emplace_back(r.utla.code, 1);
  });
  finish();
  return sectors;
}

SectorAreasLayer::SectorAreasLayer(const Gazetteer& gazetteer, const shapes::Boundaries& land,
                                   const std::vector<SectorInfo>& sectors, std::filesystem::path folder) {
  m_thread = std::thread([this, &gazetteer, &land, &sectors, folder = std::move(folder)] {
    std::vector<Area> areas;
    std::unordered_map<std::string, std::size_t> index;
    try {
      std::unordered_map<std::string_view, const SectorInfo*> info;
      for (const SectorInfo& s : sectors) info.emplace(s.sector, &s);
      shapes::CachedSectorAreas cached = shapes::cached_sector_areas(gazetteer, land, folder);
      const BngTransformer& crs = thread_crs();
      for (const shapes::SectorArea& a : cached.areas) {
        nlohmann::json geometry = multipolygon_geometry(shapes::simplified_area(a.polygons, kToleranceM), crs);
        Box box{180, 90, -180, -90};
        for (const auto& polygon : geometry["coordinates"])
          for (const auto& p : polygon[0]) {
            const double lon = p[0], lat = p[1];
            box = {std::min(box.west, lon), std::min(box.south, lat), std::max(box.east, lon), std::max(box.north, lat)};
          }
        nlohmann::json properties = {{"sector", a.sector}, {"area_km2", std::round(a.area_m2 / 1e3) / 1e3}};
        if (auto it = info.find(a.sector); it != info.end())
          properties["council"] = it->second->utla_code, properties["units"] = it->second->units;
        index.emplace(a.sector, areas.size());
        areas.push_back({box, nlohmann::json{{"type", "Feature"}, {"properties", std::move(properties)},
                                             {"geometry", std::move(geometry)}}
                                  .dump()});
      }
      {
        std::lock_guard lock(m_mutex);
        m_areas = std::move(areas);
        m_index = std::move(index);
        m_state = State::ready;
      }
      // Building for Great Britain peaks at some 2.5 GB; give the freed heap back to the system.
      ::malloc_trim(0);
    } catch (const std::exception& e) {
      std::lock_guard lock(m_mutex);
      m_failure = e.what();
      m_state = State::failed;
    }
  });
}

SectorAreasLayer::~SectorAreasLayer() {
  if (m_thread.joinable()) m_thread.join();
}

SectorAreasLayer::State SectorAreasLayer::state() const {
  std::lock_guard lock(m_mutex);
  return m_state;
}

std::string SectorAreasLayer::failure() const {
  std::lock_guard lock(m_mutex);
  return m_failure;
}

std::size_t SectorAreasLayer::size() const {
  std::lock_guard lock(m_mutex);
  return m_areas.size();
}

std::string SectorAreasLayer::features_in(const Box& box, std::size_t limit, std::size_t& count) const {
  std::lock_guard lock(m_mutex);
  std::vector<const Area*> hits;
  for (const Area& a : m_areas)
    if (a.box.west <= box.east && a.box.east >= box.west && a.box.south <= box.north && a.box.north >= box.south)
      hits.push_back(&a);
  count = hits.size();
  std::string out;
  if (count > limit) return out;
  for (const Area* a : hits) {
    if (!out.empty()) out += ',';
    out += a->feature;
  }
  return out;
}

std::string SectorAreasLayer::features_of(const std::vector<std::string>& sectors, std::size_t& count) const {
  std::lock_guard lock(m_mutex);
  std::string out;
  count = 0;
  for (const std::string& s : sectors)
    if (auto it = m_index.find(s); it != m_index.end()) {
      if (!out.empty()) out += ',';
      out += m_areas[it->second].feature;
      ++count;
    }
  return out;
}

}  // namespace placedist::serve
