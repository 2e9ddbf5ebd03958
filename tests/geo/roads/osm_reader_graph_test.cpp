// The OSM reader makes exactly the graph it made before it read in two passes (main 2ba2b7b's
// single-pass reader): golden digests of every real extract's RoadEdges (junctions, edges,
// polylines, restrictions, source text), of two extracts read together and of one extract read
// twice, and the file reports. Also a way with a node missing from its file: dropped and counted,
// then supplied whole by a second file.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>

#include <unistd.h>
#include "geo/data_dir.hpp"
#include "geo/roads/osm_reader.hpp"
#include "geo/roads/road_edges_digest.hpp"

namespace placedist::geo::roads {
namespace {

struct Golden {
  std::vector<const char*> files;
  std::uint64_t ways, missing, digest;
};

// Each extract read in one pass (every node kept) and in two (only the car ways' nodes).
class OsmReaderGraph : public ::testing::TestWithParam<std::tuple<Golden, OsmPasses>> {};

TEST_P(OsmReaderGraph, SameGraphAsTheSinglePassReader) {
  const Golden& golden = std::get<0>(GetParam());
  OsmRoadReader reader(std::get<1>(GetParam()));
  std::uint64_t ways = 0, missing = 0;
  for (const char* f : golden.files) {
    OsmFileReport r = reader.add_file(data_file(f));
    ways += r.ways, missing += r.missing_nodes;
  }
  RoadEdges g = reader.finish();
  std::cout << "ways " << ways << " missing " << missing << " digest 0x" << std::hex << road_edges_digest(g) << std::dec
            << " (" << g.nodes.size() << " junctions, " << g.edges.size() << " edges)\n";
  EXPECT_EQ(ways, golden.ways);
  EXPECT_EQ(missing, golden.missing);
  EXPECT_EQ(road_edges_digest(g), golden.digest);
}

INSTANTIATE_TEST_SUITE_P(
    RealExtracts, OsmReaderGraph,
    ::testing::Combine(
        ::testing::Values(
            Golden{{"roads/uk/rutland-2018-02-27.osm.pbf"}, 2939, 0, 0x9288626b0714a864ull},
            Golden{{"roads/bucks/osm_small_extracts/oxford_centre_2015-02-25.osm.pbf"}, 201, 0, 0xe77735cbe09c72dull},
            Golden{{"roads/uk/leeds-its-example.osm.pbf"}, 91, 0, 0xc2b40b45e03fdb26ull},
            Golden{{"roads/test_extracts/andorra.osm.pbf"}, 1164, 0, 0xbcf2e25979f12b02ull},
            Golden{{"roads/test_extracts/monaco.osm.pbf"}, 502, 0, 0x79a2e7d7282cb3c7ull},
            Golden{{"roads/test_extracts/liechtenstein-2013-08-03.osm.pbf"}, 1562, 0, 0x93257266a98c7db0ull},
            Golden{{"roads/test_extracts/monaco.osm.pbf", "roads/test_extracts/andorra.osm.pbf"},
                   1666,
                   0,
                   0x522baf71fed29f4ull},
            Golden{{"roads/uk/rutland-2018-02-27.osm.pbf", "roads/uk/rutland-2018-02-27.osm.pbf"},
                   2939,
                   0,
                   0xe56e3e580f08a7d0ull}),
        ::testing::Values(OsmPasses::one, OsmPasses::two)));

// A file out of the usual order (ways before nodes, node ids descending) that holds node 2
// twice: both reads take the later copy, and make the same graph.
TEST(OsmReaderGraph, OnePassAndTwoPassesAgreeOnAnUnsortedFileWithADuplicateNode) {
  const auto path = std::filesystem::temp_directory_path() / ("placedist_" + std::to_string(::getpid()) + "_u.osm");
  {
    std::ofstream out(path);
    out << "<osm version=\"0.6\">\n"
        << "<way id=\"11\"><nd ref=\"4\"/><nd ref=\"2\"/><tag k=\"highway\" v=\"residential\"/></way>\n"
        << "<way id=\"10\"><nd ref=\"1\"/><nd ref=\"2\"/><nd ref=\"3\"/><tag k=\"highway\" v=\"primary\"/></way>\n"
        << "<node id=\"4\" lat=\"52.60\" lon=\"-0.72\"/><node id=\"3\" lat=\"52.62\" lon=\"-0.71\"/>\n"
        << "<node id=\"2\" lat=\"52.50\" lon=\"-0.90\"/><node id=\"1\" lat=\"52.60\" lon=\"-0.70\"/>\n"
        << "<node id=\"2\" lat=\"52.61\" lon=\"-0.70\"/>\n"
        << "</osm>\n";
  }
  std::uint64_t digest[2] = {0, 0};
  for (OsmPasses passes : {OsmPasses::one, OsmPasses::two}) {
    OsmRoadReader reader(passes);
    OsmFileReport r = reader.add_file(path);
    EXPECT_EQ(r.ways, 2u);
    EXPECT_EQ(r.missing_nodes, 0u);
    RoadEdges g = reader.finish();
    ASSERT_EQ(g.nodes.size(), 4u);
    ASSERT_EQ(g.edges.size(), 3u);
    EXPECT_EQ(g.nodes[1], to_fixed(-0.70, 52.61));  // node 2, its later copy
    digest[passes == OsmPasses::two] = road_edges_digest(g);
  }
  std::filesystem::remove(path);
  EXPECT_EQ(digest[0], digest[1]);
}

TEST(OsmReaderGraph, WayWithAMissingNodeIsDroppedThenReadWholeFromTheNextFile) {
  const auto dir = std::filesystem::temp_directory_path();
  const std::string tag = "placedist_" + std::to_string(::getpid()) + "_";
  auto write = [&](const char* name, bool with_node_3) {
    std::ofstream out(dir / (tag + name));
    out << "<osm version=\"0.6\">\n"
        << "<node id=\"1\" lat=\"52.60\" lon=\"-0.70\"/><node id=\"2\" lat=\"52.61\" lon=\"-0.70\"/>\n"
        << (with_node_3 ? "<node id=\"3\" lat=\"52.62\" lon=\"-0.71\"/>\n" : "")
        << "<node id=\"4\" lat=\"52.60\" lon=\"-0.72\"/>\n"
        << "<way id=\"10\"><nd ref=\"1\"/><nd ref=\"2\"/><nd ref=\"3\"/><tag k=\"highway\" v=\"primary\"/></way>\n"
        << "<way id=\"11\"><nd ref=\"4\"/><nd ref=\"2\"/><tag k=\"highway\" v=\"residential\"/></way>\n"
        << "</osm>\n";
    return dir / (tag + name);
  };
  OsmRoadReader reader;
  OsmFileReport first = reader.add_file(write("a.osm", false));
  EXPECT_EQ(first.ways, 1u);
  EXPECT_EQ(first.missing_nodes, 1u);
  OsmFileReport second = reader.add_file(write("b.osm", true));
  EXPECT_EQ(second.ways, 1u);  // way 10 now whole; way 11 already read
  EXPECT_EQ(second.missing_nodes, 0u);
  RoadEdges g = reader.finish();
  std::filesystem::remove(dir / (tag + "a.osm"));
  std::filesystem::remove(dir / (tag + "b.osm"));
  // Way 11 (4 -> 2) first, then way 10 split at node 2: 1 -> 2, 2 -> 3.
  ASSERT_EQ(g.edges.size(), 3u);
  ASSERT_EQ(g.nodes.size(), 4u);
  EXPECT_EQ(g.nodes[0], to_fixed(-0.72, 52.60));
  EXPECT_EQ(g.nodes[1], to_fixed(-0.70, 52.61));
  EXPECT_EQ(g.nodes[2], to_fixed(-0.70, 52.60));
  EXPECT_EQ(g.nodes[3], to_fixed(-0.71, 52.62));
  EXPECT_EQ(g.edges[1].a, 2u);
  EXPECT_EQ(g.edges[1].b, 1u);
  EXPECT_EQ(g.edges[2].a, 1u);
  EXPECT_EQ(g.edges[2].b, 3u);
}

}  // namespace
}  // namespace placedist::geo::roads
