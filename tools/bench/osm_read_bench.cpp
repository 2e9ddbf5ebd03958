// The OSM read alone (no contraction): tools/bench/osm_read_bench EXTRACT.osm.pbf [MORE ...]
// reads the extracts into one RoadEdges as `placedist roads build` does and prints the wall time,
// the process's peak resident memory (VmHWM), the graph's size and its digest (road_edges_digest:
// equal digests, equal graphs). Run it once per figure: the peak is the whole process's.
// With --osmium-only first it has libosmium decode the extracts as the one-pass read does (nodes,
// ways and relations, no metadata, on every core) into a handler that does nothing: what the read
// cannot go below. Both use the heap `roads build` uses (huge_page_heap.hpp).
#include <osmium/handler.hpp>
#include <osmium/io/any_input.hpp>
#include <osmium/thread/pool.hpp>
#include <osmium/visitor.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "geo/roads/huge_page_heap.hpp"
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

int osmium_only(int count, char** files) {
  const auto t0 = std::chrono::steady_clock::now();
  std::uint64_t objects = 0;
  struct Count : osmium::handler::Handler {
    std::uint64_t& n;
    explicit Count(std::uint64_t& counter) : n(counter) {}
    void osm_object(const osmium::OSMObject&) { ++n; }
  } counter(objects);
  osmium::thread::Pool decoders(placedist::geo::roads::osm_decoding_threads());
  for (int i = 0; i < count; ++i) {
    osmium::io::Reader reader(
        osmium::io::File(files[i]),
        osmium::osm_entity_bits::node | osmium::osm_entity_bits::way | osmium::osm_entity_bits::relation,
        osmium::io::read_meta::no, decoders);
    osmium::apply(reader, counter);
    reader.close();
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("libosmium only: %.1f ms  %llu objects\n", seconds * 1000, static_cast<unsigned long long>(objects));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace placedist::geo::roads;
  if (argc < 2) {
    std::fprintf(stderr, "usage: osm_read_bench [--osmium-only] EXTRACT.osm.pbf [MORE ...]\n");
    return 2;
  }
  use_huge_page_heap();
  if (std::string(argv[1]) == "--osmium-only") return osmium_only(argc - 2, argv + 2);
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
      "read %.1f ms  peak RSS %.1f MB (%.1f MB before reading)  %llu ways (%llu missing nodes)  "
      "%zu junctions  %zu edges  %zu points  digest 0x%016llx\n",
      seconds * 1000, status_kib("VmHWM:") / 1024.0, before / 1024.0, static_cast<unsigned long long>(ways),
      static_cast<unsigned long long>(missing), g.nodes.size(), g.edges.size(), g.points.size(),
      static_cast<unsigned long long>(road_edges_digest(g)));
}
