// Query state that costs what a search touches: the sparse label table against a std::map,
// matrix_into's flat columns against matrix(), and pooled query objects shared by threads.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <thread>

#include "geo/roads/query_pool.hpp"
#include "geo/roads/sparse_labels.hpp"
#include "tests/geo/roads/road_test_support.hpp"

namespace placedist::geo::roads {
namespace {

TEST(SparseLabels, AgreesWithAMapThroughGrowthAndClears) {
  detail::SparseLabels<std::uint64_t> table(2);  // 4 slots: grows many times
  std::mt19937 rng(7);
  for (int round = 0; round < 3; ++round) {
    table.clear();
    std::map<std::uint32_t, std::uint64_t> oracle;
    const int n = round == 1 ? 50000 : 300;
    for (int i = 0; i < n; ++i) {
      std::uint32_t key = rng() % 200000;
      bool inserted;
      std::uint64_t& v = table.get(key, 1000 + key, inserted);
      ASSERT_EQ(inserted, !oracle.count(key)) << key;
      v += i;
      auto [it, fresh] = oracle.try_emplace(key, 1000 + key);
      it->second += i;
    }
    ASSERT_EQ(table.size(), oracle.size());
    for (std::uint32_t key = 0; key < 200000; ++key) {
      const std::uint64_t* v = table.find(key);
      auto it = oracle.find(key);
      ASSERT_EQ(v != nullptr, it != oracle.end()) << key;
      if (v) {
        ASSERT_EQ(*v, it->second);
      }
    }
  }
  table.clear();
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.find(0), nullptr);
}

bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

TEST(MatrixColumns, SameFiguresAsMatrixIncludingEndsOffTheNetwork) {
  auto net = testing::bucks_network();
  RoadQuery q(net);
  auto from = testing::random_points(*net, 12, 3), to = testing::random_points(*net, 9, 4);
  from.push_back({-3.0, 55.9});  // Edinburgh: outside the Bucks network
  to.push_back({-0.81, 51.82});
  auto cells = q.matrix(from, to);
  const std::size_t n = from.size() * to.size();
  std::vector<RoadStatus> status(n);
  std::vector<double> secs(n), metres(n), shortest(n), fs(from.size()), ts(to.size());
  q.matrix_into(from, to, {status, secs, metres, shortest, fs, ts});
  std::size_t ok = 0;
  for (std::size_t i = 0; i < from.size(); ++i)
    for (std::size_t j = 0; j < to.size(); ++j) {
      const RoadResult& r = cells[i * to.size() + j];
      const std::size_t c = i * to.size() + j;
      ASSERT_EQ(status[c], r.status);
      ASSERT_TRUE(same(secs[c], r.fastest_seconds));
      ASSERT_TRUE(same(metres[c], r.fastest_metres));
      ASSERT_TRUE(same(shortest[c], r.shortest_metres));
      ASSERT_TRUE(same(fs[i], r.from_snap_m));
      ASSERT_TRUE(same(ts[j], r.to_snap_m));
      // And each cell equals the one-to-one route.
      RoadResult one = q.route(from[i], to[j]);
      ASSERT_EQ(one.status, r.status);
      if (r.status != RoadStatus::ok) continue;
      ++ok;
      ASSERT_EQ(one.fastest_seconds, r.fastest_seconds);
      ASSERT_EQ(one.shortest_metres, r.shortest_metres);
    }
  EXPECT_EQ(status.back(), RoadStatus::outside_network);
  EXPECT_TRUE(std::isnan(fs.back()));
  EXPECT_GT(ok, n / 2);
  std::vector<double> short_column(n - 1);
  EXPECT_THROW(q.matrix_into(from, to, {status, secs, short_column, shortest, fs, ts}), std::invalid_argument);
}

TEST(RoadQueryPool, ManyThreadsShareTwoQueriesAndGetTheSameAnswers) {
  auto net = testing::bucks_network();
  auto pts = testing::random_points(*net, 400, 9);
  RoadQuery single(net);
  std::vector<RoadResult> expected;
  for (std::size_t i = 0; i + 1 < pts.size(); i += 2) expected.push_back(single.route(pts[i], pts[i + 1]));
  RoadQueryPool pool(net, {}, 2);
  ASSERT_EQ(pool.size(), 2u);
  std::vector<RoadResult> got(expected.size());
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (std::size_t k = t; k < got.size(); k += 8) {
        auto q = pool.acquire();
        got[k] = q->route(pts[2 * k], pts[2 * k + 1]);
      }
    });
  for (auto& t : threads) t.join();
  for (std::size_t k = 0; k < got.size(); ++k) {
    ASSERT_EQ(got[k].status, expected[k].status) << k;
    ASSERT_TRUE(same(got[k].fastest_seconds, expected[k].fastest_seconds)) << k;
    ASSERT_TRUE(same(got[k].shortest_metres, expected[k].shortest_metres)) << k;
  }
}

}  // namespace
}  // namespace placedist::geo::roads
