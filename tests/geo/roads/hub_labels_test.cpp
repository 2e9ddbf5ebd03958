// Hub labels (hub_labels.hpp, label_search.hpp): on a real extract (Rutland, OSM) they give
// Dijkstra's one-to-all weights from sampled sources to every node, for both metrics; query ends
// with several seeds and matrices agree with the hierarchy; labels are pruned (smaller than the
// upward search spaces they come from); a network above the size limit gets none; damaged
// labels are refused.
#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "geo/data_dir.hpp"
#include "geo/roads/base_graph.hpp"
#include "geo/roads/ch_search.hpp"
#include "geo/roads/label_search.hpp"
#include "geo/roads/network_data.hpp"
#include "geo/roads/osm_reader.hpp"
#include "geo/roads/road_network.hpp"
#include "tests/geo/roads/road_test_support.hpp"

using namespace placedist::geo;

namespace placedist::geo::roads::detail {
namespace {

TEST(HubLabels, EqualDijkstraFromSampledSourcesToEveryNode) {
  auto net = testing::rutland_network();
  const NetworkData& d = net->data();
  const std::uint32_t n = d.routing_node_count();
  ASSERT_GT(net->hub_label_bytes(), 0u);
  std::mt19937 rng(3);
  std::uniform_int_distribution<std::uint32_t> pick(0, n - 1);
  LabelSearch labels;
  for (int m = 0; m < kMetricCount; ++m) {
    DijkstraSearch dj(d, net->base(), Metric(m));
    std::uint64_t reached = 0;
    for (int k = 0; k < 12; ++k) {
      const Seed s{pick(rng), 0};
      dj.one_to_all({&s, 1}, kInfinity);
      // Both directions: from s to every node and from every node to s (in the other's label).
      DijkstraSearch back(d, net->base(), Metric(m));
      for (std::uint32_t t = 0; t < n; ++t) {
        const Seed ts{t, 0};
        ASSERT_EQ(labels.distance(d.layout[m], d.labels[m], {&s, 1}, {&ts, 1}), dj.weight(t))
            << "metric " << m << ", " << s.node << " -> " << t;
        reached += dj.weight(t) < kInfinity;
        if (t % 97 == 0) {
          ASSERT_EQ(labels.distance(d.layout[m], d.labels[m], {&ts, 1}, {&s, 1}), back.distance({&ts, 1}, {&s, 1}))
              << "metric " << m << ", " << t << " -> " << s.node;
        }
      }
    }
    // Most nodes lie in the main component: the comparison covers real routes.
    EXPECT_GT(reached, 12u * n / 2);
  }
}

// Ends part way along an edge have two seeds with weights; a matrix of such ends equals the
// hierarchy's matrix and one-to-one label queries.
TEST(HubLabels, SeededEndsAndMatricesEqualTheHierarchy) {
  auto net = testing::rutland_network();
  const NetworkData& d = net->data();
  const std::uint32_t n = d.routing_node_count();
  std::mt19937 rng(9);
  std::uniform_int_distribution<std::uint32_t> pick(0, n - 1);
  // Seed weights as a partial edge gives them: up to a minute and 2 km.
  std::uniform_int_distribution<std::uint64_t> time_ms(0, 60'000), dist_dm(0, 20'000);
  LabelSearch labels;
  for (int m = 0; m < kMetricCount; ++m) {
    auto ends = [&](std::size_t count) {
      std::vector<std::vector<Seed>> out(count);
      for (std::size_t i = 0; i < count; ++i) {
        const std::size_t seeds = i % 7 == 0 ? 0 : 1 + i % 3;  // some ends did not snap
        for (std::size_t k = 0; k < seeds; ++k)
          out[i].push_back({pick(rng), pack(Metric(m), time_ms(rng), dist_dm(rng))});
      }
      return out;
    };
    ChSearch ch(d.ch[m]);
    const auto sources = ends(23), targets = ends(31);
    const std::vector<Weight> by_labels = labels.many_to_many(d.layout[m], d.labels[m], sources, targets);
    ASSERT_EQ(by_labels, ch.many_to_many(sources, targets)) << "metric " << m;
    std::size_t routed = 0;
    for (std::size_t i = 0; i < sources.size(); ++i)
      for (std::size_t j = 0; j < targets.size(); ++j) {
        const Weight one = labels.distance(d.layout[m], d.labels[m], sources[i], targets[j]);
        ASSERT_EQ(one, by_labels[i * targets.size() + j]) << i << " -> " << j;
        ASSERT_EQ(one, ch.distance(sources[i], targets[j])) << i << " -> " << j;
        routed += one < kInfinity;
      }
    EXPECT_GT(routed, sources.size() * targets.size() / 2);
  }
}

// Pruning keeps only entries no other hub beats: fewer than the upward search space, whose
// every node the unpruned label would hold (Rutland: 20% fewer on the sampled nodes).
TEST(HubLabels, ArePrunedBelowTheUpwardSearchSpace) {
  auto net = testing::rutland_network();
  const NetworkData& d = net->data();
  for (int m = 0; m < kMetricCount; ++m)
    for (bool forward : {true, false}) {
      const SearchGraph& g = d.layout[m];
      const LabelSet& labels = forward ? d.labels[m].fwd : d.labels[m].bwd;
      std::uint64_t label_entries = 0, search_space = 0;
      for (std::uint32_t v = 0; v < g.node_count(); v += 50) {
        label_entries += labels.end[v] - labels.begin_of(v);
        std::vector<bool> seen(g.node_count(), false);
        std::vector<std::uint32_t> stack{v};
        seen[v] = true;
        while (!stack.empty()) {
          const std::uint32_t u = stack.back();
          stack.pop_back();
          ++search_space;
          const RunHeader h = g.header(u);
          for (std::uint32_t i = forward ? h.both : 1; i < (forward ? h.end : h.up); ++i)
            if (const std::uint32_t x = g.records[g.run[u] + i].head; !seen[x]) seen[x] = true, stack.push_back(x);
        }
      }
      EXPECT_LT(label_entries * 10, search_space * 9) << "metric " << m << (forward ? " forward: " : " backward: ")
                                                      << label_entries << " entries, search spaces " << search_space;
    }
}

TEST(HubLabels, NoneAboveTheSizeLimit) {
  // Nodes without arcs: the size alone decides.
  SearchGraphData g;
  const std::uint32_t n = kHubLabelMaxNodes + 1;
  g.id.resize(n);
  for (std::uint32_t v = 0; v < n; ++v) {
    g.id[v] = v;
    g.run.push_back(v);
    g.records.push_back(header_slot({1, 1, 1, 0}));
  }
  g.run.push_back(n);
  g.up_arc.assign(n, kNoArc), g.down_arc.assign(n, kNoArc);
  EXPECT_TRUE(build_hub_labels(g.view()).view().empty());
  g.id.resize(n - 1), g.run.resize(n), g.records.resize(n - 1);
  const HubLabelsData at_limit = build_hub_labels(g.view());
  ASSERT_FALSE(at_limit.view().empty());
  EXPECT_EQ(at_limit.fwd.hub.size(), n - 1);  // each node its own hub, nothing else
}

TEST(HubLabels, DamagedLabelsAreRefused) {
  auto net = testing::rutland_network();
  const NetworkData& d = net->data();
  const std::uint64_t n = d.routing_node_count();
  const HubLabels& good = d.labels[1];
  ASSERT_EQ(bad_hub_labels(good, n), nullptr);
  ASSERT_EQ(bad_hub_labels({}, n), nullptr);  // none is fine
  auto copy = [&](const LabelSet& s) {
    return LabelSetData{{s.end.begin(), s.end.end()}, {s.hub.begin(), s.hub.end()}, {s.weight.begin(), s.weight.end()}};
  };
  // A label with at least three hubs, and where it starts.
  std::uint32_t v = 0;
  while (good.bwd.end[v] - good.bwd.begin_of(v) < 3) ASSERT_LT(++v, n);
  const std::uint32_t k = good.bwd.begin_of(v);
  std::vector<std::pair<std::string, std::function<void(HubLabelsData&)>>> damage{
      {"hub out of range", [&](HubLabelsData& l) { l.bwd.hub[k + 1] = static_cast<std::uint32_t>(n); }},
      {"hubs out of order", [&](HubLabelsData& l) { std::swap(l.bwd.hub[k], l.bwd.hub[k + 1]); }},
      {"a hub twice", [&](HubLabelsData& l) { l.bwd.hub[k + 1] = l.bwd.hub[k]; }},
      {"infinite weight", [&](HubLabelsData& l) { l.bwd.weight[k + 2] = kInfinity; }},
      {"offsets out of order", [&](HubLabelsData& l) { l.bwd.end[v + 1] = l.bwd.end[v] + 1; }},
      {"offsets past the end", [&](HubLabelsData& l) { l.bwd.end[0] += 1; }},
      {"offsets not from zero", [&](HubLabelsData& l) { l.bwd.end[n] = 1; }},
      {"offsets missing", [&](HubLabelsData& l) { l.fwd.end.pop_back(); }},
      {"weights missing", [&](HubLabelsData& l) { l.fwd.weight.pop_back(); }},
      {"entries without offsets", [&](HubLabelsData& l) { l.fwd.end.clear(); }},
  };
  for (auto& [what, change] : damage) {
    HubLabelsData l{copy(good.fwd), copy(good.bwd)};
    change(l);
    EXPECT_NE(bad_hub_labels(l.view(), n), nullptr) << what;
  }
}

}  // namespace
}  // namespace placedist::geo::roads::detail
