#pragma once
// Contraction hierarchies (Geisberger et al. 2008): node ordering by lazy-updated priority
// (edge difference, deleted neighbours, level), witness searches bounded by settled nodes.
// Nodes of the hierarchy get search ids ("rank" in the file) by level, then input order, so that
// a search touches memory in a cache-friendly order; arcs go "up" in contraction order, which the
// ids need not follow.
#include <cstdint>
#include <span>
#include <vector>

#include "geo/roads/metric.hpp"

namespace placedist::geo::roads {
namespace detail {
struct SearchGraph;
struct CoreTable;
}  // namespace detail

inline constexpr std::uint32_t kNoArc = 0xFFFFFFFFu;

// One arc of a search graph: to `head` (a rank) with `weight`; `arc` indexes ChArcs.
struct ChAdj {
  std::uint32_t head = 0;
  std::uint32_t arc = 0;
  Weight weight = 0;
};

// What an arc stands for: a shortcut of two arcs (first: tail->middle, second: middle->head),
// or an original directed edge: first = edge * 2 + (1 if driven b->a), second = kNoArc.
struct ChArc {
  std::uint32_t first = 0;
  std::uint32_t second = kNoArc;
  bool is_shortcut() const { return second != kNoArc; }
};

// A read-only view of a hierarchy (over vectors or a memory-mapped file).
struct ChView {
  std::span<const std::uint32_t> rank;      // node -> rank
  std::span<const std::uint32_t> up_first;  // by rank, size n + 1
  std::span<const ChAdj> up;                // arcs to higher ranks, in the driving direction
  std::span<const std::uint32_t> down_first;
  std::span<const ChAdj> down;  // at rank v: arcs head->v driven from the higher rank `head`
  std::span<const ChArc> arcs;
  // The query-side layout of the same arcs (search_graph.hpp). A loaded network's views have
  // only this and `arcs` (the file stores the layout, not rank and up/down lists); a view of a
  // fresh contraction has none, and a search over it builds its own.
  const detail::SearchGraph* search = nullptr;
  // Distances between the layout's top nodes (core_table.hpp), when the network has them: the
  // searches then stop below the core and read the table.
  const detail::CoreTable* core = nullptr;
  std::uint32_t node_count() const { return static_cast<std::uint32_t>(rank.size()); }
};

struct ChData {
  std::vector<std::uint32_t> rank, up_first, down_first;
  std::vector<ChAdj> up, down;
  std::vector<ChArc> arcs;
  ChView view() const { return {rank, up_first, up, down_first, down, arcs}; }
};

// A directed input arc of the graph to contract.
struct InputArc {
  std::uint32_t tail = 0, head = 0;
  Weight weight = 0;
  std::uint32_t code = 0;  // edge * 2 + reversed
};

struct ContractionStats {
  std::uint64_t shortcuts = 0;
  double seconds = 0;
};

ChData contract(std::uint32_t node_count, std::vector<InputArc> arcs, ContractionStats* stats = nullptr);

}  // namespace placedist::geo::roads
