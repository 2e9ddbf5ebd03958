#pragma once
// A road network ready for queries: the graph, its two contraction hierarchies (fastest,
// shortest), the snapping index. Immutable once loaded and safe to share between threads;
// each thread queries through its own RoadQuery (road_query.hpp).
// Coordinates are WGS84 (EPSG:4326); distances metres, times seconds at this interface.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "geo/coords.hpp"
#include "geo/roads/road_edges.hpp"

namespace placedist::geo::roads {

namespace detail {
struct NetworkData;
class Snapper;
struct BaseGraph;
}  // namespace detail

// Networks of at most this many routing nodes get hub labels (geo/roads/hub_labels.hpp) beside
// their hierarchies: queries then merge two short lists instead of searching, for files several
// times larger. Above it (several counties and up) labels would outgrow memory.
inline constexpr std::uint32_t kHubLabelMaxNodes = 200'000;

struct BuildReport {
  std::uint32_t nodes = 0, edges = 0;
  std::uint32_t largest_component = 0;  // nodes in the largest strongly connected component
  double contract_seconds[2] = {0, 0};  // fastest, shortest
  std::uint64_t shortcuts[2] = {0, 0};
  double label_seconds[2] = {0, 0};  // hub labels (none above a size: hub_labels.hpp)
  std::uint64_t label_bytes = 0;
  std::uint64_t file_bytes = 0;
  std::uint64_t restrictions = 0;     // turn restrictions applied
  std::uint64_t junction_copies = 0;  // routing nodes added to apply them
};

class RoadNetwork {
 public:
  // Memory-maps a file written by build_network_file(). Throws std::runtime_error naming the file
  // when it is missing, is not a network file, has another format version (with a message to
  // rebuild) or holds an index that would lead a query outside it. Replace a network in use only
  // by renaming a new file over it (`mv`, `install`), never `cp` over it: the mapping sees it change.
  static std::shared_ptr<const RoadNetwork> load(const std::filesystem::path& path);
  // Reads every byte and checks each section's CRC-32C; throws std::runtime_error naming the file
  // and the damaged section. For `roads info --verify` and the service's start (files reach GB).
  void verify() const;
  // Contracts in memory (tests, small graphs).
  static std::shared_ptr<const RoadNetwork> from_edges(const RoadEdges& edges, BuildReport* report = nullptr);

  ~RoadNetwork();
  RoadNetwork(const RoadNetwork&) = delete;
  RoadNetwork& operator=(const RoadNetwork&) = delete;

  std::uint32_t node_count() const;
  std::uint32_t edge_count() const;
  const std::string& source() const;      // files the network was built from
  const std::string& profile() const;     // how speeds and access were set
  std::int64_t built_unix() const;        // build time, seconds since 1970 (UTC)
  std::uint64_t hub_label_bytes() const;  // both metrics' hub labels; 0 when the file has none
  // Both metrics' core tables (core_table.hpp) for a file without labels, made for the first
  // query (query_data()); else 0.
  std::uint64_t core_table_bytes() const;

  const detail::NetworkData& data() const { return *m_data; }
  // data() with what fast queries need: a network without labels makes its core tables on the
  // first call (about half a second on the SYNTHETIC GB proxy), so that `roads info` does not.
  // Searches over data() without it are exact, only slower. Thread-safe.
  const detail::NetworkData& query_data() const;
  const detail::Snapper& snapper() const { return *m_snapper; }
  const detail::BaseGraph& base() const { return *m_base; }

 private:
  RoadNetwork();
  struct Storage;
  void init();
  std::unique_ptr<Storage> m_storage;
  std::unique_ptr<detail::NetworkData> m_data;
  std::unique_ptr<detail::Snapper> m_snapper;
  std::unique_ptr<detail::BaseGraph> m_base;
  mutable std::once_flag m_core_tables_made;
};

// Contracts both metrics and writes the network file atomically (temporary name, then rename).
BuildReport build_network_file(const RoadEdges& edges, const std::filesystem::path& out);

}  // namespace placedist::geo::roads
