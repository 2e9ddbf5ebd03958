// The query-side layout of a hierarchy (search_graph.hpp), which the network file stores: laid
// out from a contraction's up and down lists, every arc appears once, two-way pairs share a
// record, search ids are a permutation; searches on the layout a loaded network reads from its
// file and on one laid out in contraction rank order give Dijkstra's weights node to node, with
// paths whose edges add up to them; a damaged layout is refused. Real extract: Rutland (OSM).
#include <gtest/gtest.h>

#include <functional>
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
#include "geo/roads/routing_graph.hpp"
#include "geo/roads/search_graph.hpp"
#include "tests/geo/roads/road_test_support.hpp"

using namespace placedist::geo;

namespace placedist::geo::roads::detail {
std::vector<InputArc> input_arcs(std::span<const RoadEdge> edges, std::span<const RoutingArc> arcs,
                                 Metric m);  // network_build.cpp
namespace {

// Rutland's hierarchy of one metric contracted again here, with its up and down lists (the file
// keeps only the layout), and each routing node's position.
struct Contracted {
  ChData ch;
  std::vector<FixedPoint> where;
};
Contracted contract_again(const NetworkData& d, Metric m) {
  const auto n = static_cast<std::uint32_t>(d.nodes.size());
  std::vector<RoutingArc> arcs = routing_arcs(d.edges, n, d.restrictions, d.copy_code);
  Contracted c{contract(d.routing_node_count(), input_arcs(d.edges, arcs, m)), {}};
  for (std::uint32_t v = 0; v < d.routing_node_count(); ++v) c.where.push_back(d.nodes[d.junction_of(v)]);
  return c;
}

TEST(SearchGraph, HoldsEveryArcOnceAndMergesTwoWayPairs) {
  auto net = testing::rutland_network();
  for (int m = 0; m < 2; ++m) {
    const Contracted c = contract_again(net->data(), Metric(m));
    const ChView ch = c.ch.view();
    const SearchGraphData data = build_search_graph(ch, c.where);
    const SearchGraph g = data.view();
    const std::uint32_t n = ch.node_count();
    ASSERT_EQ(g.node_count(), n);
    EXPECT_EQ(bad_search_graph(g, n, ch.arcs.size()), nullptr);
    std::set<std::uint32_t> ids(g.id.begin(), g.id.end());
    EXPECT_EQ(ids.size(), n) << "search ids are a permutation";
    // (tail, head, weight, arc) of every up arc and every down arc, in ranks and in search ids.
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
      const RunHeader h = g.header(v);
      ASSERT_EQ(h.zero, 0u);
      ASSERT_LE(1u, h.both);
      ASSERT_LE(h.both, h.up);
      ASSERT_LE(h.up, h.end);
      ASSERT_EQ(g.run[v] + h.end, g.run[v + 1]);
      EXPECT_EQ(g.owner(g.run[v]), v);
      for (std::uint32_t k = 1; k < h.end; ++k) {
        const std::uint32_t i = g.run[v] + k;
        EXPECT_EQ(g.owner(i), v);
        const SearchRecord& r = g.records[i];
        EXPECT_EQ(r.head_run, g.run[r.head]) << "a record says where its head's run starts";
        const bool down = k < h.up, up = k >= h.both;
        EXPECT_EQ(up, g.up_arc[i] != kNoArc);
        EXPECT_EQ(down, g.down_arc[i] != kNoArc);
        if (up) layout_up.insert({v, r.head, r.weight, g.up_arc[i]});
        if (down) layout_down.insert({v, r.head, r.weight, g.down_arc[i]});
        two_way += up && down;
      }
    }
    EXPECT_EQ(layout_up, file_up);
    EXPECT_EQ(layout_down, file_down);
    EXPECT_EQ(g.records.size(), n + ch.up.size() + ch.down.size() - two_way) << "a header and the records per node";
    EXPECT_GT(two_way, ch.up.size() / 4) << "most roads are two-way: their arcs should share records";
    // The loaded network reads the same kind of layout from its file, in place.
    const SearchGraph& loaded = net->data().layout[m];
    EXPECT_EQ(net->data().ch[m].search, &loaded);
    EXPECT_EQ(loaded.node_count(), n);
    EXPECT_EQ(loaded.records.size(), g.records.size());
  }
}

// A layout damaged in each index a search or path() follows is refused, naming what is wrong.
TEST(SearchGraph, DamagedLayoutsAreRefused) {
  auto net = testing::rutland_network();
  const NetworkData& d = net->data();
  const SearchGraph& good = d.layout[0];
  const std::uint64_t n = d.routing_node_count(), arcs = d.ch[0].arcs.size();
  ASSERT_EQ(bad_search_graph(good, n, arcs), nullptr);
  auto copy = [&] {
    return SearchGraphData{{good.id.begin(), good.id.end()},
                           {good.run.begin(), good.run.end()},
                           {good.records.begin(), good.records.end()},
                           {good.up_arc.begin(), good.up_arc.end()},
                           {good.down_arc.begin(), good.down_arc.end()}};
  };
  // A node with records of each kind (down-only, both, up-only); its slots.
  std::uint32_t v = 0;
  while (
      !(1 < good.header(v).both && good.header(v).both < good.header(v).up && good.header(v).up < good.header(v).end))
    ASSERT_LT(++v, n);
  const RunHeader h = good.header(v);
  const std::uint32_t down_only = good.run[v] + 1, both = good.run[v] + h.both, up_only = good.run[v] + h.up;
  auto set_header = [&](SearchGraphData& g, auto change) {
    RunHeader x = run_header(g.records[g.run[v]]);
    change(x);
    g.records[g.run[v]] = header_slot(x);
  };
  std::vector<std::pair<std::string, std::function<void(SearchGraphData&)>>> damage{
      {"id out of range", [&](SearchGraphData& g) { g.id[5] = static_cast<std::uint32_t>(n); }},
      {"id twice", [&](SearchGraphData& g) { g.id[5] = g.id[6]; }},
      {"head out of range", [&](SearchGraphData& g) { g.records[down_only].head = static_cast<std::uint32_t>(n); }},
      {"head's run elsewhere", [&](SearchGraphData& g) { ++g.records[both].head_run; }},
      {"head's run past the end",
       [&](SearchGraphData& g) { g.records[up_only].head_run = static_cast<std::uint32_t>(g.records.size()); }},
      {"weight at infinity", [&](SearchGraphData& g) { g.records[both].weight = kInfinity; }},
      {"header backwards", [&](SearchGraphData& g) { set_header(g, [](RunHeader& x) { x.both = x.up + 1; }); }},
      {"header without a slot for itself",
       [&](SearchGraphData& g) { set_header(g, [](RunHeader& x) { x.both = 0; }); }},
      {"slice past the run", [&](SearchGraphData& g) { set_header(g, [](RunHeader& x) { ++x.end; }); }},
      {"slice short of the run", [&](SearchGraphData& g) { set_header(g, [](RunHeader& x) { --x.end; }); }},
      {"header's spare word", [&](SearchGraphData& g) { set_header(g, [](RunHeader& x) { x.zero = 1; }); }},
      {"run without a header", [&](SearchGraphData& g) { g.run[v + 1] = g.run[v]; }},
      {"runs end early", [&](SearchGraphData& g) { --g.run.back(); }},
      {"header with an arc", [&](SearchGraphData& g) { g.up_arc[g.run[v]] = 0; }},
      {"both record without up arc", [&](SearchGraphData& g) { g.up_arc[both] = kNoArc; }},
      {"up-only record with a down arc", [&](SearchGraphData& g) { g.down_arc[up_only] = 0; }},
      {"down arc out of range", [&](SearchGraphData& g) { g.down_arc[down_only] = static_cast<std::uint32_t>(arcs); }},
      {"up arc out of range", [&](SearchGraphData& g) { g.up_arc[up_only] = static_cast<std::uint32_t>(arcs); }},
      {"record count", [&](SearchGraphData& g) { g.up_arc.pop_back(); }},
  };
  for (auto& [what, change] : damage) {
    SearchGraphData g = copy();
    ASSERT_EQ(bad_search_graph(g.view(), n, arcs), nullptr) << what;
    change(g);
    EXPECT_NE(bad_search_graph(g.view(), n, arcs), nullptr) << what;
  }
}

TEST(SearchGraph, BothNumberingsGiveDijkstraWeightsAndPaths) {
  auto net = testing::rutland_network();
  const NetworkData& d = net->data();
  std::mt19937 rng(77);
  std::uniform_int_distribution<std::uint32_t> pick(0, d.routing_node_count() - 1);
  for (int m = 0; m < 2; ++m) {
    const Contracted c = contract_again(d, Metric(m));
    ChSearch loaded(d.ch[m]), own(c.ch.view());  // own: laid out by the search, in rank order
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
      // distance() keeps no parent records: path() searches again (and a second call reuses them).
      loaded.distance({&s, 1}, {&t, 1});
      const std::vector<std::uint32_t> path = loaded.path();
      ASSERT_EQ(loaded.path(), path);
      Weight sum = 0;
      std::uint32_t at = d.junction_of(s.node);
      for (std::uint32_t code : path) {
        const RoadEdge& e = d.edges[code >> 1];
        ASSERT_EQ(code_tail(e, code), at);
        sum += pack(Metric(m), e.time_ms, e.dist_dm);
        at = code_head(e, code);
      }
      EXPECT_EQ(at, d.junction_of(t.node));
      EXPECT_EQ(sum, expected);
    }
    EXPECT_GT(routed, 300);
    // A matrix leaves no route to unpack.
    std::vector<std::vector<Seed>> ends{{{pick(rng), 0}}, {{pick(rng), 0}}};
    loaded.many_to_many(ends, ends);
    EXPECT_TRUE(loaded.path().empty());
  }
}

}  // namespace
}  // namespace placedist::geo::roads::detail
