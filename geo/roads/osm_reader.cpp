#include "geo/roads/osm_reader.hpp"

#include <osmium/handler.hpp>
#include <osmium/handler/node_locations_for_ways.hpp>
#include <osmium/index/map/flex_mem.hpp>
#include <osmium/io/any_input.hpp>
#include <osmium/visitor.hpp>

#include <cmath>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "geo/roads/car_profile.hpp"

namespace placedist::roads {
namespace {

struct WayRecord {
  CarWay car;
  std::uint32_t first = 0, last = 0;  // range in the node arrays
};

}  // namespace

namespace detail {
struct OsmReaderState {
  std::vector<WayRecord> ways;
  std::vector<std::int64_t> node_ids;
  std::vector<FixedPoint> node_points;
  std::unordered_set<std::int64_t> seen_ways;
  std::unordered_map<std::int64_t, FixedPoint> locations;  // shared across files
  std::string source;
};
}  // namespace detail

namespace {

class WayHandler : public osmium::handler::Handler {
 public:
  WayHandler(detail::OsmReaderState& impl, OsmFileReport& report) : m(impl), m_report(report) {}
  void way(const osmium::Way& way) {
    m_tags.clear();
    for (const osmium::Tag& t : way.tags()) m_tags.emplace_back(t.key(), t.value());
    auto car = car_way(m_tags);
    if (!car || way.nodes().size() < 2) return;
    if (!m.seen_ways.insert(way.id()).second) return;  // already read from another extract
    WayRecord rec{*car, static_cast<std::uint32_t>(m.node_ids.size()), 0};
    for (const osmium::NodeRef& n : way.nodes()) {
      if (!n.location().valid()) {
        m.node_ids.resize(rec.first);
        m.node_points.resize(rec.first);
        m.seen_ways.erase(way.id());
        ++m_report.missing_nodes;
        return;
      }
      m.node_ids.push_back(n.ref());
      m.node_points.push_back({n.location().x(), n.location().y()});
    }
    rec.last = static_cast<std::uint32_t>(m.node_ids.size());
    m.ways.push_back(rec);
    ++m_report.ways;
  }

 private:
  detail::OsmReaderState& m;
  OsmFileReport& m_report;
  std::vector<Tag> m_tags;
};

}  // namespace

OsmRoadReader::OsmRoadReader() : m_impl(std::make_unique<detail::OsmReaderState>()) {}
OsmRoadReader::~OsmRoadReader() = default;

OsmFileReport OsmRoadReader::add_file(const std::filesystem::path& path) {
  OsmFileReport report;
  try {
    osmium::io::File file(path.string());
    osmium::io::Reader reader(file, osmium::osm_entity_bits::node | osmium::osm_entity_bits::way);
    osmium::io::Header header = reader.header();
    report.timestamp = header.get("osmosis_replication_timestamp");
    using Index = osmium::index::map::FlexMem<osmium::unsigned_object_id_type, osmium::Location>;
    Index index;
    osmium::handler::NodeLocationsForWays<Index> locations(index);
    locations.ignore_errors();
    WayHandler ways(*m_impl, report);
    osmium::apply(reader, locations, ways);
    reader.close();
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot read OpenStreetMap extract " + path.string() + ": " + e.what());
  }
  if (!m_impl->source.empty()) m_impl->source += "; ";
  m_impl->source += path.filename().string() + " (" + (report.timestamp.empty() ? "no timestamp in header" : report.timestamp) +
                    ", " + std::to_string(report.ways) + " car ways)";
  return report;
}

RoadEdges OsmRoadReader::finish() {
  detail::OsmReaderState& m = *m_impl;
  // Junctions: way ends and nodes used more than once (by several ways, or twice by one).
  std::unordered_map<std::int64_t, std::uint32_t> uses;
  uses.reserve(m.node_ids.size());
  for (const WayRecord& w : m.ways) {
    for (std::uint32_t i = w.first; i < w.last; ++i) ++uses[m.node_ids[i]];
    uses[m.node_ids[w.first]] += 2;
    uses[m.node_ids[w.last - 1]] += 2;
  }
  RoadEdges g;
  std::unordered_map<std::int64_t, std::uint32_t> index;
  auto junction = [&](std::uint32_t i) {
    auto [it, fresh] = index.try_emplace(m.node_ids[i], static_cast<std::uint32_t>(g.nodes.size()));
    if (fresh) g.nodes.push_back(m.node_points[i]);
    return it->second;
  };
  std::vector<FixedPoint> line;
  for (const WayRecord& w : m.ways) {
    std::uint32_t start = w.first;
    line.assign(1, m.node_points[start]);
    for (std::uint32_t i = w.first + 1; i < w.last; ++i) {
      line.push_back(m.node_points[i]);
      if (uses[m.node_ids[i]] < 2 && i + 1 < w.last) continue;
      double metres = polyline_metres(line.data(), line.data() + line.size());
      RoadEdge e;
      e.a = junction(start);
      e.b = junction(i);
      e.dist_dm = static_cast<std::uint32_t>(std::llround(metres * 10));
      e.time_ms = drive_time_ms(metres, w.car.speed_kmh);
      e.flags = (w.car.forward ? kForward : 0) | (w.car.backward ? kBackward : 0);
      g.add_edge(e, line);
      start = i;
      line.assign(1, m.node_points[i]);
    }
  }
  g.source = m.source;
  g.profile = std::string(kCarProfileName) + "; turn restrictions not applied";
  return g;
}

}  // namespace placedist::roads
