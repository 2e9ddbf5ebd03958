#pragma once
// Queries on a contraction hierarchy: bidirectional upward Dijkstra with stall-on-demand
// (one-to-one), the bucket method (many-to-many), and path unpacking to original edges.
// One object per thread; it keeps arrays sized to the graph and resets only what it touched.
#include <cstdint>
#include <span>
#include <vector>

#include "geo/roads/contraction.hpp"
#include "geo/roads/endpoint.hpp"

namespace placedist::geo::roads::detail {

class ChSearch {
 public:
  explicit ChSearch(ChView ch);
  // Switches to another hierarchy over the same routing nodes (the other metric), so that one
  // query object's arrays serve both.
  void use(ChView ch) { m_ch = ch; }
  // Exact least weight from any source seed to any target seed (seed weights included), or
  // kInfinity when there is no route.
  Weight distance(std::span<const Seed> sources, std::span<const Seed> targets);
  // The original directed edges (edge * 2 + reversed) of the last distance() route, in order.
  std::vector<std::uint32_t> path() const;
  // Row-major |sources| x |targets| least weights (kInfinity when no route), by buckets.
  std::vector<Weight> many_to_many(const std::vector<std::vector<Seed>>& sources,
                                   const std::vector<std::vector<Seed>>& targets);
  std::uint64_t settled() const { return m_settled; }  // nodes settled by the last call

 private:
  struct Side {
    std::vector<Weight> dist;
    std::vector<std::uint32_t> parent_rank, parent_arc;
    std::vector<std::uint32_t> touched;
    std::vector<std::pair<Weight, std::uint32_t>> heap;
  };
  void reset(Side& s);
  void seed(Side& s, std::span<const Seed> seeds);
  bool pop(Side& s, Weight& d, std::uint32_t& v);
  // Settles one node of `s`; true when it was not stalled (and its arcs were relaxed).
  bool expand(Side& s, bool forward, Weight d, std::uint32_t v);
  void unpack(std::uint32_t arc, std::vector<std::uint32_t>& out) const;

  ChView m_ch;
  Side m_fwd, m_bwd;
  std::uint32_t m_meet = kNoArc;
  std::uint64_t m_settled = 0;
  std::vector<std::uint32_t> m_bucket_first;  // by rank: index + 1 into m_buckets, 0 = empty
  struct BucketEntry {
    std::uint32_t rank, target;
    Weight weight;
  };
  std::vector<BucketEntry> m_buckets;
};

// Plain Dijkstra on the uncontracted graph: the oracle the hierarchy is tested against, and the
// one-to-all search.
struct BaseGraph;
class DijkstraSearch {
 public:
  DijkstraSearch(const NetworkData& d, const BaseGraph& g, Metric m);
  Weight distance(std::span<const Seed> sources, std::span<const Seed> targets);
  std::vector<std::uint32_t> path() const;
  // Settles every node with weight < limit; then weight(v) is exact for those nodes, and
  // kInfinity for the others (bar sources at or beyond the limit).
  void one_to_all(std::span<const Seed> sources, Weight limit);
  Weight weight(std::uint32_t node) const { return m_dist[node]; }
  std::uint64_t settled() const { return m_settled; }
  // The nodes the last call gave a weight (settled or not): every other node's is kInfinity.
  std::span<const std::uint32_t> touched() const { return m_touched; }

 private:
  void reset();
  const NetworkData& m_d;
  const BaseGraph& m_g;
  Metric m_metric;
  std::vector<Weight> m_dist;
  std::vector<std::uint32_t> m_parent_code, m_parent_node, m_touched;
  std::vector<std::pair<Weight, std::uint32_t>> m_heap;
  std::uint32_t m_end = kNoArc;
  std::uint64_t m_settled = 0;
};

}  // namespace placedist::geo::roads::detail
