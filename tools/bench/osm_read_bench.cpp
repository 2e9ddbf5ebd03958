// The OSM read alone (no contraction): tools/bench/osm_read_bench EXTRACT.osm.pbf [MORE ...]
// reads the extracts into one RoadEdges as `placedist roads build` does and prints the wall time,
// the process's peak resident memory (VmHWM), the graph's size and its digest (road_edges_digest:
// equal digests, equal graphs). Run it once per figure: the peak is the whole process's.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "geo/roads/osm_reader.hpp"
#include "geo/roads/road_edges_digest.hpp"

namespace {

long status_kib(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::string(field).size()));
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace placedist::geo::roads;
  if (argc < 2) {
    std::fprintf(stderr, "usage: osm_read_bench EXTRACT.osm.pbf [MORE ...]\n");
    return 2;
  }
  const long before = status_kib("VmRSS:");
  const auto t0 = std::chrono::steady_clock::now();
  OsmRoadReader reader;
  std::uint64_t ways = 0, missing = 0;
  for (int i = 1; i < argc; ++i) {
    OsmFileReport r = reader.add_file(argv[i]);
    ways += r.ways, missing += r.missing_nodes;
  }
  RoadEdges g = reader.finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf(
      "read %.2f s  peak RSS %.1f MB (%.1f MB before reading)  %llu ways (%llu missing nodes)  "
      "%zu junctions  %zu edges  %zu points  digest 0x%016llx\n",
      seconds, status_kib("VmHWM:") / 1024.0, before / 1024.0, static_cast<unsigned long long>(ways),
      static_cast<unsigned long long>(missing), g.nodes.size(), g.edges.size(), g.points.size(),
      static_cast<unsigned long long>(road_edges_digest(g)));
}
