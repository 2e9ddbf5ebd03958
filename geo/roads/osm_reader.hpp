#pragma once
// Reads OpenStreetMap extracts (.osm.pbf, .osm, .osm.bz2 ...) through libosmium into RoadEdges
// with the British car profile (car_profile.hpp). Several extracts make one graph: ways and nodes
// are matched by OSM id, so overlapping extracts (neighbouring counties) join up.
// Junction nodes are the ends of ways and nodes shared by ways; the nodes between become the
// edge polylines. Turn restrictions (type=restriction, restriction or restriction:motorcar =
// no_* / only_*, "except" honoured for motorcar) are applied when their via is a node; via-way
// restrictions are counted and ignored. Barriers on nodes (gates, bollards) are not applied.
// A big file is read twice (ways, then only the nodes those ways use), so memory follows the car
// network, not the extract: no location of any other node is kept. A small one (a county) is
// read once, keeping every node's location until its ways are read: one decode instead of two.
// Both make the same graph.
#include <filesystem>
#include <memory>
#include <string>

#include "geo/roads/road_edges.hpp"

namespace placedist::geo::roads {

namespace detail {
struct OsmReaderState;
}

struct OsmFileReport {
  std::uint64_t ways = 0;           // car-drivable ways read
  std::uint64_t missing_nodes = 0;  // ways dropped because a node was not in the file
  std::string timestamp;            // the extract's replication timestamp, if its header has one
};

struct OsmRestrictionReport {
  std::uint64_t read = 0;      // car turn restriction relations read
  std::uint64_t applied = 0;   // turned into junction rules
  std::uint64_t via_way = 0;   // ignored: the via member is a way
  std::uint64_t unusable = 0;  // ignored: members missing from the graph, ambiguous or not drivable
};

// How many times each file is decoded: by its size (one pass up to some 64 MB on disk), or
// always once or always twice (tests compare them).
enum class OsmPasses { by_size, one, two };

// The pool size to give libosmium's decoders: one thread per core (libosmium's default, cores
// - 2 and at least one, leaves two cores to its reading thread and to ours, whose handlers are
// light), or 0 when OSMIUM_POOL_THREADS is set, for libosmium to read it.
int osm_decoding_threads();

class OsmRoadReader {
 public:
  explicit OsmRoadReader(OsmPasses passes = OsmPasses::by_size);
  ~OsmRoadReader();
  // Reads one extract; throws std::runtime_error (with the file name) when it cannot be read.
  OsmFileReport add_file(const std::filesystem::path& path);
  // The graph of everything read. Call once: it frees what was read as it builds the graph.
  RoadEdges finish();
  // Available after finish().
  const OsmRestrictionReport& restrictions() const;

 private:
  std::unique_ptr<detail::OsmReaderState> m_impl;
  OsmPasses m_passes;
};

}  // namespace placedist::geo::roads
