#include "src/analysis/network_extent_layer.hpp"

#include <nlohmann/json.hpp>

#include "geo/io/geojson_geometry.hpp"
#include "geo/io/number_text.hpp"
#include "geo/roads/network_extent.hpp"
#include "geo/roads/road_network.hpp"

using namespace placedist::geo;

namespace placedist::analysis {

std::string network_extent_geojson(const roads::RoadNetwork& network) {
  const roads::NetworkExtentOptions options;
  LonLatMultiPolygon extent = roads::network_extent(network, options);
  nlohmann::json feature = {
      {"type", "Feature"},
      {"properties",
       {{"area_km2", round_to(area_m2(extent) / 1e6, 1)},
        {"cell_m", options.cell_m},
        {"min_hole_km2", options.min_hole_km2},
        {"method",
         "grid cells crossed by the roads routes can start and end on, grown by one cell; holes under min_hole_km2 "
         "filled"},
        {"source", network.source()}}},
      {"geometry", geojson_multipolygon(extent)}};
  return feature.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace placedist::analysis
