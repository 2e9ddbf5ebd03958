#pragma once
// Queries on a contraction hierarchy: bidirectional upward Dijkstra with stall-on-demand
// (one-to-one), the bucket method (many-to-many), and path unpacking to original edges. With a
// core table (core_table.hpp) both stop below the core and read the table for routes through it.
// One object per pooled query (query_pool.hpp) or thread. It runs on the query-side layout
// (search_graph.hpp, read in place from the network file) with dense labels.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "geo/roads/contraction.hpp"
#include "geo/roads/core_table.hpp"
#include "geo/roads/endpoint.hpp"
#include "geo/roads/quad_heap.hpp"
#include "geo/roads/search_graph.hpp"
#include "geo/roads/sparse_labels.hpp"

namespace placedist::geo::roads::detail {

class ChSearch {
 public:
  explicit ChSearch(ChView ch);
  ~ChSearch();
  // Switches to another hierarchy over the same routing nodes (the other metric), so that one
  // query object's arrays serve both.
  void use(ChView ch);
  // Exact least weight from any source seed to any target seed (seed weights included), or
  // kInfinity when there is no route.
  Weight distance(std::span<const Seed> sources, std::span<const Seed> targets);
  // The original directed edges (edge * 2 + reversed) of the last distance() route, in order.
  // distance() keeps no parent records (most callers want only the weight): path() runs the
  // same search again with them.
  std::vector<std::uint32_t> path();
  // Row-major |sources| x |targets| least weights (kInfinity when no route), by buckets.
  std::vector<Weight> many_to_many(const std::vector<std::vector<Seed>>& sources,
                                   const std::vector<std::vector<Seed>>& targets);
  std::uint64_t settled() const { return m_settled; }  // nodes settled by the last call
  const SearchGraph* graph() const { return m_graph; }
  // Bytes held by this object's arrays (labels, heaps, buckets).
  std::size_t memory_bytes() const;

 private:
  // Dense labels by search id, n x 8 bytes per side, allocated on first use: the distance
  // array is all that stalling and relaxing read; the record each node was reached by (n x 4
  // bytes more) only path() needs, so it is allocated and written only when a path is asked
  // for. Reset through the list of touched nodes. A query object is meant to be pooled per
  // core (query_pool.hpp), so this is cores x n, not threads x n.
  struct Side {
    std::vector<Weight> dist;            // kInfinity where not reached
    std::vector<std::uint32_t> record;   // the slot of the record it was reached by (kNoArc at a seed)
    std::vector<std::uint32_t> touched;  // [0, touched_n): nodes whose dist is set
    std::size_t touched_n = 0;
    // The touched list with room for `extra` more entries past touched_n.
    std::uint32_t* touched_room(std::size_t extra) {
      if (touched.size() < touched_n + extra) touched.resize(2 * (touched_n + extra));
      return touched.data();
    }
    std::vector<QuadHeap::Entry> improved;  // expand()'s scratch: the heads it improved
    QuadHeap heap;
    // With a core table: the core nodes this side reached (never queued), each once; their
    // labels are in `dist`. entered[v - core first] == stamp: v is in entries.
    std::vector<std::uint32_t> entries, entered;
    std::uint32_t stamp = 0;
    // The entries of the search just run as (weight, search id), by weight.
    std::vector<std::pair<Weight, std::uint32_t>>& entries_by_weight();
    std::vector<std::pair<Weight, std::uint32_t>> sorted;
  };
  template <bool kRecord>
  void reset(Side& s);
  void enter(Side& s, std::uint32_t core_node) const;
  template <bool kRecord, bool kCore>
  Weight search(std::span<const Seed> sources, std::span<const Seed> targets);
  template <bool kRecord, bool kCore>
  void seed(Side& s, std::span<const Seed> seeds);
  // The least weight through the core from the entries of m_fwd and m_bwd, if below `best`.
  Weight through_core(Weight best);
  template <bool kCore>
  void matrix(const std::vector<std::vector<Seed>>& sources, const std::vector<std::vector<Seed>>& targets,
              std::vector<Weight>& result);
  template <bool kForward>
  std::vector<std::pair<Weight, std::uint32_t>>& undominated(std::vector<std::pair<Weight, std::uint32_t>>& by_weight);
  void group_core_entries();
  void rows_through_core(std::size_t first, std::size_t end, std::vector<Weight>& result, std::size_t nt);
  bool pop(Side& s, QuadHeap::Entry& e);
  // Settles e.node in the forward (upward) or backward search; false when it was stalled. Arrays read
  // when a node pushed now is settled, to prefetch (either may be null): `other`, the other
  // side's distances (one-to-one); `groups`, the bucket index (a matrix's source searches).
  template <bool kForward, bool kRecord, bool kCore>
  bool expand(Side& s, const QuadHeap::Entry& e, const Weight* other, const std::uint32_t* groups);
  void prefetch_top(const Side& s) const;
  void unpack(std::uint32_t arc, std::vector<std::uint32_t>& out) const;

  ChView m_ch;
  const SearchGraph* m_graph = nullptr;
  const CoreTable* m_core = nullptr;         // null, or a table with entries
  std::unique_ptr<SearchGraphData> m_owned;  // for a view that came without a layout (tests)
  SearchGraph m_owned_view;
  const ChAdj* m_owned_for = nullptr;
  Side m_fwd, m_bwd;
  std::uint32_t m_meet = kNoArc;
  std::vector<Seed> m_last_sources, m_last_targets;  // of the last distance(), for path()
  bool m_have_records = false;                       // the last search kept parent records
  std::uint64_t m_settled = 0;
  struct BucketEntry {
    std::uint32_t rank, target;  // rank: the search id the target's search settled
    Weight weight;
  };
  std::vector<BucketEntry> m_buckets, m_grouped;  // as found; grouped by node
  std::vector<std::uint32_t> m_bucket_group;      // by search id: its group, kNoArc if none
  std::vector<std::uint32_t> m_group_nodes, m_group_first, m_group_cursor;
  // A matrix through the core: the targets' entries grouped by core node (m_core_first, as
  // m_group_first); a block of sources' entries (target: the source) and their least weights to
  // each of those core nodes (kCoreBlock x m_core_nodes at most, 1 MiB); one table row's columns.
  static constexpr std::size_t kCoreBlock = 64;
  std::vector<BucketEntry> m_core_entries, m_source_entries;
  std::vector<std::uint32_t> m_core_nodes, m_core_first;
  std::vector<Weight> m_to_core, m_columns;
  // One-to-one through the core: the backward entries as (weight, table column).
  std::vector<std::pair<Weight, std::uint32_t>> m_target_columns;
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
