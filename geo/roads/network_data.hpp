#pragma once
// Internal layout of a loaded road network: read-only spans over one byte buffer, which is either
// a memory-mapped network file or a buffer built in memory. Used by the query code only.
#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "geo/roads/contraction.hpp"
#include "geo/roads/core_table.hpp"
#include "geo/roads/hub_labels.hpp"
#include "geo/roads/road_edges.hpp"
#include "geo/roads/search_graph.hpp"

namespace placedist::geo::roads::detail {

struct NetworkData {
  std::string source, profile;
  std::int64_t built_unix = 0;
  std::span<const FixedPoint> nodes;
  std::span<const RoadEdge> edges;
  std::span<const std::uint32_t> first_point;
  std::span<const FixedPoint> points;
  // Strongly connected component of each node; edges whose ends lie in a component of at least
  // kMinSnapComponent nodes (or the largest one) are the ones snapping may use.
  std::span<const std::uint32_t> component;
  std::span<const std::uint8_t> snappable;  // per edge
  // Turn restrictions (sorted by from_code) and the junction copies they need (routing_graph.hpp).
  std::span<const TurnRestriction> restrictions;
  std::span<const std::uint32_t> copy_code;
  std::uint32_t routing_node_count() const { return static_cast<std::uint32_t>(nodes.size() + copy_code.size()); }
  // The junction a routing node stands for.
  std::uint32_t junction_of(std::uint32_t routing_node) const {
    if (routing_node < nodes.size()) return routing_node;
    std::uint32_t c = copy_code[routing_node - nodes.size()];
    return code_head(edges[c >> 1], c);
  }
  // Each hierarchy as the file holds it: its arcs (what shortcuts stand for) and its query-side
  // layout (search_graph.hpp). ch[m].search points at layout[m] once the data sits where it
  // stays (RoadNetwork::init); the contraction's rank and up/down lists are not in the file.
  ChView ch[2];  // by Metric
  SearchGraph layout[2];
  HubLabels labels[2];  // by Metric, over the layout's search ids; empty above kHubLabelMaxNodes
  // Made for the first query, not stored, for a metric without labels: ch[m].core points at it.
  CoreTable core[2];
};

// Serialises a network (contracting both metrics, laying out each hierarchy for queries and drawing
// hub labels from it); the layout is what parse() reads.
struct BuildStats {
  double contract_seconds[2] = {0, 0};
  double label_seconds[2] = {0, 0};  // making each metric's hub labels
  std::uint64_t label_bytes = 0;     // both metrics' hub labels in the file
  std::uint64_t shortcuts[2] = {0, 0};
  std::uint32_t largest_component = 0;
  std::uint64_t restrictions = 0, junction_copies = 0;
};
// The bytes go to `sink` in order as each section is ready, straight from the arrays that hold
// them (a national file is over 1 GB); returns how many.
using ByteSink = std::function<void(std::span<const std::byte>)>;
std::uint64_t serialise(const RoadEdges& edges, BuildStats* stats, const ByteSink& sink);

// Reads the layout; throws std::runtime_error naming the problem (bad magic, version, truncated,
// an index that would lead a query outside the file).
NetworkData parse(std::span<const std::byte> bytes, const std::string& what);
// Reads every byte of a file parse() accepted: the first section whose CRC-32C differs, or -1.
int bad_section_checksum(std::span<const std::byte> bytes, const std::string& what);

inline constexpr std::uint32_t kMinSnapComponent = 100;

}  // namespace placedist::geo::roads::detail
