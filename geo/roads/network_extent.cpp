#include "geo/roads/network_extent.hpp"

#include <algorithm>
#include <cmath>

#include "geo/roads/network_data.hpp"
#include "geo/roads/reach_polygon.hpp"
#include "geo/roads/road_network.hpp"

namespace placedist::geo::roads {

namespace {
LonLat lonlat(FixedPoint p) { return {p.lon / kFixedPerDegree, p.lat / kFixedPerDegree}; }
}  // namespace

std::size_t fill_holes_below(LonLatMultiPolygon& polygons, double min_hole_m2) {
  std::size_t removed = 0;
  for (LonLatPolygon& polygon : polygons) {
    if (polygon.size() < 2) continue;
    auto small = [&](const LonLatRing& ring) { return std::abs(area_m2({{ring}})) < min_hole_m2; };
    auto end = std::remove_if(polygon.begin() + 1, polygon.end(), small);
    removed += static_cast<std::size_t>(polygon.end() - end);
    polygon.erase(end, polygon.end());
  }
  return removed;
}

LonLatMultiPolygon network_extent(const RoadNetwork& network, const NetworkExtentOptions& options) {
  const detail::NetworkData& data = network.data();
  if (data.edges.empty()) return {};
  // The plane's centre: the middle of the nodes' extent.
  std::int32_t lon0 = data.nodes[0].lon, lon1 = lon0, lat0 = data.nodes[0].lat, lat1 = lat0;
  for (FixedPoint p : data.nodes)
    lon0 = std::min(lon0, p.lon), lon1 = std::max(lon1, p.lon), lat0 = std::min(lat0, p.lat),
    lat1 = std::max(lat1, p.lat);
  ReachArea area(lonlat({static_cast<std::int32_t>((std::int64_t{lon0} + lon1) / 2),
                         static_cast<std::int32_t>((std::int64_t{lat0} + lat1) / 2)}),
                 {options.cell_m});
  // The edges in batches, as reaches: memory stays at one batch of points plus the grid.
  constexpr std::size_t kBatch = 20'000;
  Reach batch;
  batch.status = RoadStatus::ok;
  for (std::size_t e = 0; e < data.edges.size(); ++e) {
    if (!data.snappable.empty() && !data.snappable[e]) continue;
    std::vector<LonLat>& piece = batch.pieces.emplace_back();
    for (std::uint32_t i = data.first_point[e]; i < data.first_point[e + 1]; ++i)
      piece.push_back(lonlat(data.points[i]));
    if (batch.pieces.size() == kBatch) {
      area.add(batch);
      batch.pieces.clear();
    }
  }
  area.add(batch);
  LonLatMultiPolygon extent = area.polygon();
  fill_holes_below(extent, options.min_hole_km2 * 1e6);
  return extent;
}

}  // namespace placedist::geo::roads
