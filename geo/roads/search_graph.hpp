#pragma once
// The query-side layout of one hierarchy, stored in the network file (format 4) and read in
// place: one contiguous run of records per node (by search id) holding both its upward arcs
// (driven v -> head) and its downward arcs (driven head -> v), so that settling a node reads one
// or two cache lines. A record is 12 bytes (head, weight); an up and a down arc to the same head
// with the same weight (a two-way road) share one record. Within a node's run the records are
// ordered down-only, both, up-only, so each search direction reads one contiguous slice to relax
// and one to stall:
//   forward search:  relaxes up arcs [both, end), stalls on down arcs [first, up)
//   backward search: relaxes down arcs [first, up), stalls on up arcs [both, end)
// What each record stands for (the ChArc ids, for unpacking a path) is in separate arrays that
// only path() reads. The build lays it out from the contraction's up and down lists, which the
// file no longer holds.
#include <cstdint>
#include <span>
#include <vector>

#include "geo/roads/contraction.hpp"
#include "geo/roads/road_edges.hpp"

namespace placedist::geo::roads::detail {

struct SearchRecord {
  std::uint32_t head;
  std::uint32_t weight_lo, weight_hi;  // a Weight in two halves: 12 bytes, not 16
  Weight weight() const { return (Weight{weight_hi} << 32) | weight_lo; }
};

struct SearchNode {
  std::uint32_t first;  // the run is [first, next node's first)
  std::uint32_t both;   // first record with both directions
  std::uint32_t up;     // first up-only record
};

// A read-only view of a layout: over the mapped file, or over a SearchGraphData.
struct SearchGraph {
  std::span<const std::uint32_t> id;  // routing node -> search id (this layout's own numbering)
  std::span<const SearchNode> nodes;  // by search id, size n + 1 (the last one only ends the run)
  std::span<const SearchRecord> records;
  std::span<const std::uint32_t> up_arc, down_arc;  // per record: ChArc ids, kNoArc when absent
  std::uint32_t node_count() const { return nodes.empty() ? 0 : static_cast<std::uint32_t>(nodes.size() - 1); }
  std::uint32_t end(std::uint32_t v) const { return nodes[v + 1].first; }
  // The node whose run holds record i.
  std::uint32_t owner(std::uint32_t i) const;
  std::size_t bytes() const;
};

struct SearchGraphData {
  std::vector<std::uint32_t> id;
  std::vector<SearchNode> nodes;
  std::vector<SearchRecord> records;
  std::vector<std::uint32_t> up_arc, down_arc;
  SearchGraph view() const { return {id, nodes, records, up_arc, down_arc}; }
};

// Search ids: by level in the hierarchy, then along a Hilbert curve over the nodes' positions
// (an OSM file's node order is not spatial), so that the nodes one search settles at one level
// lie close in memory. (Measured on Bucks: as fast as the file's level-then-input order, whose
// edge layer is spatial; putting only the top 1% of levels first and the rest in Hilbert order
// was 35% slower.) `where` gives each routing node's position; when empty, contraction ranks
// are kept.
SearchGraphData build_search_graph(const ChView& ch, std::span<const FixedPoint> where = {});

// What is wrong with a layout read from a file, or null: every index a search or path() follows
// (search ids, runs, heads, weights below kInfinity, the arc ids each slice needs) is checked,
// so that a damaged file cannot lead a query outside it.
const char* bad_search_graph(const SearchGraph& g, std::uint64_t routing_nodes, std::uint64_t arc_count);

}  // namespace placedist::geo::roads::detail
