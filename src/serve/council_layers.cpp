#include "src/serve/council_layers.hpp"

#include <cmath>
#include <map>
#include <mutex>

#include "src/serve/lru_cache.hpp"
#include <nlohmann/json.hpp>

#include "shapes/boundaries.hpp"
#include "shapes/zones.hpp"
#include "src/serve/geojson.hpp"

using namespace placedist::geo;
using namespace placedist::shapes;

namespace placedist::serve {

namespace {
std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }
}  // namespace

struct CouncilLayers::Impl {
  std::optional<Boundaries> boundaries;
  std::string all;
  std::map<std::string, std::string> features;
  // Straight-line zones by (council, hundredths of a mile): bounded, the least recently used
  // dropped first (miles= takes 10,000 values per council).
  mutable LruCache<std::pair<std::string, long>, std::string> zones{kZoneCacheEntries};
};

CouncilLayers::CouncilLayers() : m_impl(std::make_unique<Impl>()) {}
CouncilLayers::~CouncilLayers() = default;

const Boundaries& CouncilLayers::boundaries() const { return *m_impl->boundaries; }

std::unique_ptr<CouncilLayers> CouncilLayers::load(const std::filesystem::path& source) {
  std::unique_ptr<CouncilLayers> layers(new CouncilLayers());
  Impl& s = *layers->m_impl;
  s.boundaries = Boundaries::load(source);
  const BngTransformer& crs = thread_crs();
  nlohmann::json features = nlohmann::json::array();
  for (std::size_t i = 0; i < s.boundaries->size(); ++i) {
    const auto& council = s.boundaries->council(i);
    nlohmann::json feature = {{"type", "Feature"},
                              {"properties", {{"code", council.code}, {"name", council.name}}},
                              {"geometry", multipolygon_geometry(s.boundaries->polygons(i), crs)}};
    s.features[council.code] = dump(feature);
    features.push_back(std::move(feature));
  }
  s.all = dump({{"type", "FeatureCollection"}, {"features", std::move(features)}});
  return layers;
}

std::size_t CouncilLayers::size() const { return m_impl->boundaries->size(); }
std::string CouncilLayers::source() const { return m_impl->boundaries->source().string(); }
std::string CouncilLayers::source_crs() const { return m_impl->boundaries->source_crs(); }
const std::string& CouncilLayers::all_geojson() const { return m_impl->all; }

std::optional<std::string> CouncilLayers::council(const std::string& code) const {
  auto it = m_impl->features.find(code);
  if (it == m_impl->features.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> CouncilLayers::zone(const std::string& code, double miles) const {
  const Impl& s = *m_impl;
  auto index = s.boundaries->find(code);
  if (!index) return std::nullopt;
  std::pair<std::string, long> key{code, std::lround(miles * 100)};
  if (std::optional<std::string> cached = s.zones.get(key)) return cached;
  ZoneOptions options;
  options.radius_m = miles * kMetresPerDfeMile;
  options.quadrant_segments = 16;
  Zone zone = buffer_council(*s.boundaries, *index, options);
  std::string feature = dump({{"type", "Feature"},
                              {"properties",
                               {{"code", code},
                                {"name", s.boundaries->council(*index).name},
                                {"miles", miles},
                                {"area_km2", zone.area_m2 / 1e6}}},
                              {"geometry", multipolygon_geometry(zone.polygons, thread_crs())}});
  s.zones.put(key, feature);
  return feature;
}

std::size_t CouncilLayers::cached_zones() const { return m_impl->zones.size(); }

}  // namespace placedist::serve
