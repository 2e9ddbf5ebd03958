// The network file: written atomically, loaded by mmap with the same answers as in memory;
// wrong magic, other versions and truncated files are refused with a clear message.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "geo/roads/network_version.hpp"
#include "geo/roads/osm_reader.hpp"
#include "tests/geo/roads/road_test_support.hpp"

using namespace placedist::geo;

namespace placedist::geo::roads {
namespace {

std::filesystem::path temp_file(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("placedist_" + std::to_string(::getpid()) + "_" + name);
}

RoadEdges rutland() {
  OsmRoadReader reader;
  reader.add_file(testing::rutland_extract());
  return reader.finish();
}

TEST(NetworkFile, LoadedFileAnswersAsInMemory) {
  RoadEdges edges = rutland();
  auto path = temp_file("rutland.roads");
  BuildReport report = build_network_file(edges, path);
  EXPECT_EQ(report.file_bytes, std::filesystem::file_size(path));
  auto loaded = RoadNetwork::load(path);
  auto memory = RoadNetwork::from_edges(edges);
  EXPECT_EQ(loaded->node_count(), memory->node_count());
  EXPECT_NE(loaded->source().find("rutland-2018-02-27.osm.pbf"), std::string::npos);
  EXPECT_NE(loaded->profile().find("car-gb"), std::string::npos);
  EXPECT_GT(loaded->built_unix(), 1700000000);
  RoadQuery a(loaded), b(memory);
  auto pts = testing::random_points(*memory, 400, 99);
  for (std::size_t i = 0; i + 1 < pts.size(); i += 2) {
    RoadResult x = a.route(pts[i], pts[i + 1]), y = b.route(pts[i], pts[i + 1]);
    ASSERT_EQ(x.status, y.status);
    if (x.status == RoadStatus::ok) {
      ASSERT_EQ(x.fastest_seconds, y.fastest_seconds);
    }
  }
  std::filesystem::remove(path);
}

void patch(const std::filesystem::path& path, std::size_t offset, const void* bytes, std::size_t n) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(static_cast<const char*>(bytes), static_cast<std::streamsize>(n));
}

TEST(NetworkFile, RefusesOtherVersionsAndForeignFiles) {
  RoadEdges edges;
  read_edge_layer(data_file("roads/os_open_roads_samples/open_roads_thornbury_west_yorkshire.geojson"), {}, edges);
  auto path = temp_file("version.roads");
  build_network_file(edges, path);
  EXPECT_NO_THROW(RoadNetwork::load(path));

  std::uint32_t old_version = kNetworkVersion + 1;
  patch(path, 16, &old_version, 4);
  try {
    RoadNetwork::load(path);
    ADD_FAILURE() << "a file of another version loaded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("version " + std::to_string(kNetworkVersion + 1)), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("rebuild"), std::string::npos) << e.what();
  }
  patch(path, 0, "NOT-A-ROAD-FILE", 15);
  EXPECT_THROW(RoadNetwork::load(path), std::runtime_error);

  build_network_file(edges, path);
  std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
  try {
    RoadNetwork::load(path);
    ADD_FAILURE() << "a truncated file loaded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
  }
  std::filesystem::remove(path);
  EXPECT_THROW(RoadNetwork::load(path), std::runtime_error);  // missing
}

TEST(EdgeLayers, OsOpenRoadsRoadLink) {
  RoadEdges edges;
  EdgeLayerReport r =
      read_edge_layer(data_file("roads/os_open_roads_samples/open_roads_thornbury_west_yorkshire.geojson"), {}, edges);
  EXPECT_EQ(r.features, 421u);
  EXPECT_EQ(r.skipped, 0u);
  EXPECT_EQ(edges.edges.size(), 421u);
  EXPECT_NE(r.schema.find("OS Open Roads"), std::string::npos);
  EXPECT_LE(edges.nodes.size(), 332u);
  double km = 0;
  for (const RoadEdge& e : edges.edges) km += e.dist_dm / 1e4;
  EXPECT_NEAR(km, 34.2, 0.1);
  auto net = RoadNetwork::from_edges(edges);
  testing::expect_routes_equal_dijkstra(net, 300, 5);
}

TEST(EdgeLayers, MotorwaysJoinedAtEndPoints) {
  RoadEdges edges;
  EdgeLayerReport r = read_edge_layer(data_file("roads/uk/os_open_roads_gb_motorways.fgb"), {}, edges);
  EXPECT_EQ(r.features, 6648u);
  auto net = RoadNetwork::from_edges(edges);
  RoadQuery q(net);
  // Near M40 junction 4 (High Wycombe) and M1 junction 14 (Milton Keynes): snaps of 706 m and 869 m.
  RoadResult m = q.route({-0.7628, 51.6197}, {-0.7000, 52.0683});
  ASSERT_EQ(m.status, RoadStatus::ok);
  std::printf("M40 J4 - M1 J14: %.1f km shortest, %.1f km / %.0f min fastest, snaps %.0f m %.0f m\n",
              m.shortest_metres / 1000, m.fastest_metres / 1000, m.fastest_seconds / 60, m.from_snap_m, m.to_snap_m);
  // By motorway only: M40, M25, M1 (measured 87.6 km; the straight line is 50 km).
  EXPECT_GT(m.shortest_metres, 80000);
  EXPECT_LT(m.shortest_metres, 100000);
}

}  // namespace
}  // namespace placedist::geo::roads
