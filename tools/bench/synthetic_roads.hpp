#pragma once
// A SYNTHETIC road-like network for scaling benchmarks (not real data): a jittered grid of
// junctions 200 m apart with a hierarchy of road classes (every 8th line a B road at 60 km/h,
// every 32nd an A road at 80 km/h, every 128th a motorway at 100 km/h, else 30 km/h lanes),
// 45% of lanes removed (about 1.3 edges per junction, as in real networks: Bucks has 1.16) and
// 5% of the rest made one-way, fixed seed.
#include <cmath>
#include <random>

#include "geo/roads/road_edges.hpp"

namespace placedist::geo::roads::bench {

inline RoadEdges synthetic_grid(std::uint32_t side, std::uint32_t seed = 2024) {
  RoadEdges g;
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> jitter(-0.3, 0.3), unit(0, 1);
  const double step_lat = 200 / 111195.0, step_lon = step_lat / std::cos(52 * M_PI / 180);
  for (std::uint32_t r = 0; r < side; ++r)
    for (std::uint32_t c = 0; c < side; ++c)
      g.nodes.push_back(to_fixed(-2.0 + (c + jitter(rng)) * step_lon, 51.0 + (r + jitter(rng)) * step_lat));
  auto speed_of = [](std::uint32_t line) {
    if (line % 128 == 0) return 100.0;
    if (line % 32 == 0) return 80.0;
    if (line % 8 == 0) return 60.0;
    return 30.0;
  };
  auto add = [&](std::uint32_t a, std::uint32_t b, double kmh) {
    if (kmh <= 30 && unit(rng) < 0.45) return;
    RoadEdge e;
    e.a = a;
    e.b = b;
    double m = haversine_metres(g.nodes[a], g.nodes[b]);
    e.dist_dm = static_cast<std::uint32_t>(std::llround(m * 10));
    e.time_ms = drive_time_ms(m, kmh);
    e.flags = kForward | kBackward;
    if (kmh <= 30 && unit(rng) < 0.05) e.flags = unit(rng) < 0.5 ? kForward : kBackward;
    g.add_edge(e, {g.nodes[a], g.nodes[b]});
  };
  for (std::uint32_t r = 0; r < side; ++r)
    for (std::uint32_t c = 0; c < side; ++c) {
      std::uint32_t v = r * side + c;
      if (c + 1 < side) add(v, v + 1, speed_of(r));
      if (r + 1 < side) add(v, v + side, speed_of(c));
    }
  g.source = "SYNTHETIC jittered grid " + std::to_string(side) + "x" + std::to_string(side);
  g.profile = "synthetic classes";
  return g;
}

}  // namespace placedist::geo::roads::bench
