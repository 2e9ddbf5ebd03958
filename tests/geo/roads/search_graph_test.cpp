// The query-side layout of a hierarchy (search_graph.hpp): every arc of the file's up and down
// lists appears once, two-way pairs share a record, search ids are a permutation; and searches
// on the layout in file rank order and in the loaded (level, Hilbert) order give Dijkstra's
// weights node to node, with paths whose edges add up to them. Real extract: Rutland (OSM).
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <tuple>

#include "geo/data_dir.hpp"
#include "geo/roads/base_graph.hpp"
#include "geo/roads/ch_search.hpp"
#include "geo/roads/network_data.hpp"
#include "geo/roads/osm_reader.hpp"
#include "geo/roads/road_network.hpp"
#include "geo/roads/search_graph.hpp"

using namespace placedist::geo;

namespace placedist::geo::roads::detail {
namespace {

std::shared_ptr<const roads::RoadNetwork> rutland() {
  static std::shared_ptr<const roads::RoadNetwork> net = [] {
    OsmRoadReader reader;
    reader.add_file(data_file("roads/uk/rutland-2018-02-27.osm.pbf"));
    return roads::RoadNetwork::from_edges(reader.finish());
  }();
  return net;
}

TEST(SearchGraph, HoldsEveryArcOnceAndMergesTwoWayPairs) {
  auto net = rutland();
  for (int m = 0; m < 2; ++m) {
    const ChView& ch = net->data().ch[m];
    ASSERT_NE(ch.search, nullptr);
    const SearchGraph& g = *ch.search;
    const std::uint32_t n = ch.node_count();
    ASSERT_EQ(g.node_count(), n);
    std::set<std::uint32_t> ids(g.id.begin(), g.id.end());
    EXPECT_EQ(ids.size(), n) << "search ids are a permutation";
    // (tail, head, weight, arc) of every up arc and every down arc, in file ranks and in search ids.
    using Arc = std::tuple<std::uint32_t, std::uint32_t, Weight, std::uint32_t>;
    std::vector<std::uint32_t> node_of_rank(n);
    for (std::uint32_t v = 0; v < n; ++v) node_of_rank[ch.rank[v]] = v;
    std::multiset<Arc> file_up, file_down, layout_up, layout_down;
    for (std::uint32_t r = 0; r < n; ++r) {
      const std::uint32_t id = g.id[node_of_rank[r]];
      for (std::uint32_t i = ch.up_first[r]; i < ch.up_first[r + 1]; ++i)
        file_up.insert({id, g.id[node_of_rank[ch.up[i].head]], ch.up[i].weight, ch.up[i].arc});
      for (std::uint32_t i = ch.down_first[r]; i < ch.down_first[r + 1]; ++i)
        file_down.insert({id, g.id[node_of_rank[ch.down[i].head]], ch.down[i].weight, ch.down[i].arc});
    }
    std::size_t two_way = 0;
    for (std::uint32_t v = 0; v < n; ++v) {
      const SearchNode& s = g.nodes[v];
      ASSERT_LE(s.first, s.both);
      ASSERT_LE(s.both, s.up);
      ASSERT_LE(s.up, g.end(v));
      for (std::uint32_t i = s.first; i < g.end(v); ++i) {
        EXPECT_EQ(g.owner(i), v);
        const SearchRecord& r = g.records[i];
        const bool down = i < s.up, up = i >= s.both;
        EXPECT_EQ(up, g.up_arc[i] != kNoArc);
        EXPECT_EQ(down, g.down_arc[i] != kNoArc);
        if (up) layout_up.insert({v, r.head, r.weight(), g.up_arc[i]});
        if (down) layout_down.insert({v, r.head, r.weight(), g.down_arc[i]});
        two_way += up && down;
      }
    }
    EXPECT_EQ(layout_up, file_up);
    EXPECT_EQ(layout_down, file_down);
    EXPECT_EQ(g.records.size(), ch.up.size() + ch.down.size() - two_way);
    EXPECT_GT(two_way, ch.up.size() / 4) << "most roads are two-way: their arcs should share records";
  }
}

TEST(SearchGraph, BothNumberingsGiveDijkstraWeightsAndPaths) {
  auto net = rutland();
  const NetworkData& d = net->data();
  std::mt19937 rng(77);
  std::uniform_int_distribution<std::uint32_t> pick(0, d.routing_node_count() - 1);
  for (int m = 0; m < 2; ++m) {
    ChView file_order = d.ch[m];
    file_order.search = nullptr;  // the search builds its own layout, keeping the file's ranks
    ChSearch loaded(d.ch[m]), own(file_order);
    DijkstraSearch dijkstra(d, net->base(), Metric(m));
    int routed = 0;
    for (int k = 0; k < 400; ++k) {
      Seed s{pick(rng), 0}, t{pick(rng), 0};
      const Weight expected = dijkstra.distance({&s, 1}, {&t, 1});
      ASSERT_EQ(loaded.distance({&s, 1}, {&t, 1}), expected) << "metric " << m << " pair " << k;
      ASSERT_EQ(own.distance({&s, 1}, {&t, 1}), expected) << "metric " << m << " pair " << k;
      if (expected >= kInfinity) continue;
      ++routed;
      // The unpacked path is a chain of edges from s to t whose weights add up to the distance.
      loaded.distance({&s, 1}, {&t, 1});
      Weight sum = 0;
      std::uint32_t at = d.junction_of(s.node);
      for (std::uint32_t code : loaded.path()) {
        const RoadEdge& e = d.edges[code >> 1];
        ASSERT_EQ(code_tail(e, code), at);
        sum += pack(Metric(m), e.time_ms, e.dist_dm);
        at = code_head(e, code);
      }
      EXPECT_EQ(at, d.junction_of(t.node));
      EXPECT_EQ(sum, expected);
    }
    EXPECT_GT(routed, 300);
  }
}

}  // namespace
}  // namespace placedist::geo::roads::detail
