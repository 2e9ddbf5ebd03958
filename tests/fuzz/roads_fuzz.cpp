// libFuzzer target: a road network file (.pdr) of any bytes, loaded and routed on: one-to-one
// (contraction hierarchy and the Dijkstra oracle), a small matrix, a route's geometry and a
// reach. The seeds are small real networks built from OSM extracts (tests/fuzz/make-seeds). The
// query points are the file's own first, middle and last junctions (any junction of a corrupt
// file is as good a test as a real place) and a fixed point in Leeds.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "geo/roads/network_data.hpp"
#include "geo/roads/road_network.hpp"
#include "geo/roads/road_query.hpp"
#include "tests/fuzz/fuzz_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace placedist::geo;
  using namespace placedist::geo::roads;
  placedist::fuzz::MemoryFile file(data, size);
  std::shared_ptr<const RoadNetwork> network;
  try {
    network = RoadNetwork::load(file.path());
  } catch (const std::runtime_error&) {
    return 0;  // refused, with a message
  }
  std::vector<LonLat> points{{-1.5491, 53.8008}};
  const auto& nodes = network->data().nodes;
  for (std::size_t i : {std::size_t{0}, nodes.size() / 2, nodes.size() - 1}) {
    if (i >= nodes.size()) continue;
    const LonLat p{nodes[i].lon / 1e7, nodes[i].lat / 1e7};
    if (std::abs(p.lon) <= 180 && std::abs(p.lat) <= 90) points.push_back(p);
  }
  RoadQuery q(network);
  for (const LonLat& a : points)
    for (const LonLat& b : points) {
      const RoadResult ch = q.route(a, b);
      const RoadResult oracle = q.route_dijkstra(a, b);
      (void)ch;
      (void)oracle;
    }
  (void)q.matrix(points, points);
  (void)q.route_geometry(points.front(), points.back());
  (void)q.reach(points.back(), 2000);
  return 0;
}
