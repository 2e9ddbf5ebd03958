// Every real OpenStreetMap extract in the shared data: read with the British car profile, contract,
// and check the hierarchy against plain Dijkstra exactly on random pairs (fixed seeds).
#include <gtest/gtest.h>

#include "geo/roads/osm_reader.hpp"
#include "tests/geo/roads/road_test_support.hpp"

using namespace placedist::geo;

namespace placedist::geo::roads {
namespace {

struct Extract {
  const char* name;
  const char* file;
  std::uint32_t min_edges;  // a floor that catches a profile that drops most roads
};

class OsmExtract : public ::testing::TestWithParam<Extract> {};

std::shared_ptr<const RoadNetwork> build(const Extract& x, BuildReport* report) {
  OsmRoadReader reader;
  OsmFileReport r = reader.add_file(data_file(x.file));
  EXPECT_GT(r.ways, 0u);
  return RoadNetwork::from_edges(reader.finish(), report);
}

TEST_P(OsmExtract, HierarchyEqualsDijkstra) {
  BuildReport report;
  auto net = build(GetParam(), &report);
  EXPECT_GE(net->edge_count(), GetParam().min_edges);
  EXPECT_GT(report.largest_component, net->node_count() / 3) << "the main network should hold most junctions";
  testing::expect_routes_equal_dijkstra(net, 2000, 1234);
}

TEST_P(OsmExtract, MatrixEqualsOneToOne) {
  testing::expect_matrices_equal_routes(build(GetParam(), nullptr), 20, 25, 3);
}

INSTANTIATE_TEST_SUITE_P(
    Real, OsmExtract,
    ::testing::Values(Extract{"Rutland", "roads/uk/rutland-2018-02-27.osm.pbf", 5000},
                      Extract{"Oxford", "roads/bucks/osm_small_extracts/oxford_centre_2015-02-25.osm.pbf", 300},
                      Extract{"Leeds", "roads/uk/leeds-its-example.osm.pbf", 100},
                      Extract{"Andorra", "roads/test_extracts/andorra.osm.pbf", 1500},
                      Extract{"Monaco", "roads/test_extracts/monaco.osm.pbf", 600},
                      Extract{"Liechtenstein", "roads/test_extracts/liechtenstein-2013-08-03.osm.pbf", 2500}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(OsmExtracts, TwoExtractsMakeOneGraph) {
  OsmRoadReader one, both;
  one.add_file(data_file("roads/test_extracts/monaco.osm.pbf"));
  both.add_file(data_file("roads/test_extracts/monaco.osm.pbf"));
  both.add_file(data_file("roads/test_extracts/andorra.osm.pbf"));
  // Reading the same extract twice adds nothing: ways are matched by id.
  both.add_file(data_file("roads/test_extracts/monaco.osm.pbf"));
  RoadEdges a = one.finish(), b = both.finish();
  OsmRoadReader andorra;
  andorra.add_file(data_file("roads/test_extracts/andorra.osm.pbf"));
  RoadEdges c = andorra.finish();
  EXPECT_EQ(b.edges.size(), a.edges.size() + c.edges.size());
  auto net = RoadNetwork::from_edges(b);
  RoadQuery q(net);
  // Monaco to Monaco routes; Monaco to Andorra has no route (two separate networks).
  LonLat casino{7.4275, 43.7396}, port{7.4222, 43.7350}, andorra_la_vella{1.5218, 42.5063};
  EXPECT_EQ(q.route(casino, port).status, RoadStatus::ok);
  EXPECT_EQ(q.route(casino, andorra_la_vella).status, RoadStatus::no_route);
}

}  // namespace
}  // namespace placedist::geo::roads
