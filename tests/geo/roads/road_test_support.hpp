#pragma once
// Shared by the road tests: real networks built once per test binary, random query points.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>
#include <vector>

#include "geo/data_dir.hpp"
#include "geo/roads/edge_layer.hpp"
#include "geo/roads/network_data.hpp"
#include "geo/roads/osm_reader.hpp"
#include "geo/roads/road_network.hpp"
#include "geo/roads/road_query.hpp"

namespace placedist::geo::roads::testing {

inline std::filesystem::path bucks_edges() {
  return data_file("roads/bucks/osm2016_graphhopper_car/bucks_osm2016_car_edges.csv");
}

inline std::shared_ptr<const RoadNetwork> bucks_network() {
  static std::shared_ptr<const RoadNetwork> net = [] {
    RoadEdges edges;
    read_edge_layer(bucks_edges(), {}, edges);
    return RoadNetwork::from_edges(edges);
  }();
  return net;
}

inline std::filesystem::path rutland_extract() { return data_file("roads/uk/rutland-2018-02-27.osm.pbf"); }

// Rutland's OSM extract (turn restrictions, one-way streets, junction copies) as a network.
inline std::shared_ptr<const RoadNetwork> rutland_network() {
  static std::shared_ptr<const RoadNetwork> net = [] {
    OsmRoadReader reader;
    reader.add_file(rutland_extract());
    return RoadNetwork::from_edges(reader.finish());
  }();
  return net;
}

// Random points near random nodes (within about 300 m), fixed seed: they snap mid-segment.
inline std::vector<LonLat> random_points(const RoadNetwork& net, std::size_t count, std::uint32_t seed) {
  std::mt19937 rng(seed);
  const auto& nodes = net.data().nodes;
  std::uniform_int_distribution<std::size_t> pick(0, nodes.size() - 1);
  std::uniform_real_distribution<double> jitter(-0.003, 0.003);
  std::vector<LonLat> out;
  for (std::size_t i = 0; i < count; ++i) {
    FixedPoint p = nodes[pick(rng)];
    out.push_back({p.lon / kFixedPerDegree + jitter(rng), p.lat / kFixedPerDegree + jitter(rng) * 0.6});
  }
  return out;
}

// Random pairs routed by the hierarchy, by the hub labels (when the network has them) and by
// plain Dijkstra: the same status, times and lengths.
inline void expect_routes_equal_dijkstra(std::shared_ptr<const RoadNetwork> net, std::size_t pairs,
                                         std::uint32_t seed) {
  if (net->data().routing_node_count() <= kHubLabelMaxNodes) {
    EXPECT_GT(net->hub_label_bytes(), 0u);  // else this would not test the labels at all
  }
  RoadQuery by_labels(net), by_ch(net, {.hub_labels = false});
  auto pts = random_points(*net, pairs * 2, seed);
  std::size_t ok = 0;
  for (std::size_t i = 0; i < pairs; ++i) {
    RoadResult dj = by_ch.route_dijkstra(pts[2 * i], pts[2 * i + 1]);
    for (RoadQuery* q : {&by_ch, &by_labels}) {
      RoadResult r = q->route(pts[2 * i], pts[2 * i + 1]);
      const char* how = q == &by_ch ? "hierarchy" : "hub labels";
      ASSERT_EQ(r.status, dj.status) << how << ", pair " << i;
      if (r.status != RoadStatus::ok) continue;
      ASSERT_EQ(r.fastest_seconds, dj.fastest_seconds) << how << ", pair " << i;
      ASSERT_EQ(r.fastest_metres, dj.fastest_metres) << how << ", pair " << i;
      ASSERT_EQ(r.shortest_metres, dj.shortest_metres) << how << ", pair " << i;
      ASSERT_LE(r.shortest_metres, r.fastest_metres);
    }
    ok += dj.status == RoadStatus::ok;
  }
  // Most random pairs must actually be routed, or the comparison proves little.
  EXPECT_GT(ok, pairs / 2);
}

// A matrix between random points, by hub labels and by the hierarchy's buckets, equals one-to-one
// routes (status, time and both lengths).
inline void expect_matrices_equal_routes(std::shared_ptr<const RoadNetwork> net, std::size_t from_count,
                                         std::size_t to_count, std::uint32_t seed) {
  RoadQuery q(net), by_ch(net, {.hub_labels = false});
  auto from = random_points(*net, from_count, seed), to = random_points(*net, to_count, seed + 1);
  for (RoadQuery* matrix_query : {&q, &by_ch}) {
    auto m = matrix_query->matrix(from, to);
    ASSERT_EQ(m.size(), from.size() * to.size());
    for (std::size_t i = 0; i < from.size(); ++i)
      for (std::size_t j = 0; j < to.size(); ++j) {
        RoadResult r = q.route(from[i], to[j]);
        const RoadResult& x = m[i * to.size() + j];
        ASSERT_EQ(r.status, x.status);
        if (r.status != RoadStatus::ok) continue;
        ASSERT_EQ(r.fastest_seconds, x.fastest_seconds);
        ASSERT_EQ(r.fastest_metres, x.fastest_metres);
        ASSERT_EQ(r.shortest_metres, x.shortest_metres);
      }
  }
}

}  // namespace placedist::geo::roads::testing
