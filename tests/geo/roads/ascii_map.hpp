#pragma once
// Tiny test networks drawn as ASCII maps, in the manner of OSRM's cucumber tests: letters are
// nodes placed on a grid (one column about 34 m, one row about 33 m, near 52N 1W), and ways list
// the letters they pass with their OSM tags. The map is written as an .osm file and read through
// the real OSM reader and car profile.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "geo/coords.hpp"
#include "geo/roads/osm_reader.hpp"
#include "geo/roads/road_network.hpp"

namespace placedist::geo::roads::testing {

struct AsciiWay {
  std::string nodes;                        // e.g. "abc"
  std::map<std::string, std::string> tags;  // e.g. {{"highway", "residential"}}
};

// A turn restriction relation: from way (index into the ways), via node, to way.
struct AsciiRestriction {
  int from;
  char via;
  int to;
  std::string value;  // e.g. "no_left_turn", "only_straight_on"
  std::map<std::string, std::string> extra_tags = {};
};

class AsciiMap {
 public:
  static constexpr double kLon0 = -1.0, kLat0 = 52.0, kColDeg = 0.0005, kRowDeg = 0.0003;

  explicit AsciiMap(const std::string& drawing) {
    std::istringstream in(drawing);
    std::string line;
    int row = 0;
    while (std::getline(in, line)) {
      for (std::size_t col = 0; col < line.size(); ++col)
        if (std::islower(static_cast<unsigned char>(line[col])))
          m_where[line[col]] = {kLon0 + col * kColDeg, kLat0 - row * kRowDeg};
      ++row;
    }
  }
  LonLat at(char name) const { return m_where.at(name); }

  std::shared_ptr<const RoadNetwork> build(const std::vector<AsciiWay>& ways,
                                           const std::vector<AsciiRestriction>& restrictions = {},
                                           OsmRestrictionReport* report = nullptr) const {
    auto path = std::filesystem::temp_directory_path() /
                ("placedist_ascii_" + std::to_string(::getpid()) + "_" + std::to_string(s_counter++) + ".osm");
    {
      std::ofstream out(path);
      out.precision(10);
      out << "<?xml version='1.0' encoding='UTF-8'?>\n<osm version='0.6' generator='test'>\n";
      for (auto [name, p] : m_where)
        out << "<node id='" << (name - 'a' + 1) << "' version='1' lat='" << p.lat << "' lon='" << p.lon << "'/>\n";
      int id = 100;
      for (const AsciiWay& w : ways) {
        out << "<way id='" << id++ << "' version='1'>";
        for (char c : w.nodes) out << "<nd ref='" << (c - 'a' + 1) << "'/>";
        for (auto& [k, v] : w.tags) out << "<tag k='" << k << "' v='" << v << "'/>";
        out << "</way>\n";
      }
      int rid = 1000;
      for (const AsciiRestriction& r : restrictions) {
        out << "<relation id='" << rid++ << "' version='1'><member type='way' ref='" << 100 + r.from
            << "' role='from'/><member type='node' ref='" << (r.via - 'a' + 1)
            << "' role='via'/><member type='way' ref='" << 100 + r.to
            << "' role='to'/><tag k='type' v='restriction'/><tag k='restriction' v='" << r.value << "'/>";
        for (auto& [k, v] : r.extra_tags) out << "<tag k='" << k << "' v='" << v << "'/>";
        out << "</relation>\n";
      }
      out << "</osm>\n";
    }
    OsmRoadReader reader;
    reader.add_file(path);
    std::filesystem::remove(path);
    auto net = RoadNetwork::from_edges(reader.finish());
    if (report) *report = reader.restrictions();
    return net;
  }

 private:
  std::map<char, LonLat> m_where;
  static inline int s_counter = 0;
};

}  // namespace placedist::geo::roads::testing
