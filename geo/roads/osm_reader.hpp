#pragma once
// Reads OpenStreetMap extracts (.osm.pbf, .osm, .osm.bz2 ...) through libosmium into RoadEdges
// with the British car profile (car_profile.hpp). Several extracts make one graph: ways and nodes
// are matched by OSM id, so overlapping extracts (neighbouring counties) join up.
// Junction nodes are the ends of ways and nodes shared by ways; the nodes between become the
// edge polylines. Turn restrictions (type=restriction relations) are NOT applied: routes may
// take a banned turn. Barriers on nodes (gates, bollards) are not applied either.
#include <filesystem>
#include <memory>
#include <string>

#include "geo/roads/road_edges.hpp"

namespace placedist::roads {

namespace detail {
struct OsmReaderState;
}

struct OsmFileReport {
  std::uint64_t ways = 0;            // car-drivable ways read
  std::uint64_t missing_nodes = 0;   // ways dropped because a node was not in the file
  std::string timestamp;             // the extract's replication timestamp, if its header has one
};

class OsmRoadReader {
 public:
  OsmRoadReader();
  ~OsmRoadReader();
  // Reads one extract; throws std::runtime_error (with the file name) when it cannot be read.
  OsmFileReport add_file(const std::filesystem::path& path);
  // The graph of everything read so far.
  RoadEdges finish();

 private:
  std::unique_ptr<detail::OsmReaderState> m_impl;
};

}  // namespace placedist::roads
