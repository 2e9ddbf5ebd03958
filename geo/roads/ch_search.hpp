#pragma once
// Queries on a contraction hierarchy: bidirectional upward Dijkstra with stall-on-demand
// (one-to-one), the bucket method (many-to-many), and path unpacking to original edges.
// One object per thread (or per pooled query); its labels are sparse (sparse_labels.hpp), so it
// costs what its searches touch, not the size of the graph.
#include <cstdint>
#include <span>
#include <vector>

#include "geo/roads/contraction.hpp"
#include "geo/roads/endpoint.hpp"
#include "geo/roads/sparse_labels.hpp"

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
  struct Label {
    Weight dist = kInfinity;
    std::uint32_t parent = kNoArc, arc = kNoArc;  // parent rank and the arc from it
  };
  struct Side {
    SparseLabels<Label> labels;
    std::vector<std::pair<Weight, std::uint32_t>> heap;
    Weight dist(std::uint32_t v) const {
      const Label* l = labels.find(v);
      return l ? l->dist : kInfinity;
    }
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
  struct BucketRange {
    std::uint32_t first = 0, last = 0;  // m_buckets[first, last) at one rank
  };
  SparseLabels<BucketRange> m_bucket_of;
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
  Weight weight(std::uint32_t node) const {
    const Label* l = m_labels.find(node);
    return l ? l->dist : kInfinity;
  }
  std::uint64_t settled() const { return m_settled; }
  // The nodes the last call gave a weight (settled or not): every other node's is kInfinity.
  std::span<const std::uint32_t> touched() const { return m_touched; }

 private:
  struct Label {
    Weight dist = kInfinity;
    std::uint32_t parent_node = kNoArc, parent_code = kNoArc;
  };
  void reset();
  void seed(std::span<const Seed> sources);
  const NetworkData& m_d;
  const BaseGraph& m_g;
  Metric m_metric;
  SparseLabels<Label> m_labels;
  std::vector<std::uint32_t> m_touched;
  std::vector<std::pair<Weight, std::uint32_t>> m_heap;
  std::uint32_t m_end = kNoArc;
  std::uint64_t m_settled = 0;
};

}  // namespace placedist::geo::roads::detail
