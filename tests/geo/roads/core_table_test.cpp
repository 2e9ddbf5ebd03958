// Core tables (core_table.hpp): searches that stop below a hierarchy's core and read the table
// give Dijkstra's weights, one-to-one and in matrices, with seeded ends and whatever the core's
// size (one node, a few, most of the network, all of it), on Bucks (edge layer) and Rutland (OSM,
// with turn restrictions); the table itself holds Dijkstra's weights; a path asked for after a
// core answer is the route of that weight.
#include <gtest/gtest.h>

#include <random>

#include "geo/roads/base_graph.hpp"
#include "geo/roads/ch_search.hpp"
#include "geo/roads/core_table.hpp"
#include "geo/roads/osm_reader.hpp"
#include "road_test_support.hpp"

using namespace placedist::geo;

namespace placedist::geo::roads::detail {
namespace {

ChView with_core(ChView v, const CoreTable& t) {
  v.core = &t;
  return v;
}

// Query ends: one junction with weight 0, or (as a point part way along an edge gives them)
// several seeds with weights of up to a minute and 2 km; now and then none.
std::vector<std::vector<Seed>> random_ends(std::size_t count, std::uint32_t n, Metric m, std::mt19937& rng) {
  std::uniform_int_distribution<std::uint32_t> pick(0, n - 1);
  std::uniform_int_distribution<std::uint64_t> time_ms(0, 60'000), dist_dm(0, 20'000);
  std::vector<std::vector<Seed>> out(count);
  for (std::size_t i = 0; i < count; ++i) {
    if (i % 2 == 0) {
      out[i].push_back({pick(rng), 0});
      continue;
    }
    const std::size_t seeds = i % 9 == 1 ? 0 : 1 + i % 3;
    for (std::size_t k = 0; k < seeds; ++k) out[i].push_back({pick(rng), pack(m, time_ms(rng), dist_dm(rng))});
  }
  return out;
}

TEST(CoreTable, HoldsDijkstraWeightsBetweenCoreNodes) {
  auto net = testing::bucks_network();
  const NetworkData& d = net->data();
  for (int m = 0; m < kMetricCount; ++m) {
    const CoreTable t = build_core_table(d.ch[m], 300);
    ASSERT_EQ(t.size, 300u);
    ASSERT_EQ(t.first + t.size, d.layout[m].node_count());
    std::vector<std::uint32_t> node_of(t.size);
    for (std::uint32_t v = 0; v < d.routing_node_count(); ++v)
      if (t.in_core(d.layout[m].id[v])) node_of[d.layout[m].id[v] - t.first] = v;
    DijkstraSearch dj(d, net->base(), Metric(m));
    std::size_t routed = 0;
    for (std::uint32_t i = 0; i < t.size; i += 23) {
      const Seed s{node_of[i], 0};
      dj.one_to_all({&s, 1}, kInfinity);
      for (std::uint32_t j = 0; j < t.size; ++j) {
        ASSERT_EQ(t.at(t.first + i, t.first + j), dj.weight(node_of[j])) << "metric " << m << ", " << i << " -> " << j;
        routed += dj.weight(node_of[j]) < kInfinity;
      }
    }
    EXPECT_GT(routed, 13u * t.size * 9 / 10);  // the top of the hierarchy is one component
  }
}

// One-to-one through cores of these sizes (0: the whole network) equals Dijkstra; a core of 1,024
// saves most of the search.
void expect_one_to_one_equals_dijkstra(const RoadNetwork& net, std::vector<std::uint32_t> sizes, std::uint32_t seed) {
  const NetworkData& d = net.data();
  const std::uint32_t n = d.routing_node_count();
  for (int m = 0; m < kMetricCount; ++m) {
    std::mt19937 rng(seed + m);
    const auto sources = random_ends(150, n, Metric(m), rng), targets = random_ends(150, n, Metric(m), rng);
    DijkstraSearch dj(d, net.base(), Metric(m));
    ChSearch plain(d.ch[m]);
    std::uint64_t plain_settled = 0;
    std::vector<Weight> want;
    for (std::size_t i = 0; i < sources.size(); ++i) {
      want.push_back(dj.distance(sources[i], targets[i]));
      ASSERT_EQ(plain.distance(sources[i], targets[i]), want.back()) << "metric " << m << ", pair " << i;
      plain_settled += plain.settled();
    }
    EXPECT_GT(std::count_if(want.begin(), want.end(), [](Weight w) { return w < kInfinity; }), 100);
    for (std::uint32_t size : sizes) {
      if (size == 0) size = n;
      const CoreTable t = build_core_table(d.ch[m], size);
      ChSearch ch(with_core(d.ch[m], t));
      std::uint64_t settled = 0;
      for (std::size_t i = 0; i < sources.size(); ++i) {
        ASSERT_EQ(ch.distance(sources[i], targets[i]), want[i])
            << "metric " << m << ", core " << size << ", pair " << i;
        settled += ch.settled();
      }
      if (size == 1024) {
        EXPECT_LT(settled * 2, plain_settled) << "metric " << m;
      }
      if (size == n) {
        EXPECT_EQ(settled, 0u);  // every seed is in the core
      }
    }
  }
}

TEST(CoreTable, OneToOneEqualsDijkstraWhateverTheCoreSize) {
  // A table of all Bucks' 49,000 nodes would take 19 GB: the whole network is tried on Rutland.
  expect_one_to_one_equals_dijkstra(*testing::bucks_network(), {1, 64, 1024, 4096}, 5);
  expect_one_to_one_equals_dijkstra(*testing::rutland_network(), {1, 1024, 0}, 7);
}

TEST(CoreTable, MatricesEqualThePlainHierarchy) {
  for (auto net : {testing::bucks_network(), testing::rutland_network()}) {
    const NetworkData& d = net->data();
    const bool small = d.routing_node_count() < 10'000;
    for (int m = 0; m < kMetricCount; ++m) {
      std::mt19937 rng(11 + m);
      // More sources than a block of rows (64) that goes through the core at once.
      const auto sources = random_ends(150, d.routing_node_count(), Metric(m), rng);
      const auto targets = random_ends(41, d.routing_node_count(), Metric(m), rng);
      const std::vector<Weight> want = ChSearch(d.ch[m]).many_to_many(sources, targets);
      EXPECT_GT(std::count_if(want.begin(), want.end(), [](Weight w) { return w < kInfinity; }), 150 * 41 / 2);
      for (std::uint32_t size : {1u, 64u, 1024u, small ? d.routing_node_count() : 4096u}) {
        const CoreTable t = build_core_table(d.ch[m], size);
        ChSearch ch(with_core(d.ch[m], t));
        ASSERT_EQ(ch.many_to_many(sources, targets), want) << "metric " << m << ", core " << size;
        ASSERT_EQ(ch.many_to_many(targets, sources), ChSearch(d.ch[m]).many_to_many(targets, sources));
      }
    }
  }
}

// path() after a distance through the core searches again without it: the route it gives has
// the weight the core answer gave.
TEST(CoreTable, PathAfterACoreAnswerHasItsWeight) {
  auto net = testing::bucks_network();
  const NetworkData& d = net->data();
  for (int m = 0; m < kMetricCount; ++m) {
    const CoreTable t = build_core_table(d.ch[m], 1024);
    ChSearch ch(with_core(d.ch[m], t));
    std::mt19937 rng(13);
    std::uniform_int_distribution<std::uint32_t> pick(0, d.routing_node_count() - 1);
    std::size_t routed = 0;
    for (int i = 0; i < 60; ++i) {
      const Seed s{pick(rng), 0}, e{pick(rng), 0};
      const Weight w = ch.distance({&s, 1}, {&e, 1});
      const std::vector<std::uint32_t> path = ch.path();
      if (w == kInfinity) {
        EXPECT_TRUE(path.empty());
        continue;
      }
      ++routed;
      Weight sum = 0;
      for (std::uint32_t code : path) sum += pack(Metric(m), d.edges[code >> 1].time_ms, d.edges[code >> 1].dist_dm);
      ASSERT_EQ(sum, w) << "metric " << m << ", pair " << i;
    }
    EXPECT_GT(routed, 40u);
  }
}

}  // namespace
}  // namespace placedist::geo::roads::detail
