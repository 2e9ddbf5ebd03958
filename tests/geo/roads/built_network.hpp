#pragma once
// The Buckinghamshire road network (OSM 2016 edge list) as a network file, built once per test
// binary build and kept in the build tree (each test runs in its own process), as
// built_gazetteer.hpp does for gazetteers: for tests that run the placedist binary.
#include <filesystem>

#include "geo/data_dir.hpp"
#include "geo/roads/edge_layer.hpp"
#include "geo/roads/road_network.hpp"

namespace placedist::testing {

inline std::filesystem::path built_bucks_roads() {
  namespace fs = std::filesystem;
  fs::create_directories(PLACEDIST_TEST_WORK);
  fs::path path = fs::path(PLACEDIST_TEST_WORK) / "bucks_osm2016_car.pdr";
  std::error_code ec;
  auto built = fs::last_write_time(path, ec);
  if (ec || built < fs::last_write_time("/proc/self/exe")) {
    geo::roads::RoadEdges edges;
    geo::roads::read_edge_layer(geo::data_file("roads/bucks/osm2016_graphhopper_car/bucks_osm2016_car_edges.csv"), {}, edges);
    geo::roads::build_network_file(edges, path);
  }
  return path;
}

}  // namespace placedist::testing
