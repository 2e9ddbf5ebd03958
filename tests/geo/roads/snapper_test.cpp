// The snapper's grid against its oracle: a brute-force scan of every snappable segment, with the
// same distance arithmetic (segment_offset), on thousands of points of the real extracts: near
// roads, anywhere over and around the network (outside it, on its border), exactly on junctions
// and polyline vertices, and half way between two roads (near ties). Same edge, segment,
// position, point, distance and fraction, bit for bit, or nullopt both.
#include <gtest/gtest.h>

#include <iostream>
#include <random>

#include "geo/local_plane.hpp"
#include "geo/roads/osm_reader.hpp"
#include "geo/roads/segment_grid.hpp"
#include "geo/roads/snapper.hpp"
#include "tests/geo/roads/road_test_support.hpp"

namespace placedist::geo::roads {
namespace {

using detail::NetworkData;
using detail::segment_offset;
using detail::SegmentGrid;
using detail::Snap;
using detail::Snapper;

struct Oracle {
  std::uint32_t point = 0;
  detail::SegmentOffset offset;
  int ties = 0;  // other segments at exactly the same distance
};

std::optional<Oracle> brute_force(const NetworkData& d, LonLat where, double radius_m) {
  if (!std::isfinite(where.lon) || !std::isfinite(where.lat) || std::abs(where.lat) > 89 || !(radius_m >= 0))
    return std::nullopt;
  const LocalPlane plane(where);
  std::optional<Oracle> best;
  for (std::uint32_t e = 0; e < d.edges.size(); ++e) {
    if (!d.snappable[e]) continue;
    for (std::uint32_t p = d.first_point[e]; p + 1 < d.first_point[e + 1]; ++p) {
      auto o = segment_offset(d.points[p], d.points[p + 1], where, plane.metres_per_degree_lon(),
                              plane.metres_per_degree_lat());
      if (best && o.d2 == best->offset.d2) ++best->ties;  // p rises: the first one found stays
      if (best && o.d2 >= best->offset.d2) continue;
      best = Oracle{p, o, 0};
    }
  }
  if (!best || best->offset.d2 > radius_m * radius_m) return std::nullopt;
  return best;
}

LonLat deg(FixedPoint p) { return {p.lon / kFixedPerDegree, p.lat / kFixedPerDegree}; }

struct Counts {
  std::size_t snapped = 0, none = 0, ties = 0;
};

// Points of every kind named above, fixed seed.
std::vector<LonLat> oracle_points(const NetworkData& d, std::size_t each, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::int32_t lon0 = INT32_MAX, lon1 = INT32_MIN, lat0 = INT32_MAX, lat1 = INT32_MIN;
  for (FixedPoint p : d.nodes) {
    lon0 = std::min(lon0, p.lon), lon1 = std::max(lon1, p.lon), lat0 = std::min(lat0, p.lat),
    lat1 = std::max(lat1, p.lat);
  }
  std::vector<LonLat> out;
  std::uniform_int_distribution<std::size_t> node(0, d.nodes.size() - 1), point(0, d.points.size() - 1);
  std::uniform_real_distribution<double> jitter(-0.004, 0.004);
  // Around the bounding box, 0.08 degrees (5-9 km) beyond it: outside the network and its border.
  std::uniform_real_distribution<double> lon(lon0 / kFixedPerDegree - 0.08, lon1 / kFixedPerDegree + 0.08),
      lat(lat0 / kFixedPerDegree - 0.08, lat1 / kFixedPerDegree + 0.08);
  for (std::size_t i = 0; i < each; ++i) {
    LonLat n = deg(d.nodes[node(rng)]);
    out.push_back({n.lon + jitter(rng), n.lat + jitter(rng) * 0.6});  // near roads
    out.push_back({lon(rng), lat(rng)});                              // anywhere over and around
    out.push_back(n);                                                 // exactly on a junction
    out.push_back(deg(d.points[point(rng)]));                         // on a polyline vertex
    // Five metres off a junction: several edges end at the same vertex, so several segments are
    // nearest at exactly the same distance whenever the vertex is the nearest point (ties).
    out.push_back({n.lon + 0.00007, n.lat + 0.00002});
    // Between two vertices of a polyline (on a road, up to rounding), and between two roads' vertices.
    std::size_t p = std::min(point(rng), d.points.size() - 2);
    LonLat a = deg(d.points[p]), b = deg(d.points[p + 1]), c = deg(d.points[point(rng)]);
    out.push_back({(a.lon + b.lon) / 2, (a.lat + b.lat) / 2});
    out.push_back({(a.lon + c.lon) / 2, (a.lat + c.lat) / 2});
  }
  return out;
}

void expect_same(const Snapper& snapper, const NetworkData& d, const std::vector<LonLat>& points, double radius,
                 Counts& counts) {
  for (std::size_t i = 0; i < points.size(); ++i) {
    LonLat w = points[i];
    std::optional<Snap> got = snapper.snap(w, radius);
    std::optional<Oracle> want = brute_force(d, w, radius);
    ASSERT_EQ(got.has_value(), want.has_value()) << "point " << i << " radius " << radius;
    if (!want) {
      ++counts.none;
      continue;
    }
    ++counts.snapped;
    counts.ties += want->ties > 0;
    std::uint32_t edge = 0;
    while (d.first_point[edge + 1] <= want->point) ++edge;
    const LocalPlane plane(w);
    ASSERT_EQ(got->edge, edge) << "point " << i;
    ASSERT_EQ(got->segment, want->point - d.first_point[edge]) << "point " << i;
    ASSERT_EQ(got->segment_t, want->offset.t) << "point " << i;
    ASSERT_EQ(got->snap_m, std::sqrt(want->offset.d2)) << "point " << i;
    ASSERT_EQ(got->point.lon, w.lon + want->offset.x / plane.metres_per_degree_lon()) << "point " << i;
    ASSERT_EQ(got->point.lat, w.lat + want->offset.y / plane.metres_per_degree_lat()) << "point " << i;
    ASSERT_EQ(got->fraction, detail::edge_fraction(d, edge, got->segment, want->offset.t)) << "point " << i;
  }
}

void check_extract(const RoadNetwork& net, std::size_t each, std::uint32_t seed) {
  const NetworkData& d = net.data();
  const Snapper& snapper = net.snapper();
  auto points = oracle_points(d, each, seed);
  Counts counts;
  expect_same(snapper, d, points, 1000, counts);
  // Small radii (only near points answer), none at all, and a wide one (every outside point).
  std::vector<LonLat> some(points.begin(), points.begin() + points.size() / 4);
  for (double r : {25.0, 0.0, 6000.0}) expect_same(snapper, d, some, r, counts);
  std::cout << counts.snapped << " snapped (" << counts.ties << " with ties), " << counts.none << " none\n";
  // Not a test that passes on empty answers: most near points snap, outside ones do not, ties seen.
  EXPECT_GT(counts.snapped, points.size() / 2);
  EXPECT_GT(counts.none, each / 4);
  EXPECT_GT(counts.ties, each / 10);
  // Off the globe or malformed: nothing, as before.
  for (LonLat w : {LonLat{NAN, 52}, LonLat{-0.7, INFINITY}, LonLat{-0.7, 89.5}, LonLat{1e300, 52}, LonLat{-0.7, 52}})
    EXPECT_FALSE(snapper.snap(w, w.lon == -0.7 && w.lat == 52 ? -1 : 1000).has_value());
  EXPECT_FALSE(snapper.snap({1e300, 52}, 1000).has_value());
}

RoadNetwork& rutland() {
  static std::shared_ptr<const RoadNetwork> net = [] {
    OsmRoadReader reader;
    reader.add_file(data_file("roads/uk/rutland-2018-02-27.osm.pbf"));
    return RoadNetwork::from_edges(reader.finish());
  }();
  return const_cast<RoadNetwork&>(*net);
}

TEST(Snapper, RutlandEqualsBruteForce) { check_extract(rutland(), 1000, 16); }

TEST(Snapper, BucksEqualsBruteForce) { check_extract(*testing::bucks_network(), 300, 20); }

// The grid's search is exact whatever its cell size: cells far smaller than segments (one
// segment filed under many cells, many rings) and far larger (one ring holds everything near).
TEST(Snapper, GridCellSizeDoesNotChangeAnswers) {
  const NetworkData& d = rutland().data();
  auto points = oracle_points(d, 150, 7);
  for (double cell_m : {10.0, 37.0, 300.0, 5000.0, 1e6}) {
    SegmentGrid grid(d, cell_m);
    for (double radius : {1000.0, 80.0}) {
      for (std::size_t i = 0; i < points.size(); ++i) {
        LonLat w = points[i];
        const LocalPlane plane(w);
        auto got = grid.nearest(w, plane.metres_per_degree_lon(), plane.metres_per_degree_lat(), radius);
        auto want = brute_force(d, w, radius);
        ASSERT_EQ(got.has_value(), want.has_value()) << "cell " << cell_m << " point " << i;
        if (!want) continue;
        ASSERT_EQ(got->point, want->point) << "cell " << cell_m << " point " << i;
        ASSERT_EQ(got->offset.d2, want->offset.d2) << "cell " << cell_m << " point " << i;
        ASSERT_EQ(got->offset.t, want->offset.t) << "cell " << cell_m << " point " << i;
      }
    }
  }
}

}  // namespace
}  // namespace placedist::geo::roads
