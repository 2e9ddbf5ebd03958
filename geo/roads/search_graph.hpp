#pragma once
// The query-side layout of one hierarchy, stored in the network file (format 5) and read in
// place: one contiguous run per node (by search id), a header slot then records holding both its
// upward arcs (driven v -> head) and its downward arcs (driven head -> v). A record is 16 bytes:
// its head, where the head's own run starts, and the weight; an up and a down arc to the same
// head with the same weight (a two-way road) share one record. Because each record says where
// its head's run is, a search that pushes a node fetches that run at once, and settling a node
// reads only its run (the header gives the slices): no per-node array lies on the critical path.
// Within a run the records are ordered down-only, both, up-only, so each search direction reads
// one contiguous slice to relax and one to stall:
//   forward search:  relaxes up arcs [both, end), stalls on down arcs [1, up)
//   backward search: relaxes down arcs [1, up), stalls on up arcs [both, end)
// (offsets from the run's header slot). What each record stands for (the ChArc ids, for
// unpacking a path) is in separate arrays, by slot, that only path() reads. The build lays it
// out from the contraction's up and down lists, which the file no longer holds.
#include <bit>
#include <cstdint>
#include <span>
#include <vector>

#include "geo/roads/contraction.hpp"
#include "geo/roads/road_edges.hpp"

namespace placedist::geo::roads::detail {

struct SearchRecord {
  std::uint32_t head;      // search id
  std::uint32_t head_run;  // the slot of the head's run header
  Weight weight;
};

// The first slot of a run, read as a SearchRecord's 16 bytes: offsets from that slot.
struct RunHeader {
  std::uint32_t both;  // first record with both directions (records start at 1)
  std::uint32_t up;    // first up-only record
  std::uint32_t end;   // one past the last record
  std::uint32_t zero;  // 0
};
static_assert(sizeof(RunHeader) == sizeof(SearchRecord));
inline RunHeader run_header(const SearchRecord& slot) { return std::bit_cast<RunHeader>(slot); }
inline SearchRecord header_slot(const RunHeader& h) { return std::bit_cast<SearchRecord>(h); }

// A read-only view of a layout: over the mapped file, or over a SearchGraphData.
struct SearchGraph {
  std::span<const std::uint32_t> id;      // routing node -> search id (this layout's own numbering)
  std::span<const std::uint32_t> run;     // by search id, size n + 1: the slot of its header (the last ends the slots)
  std::span<const SearchRecord> records;  // run headers and records
  std::span<const std::uint32_t> up_arc, down_arc;  // per slot: ChArc ids, kNoArc when absent
  std::uint32_t node_count() const { return run.empty() ? 0 : static_cast<std::uint32_t>(run.size() - 1); }
  RunHeader header(std::uint32_t v) const { return run_header(records[run[v]]); }
  // The node whose run holds slot i.
  std::uint32_t owner(std::uint32_t i) const;
  std::size_t bytes() const;
};

struct SearchGraphData {
  std::vector<std::uint32_t> id;
  std::vector<std::uint32_t> run;
  std::vector<SearchRecord> records;
  std::vector<std::uint32_t> up_arc, down_arc;
  SearchGraph view() const { return {id, run, records, up_arc, down_arc}; }
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
