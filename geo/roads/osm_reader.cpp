#include "geo/roads/osm_reader.hpp"

#include <osmium/handler.hpp>
#include <osmium/handler/node_locations_for_ways.hpp>
#include <osmium/index/map/flex_mem.hpp>
#include <osmium/io/any_input.hpp>
#include <osmium/visitor.hpp>

#include <cmath>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "geo/roads/car_profile.hpp"

namespace placedist::geo::roads {
namespace {

struct WayRecord {
  std::int64_t id = 0;
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
  struct Restriction {
    std::vector<std::int64_t> from, to;  // way ids
    std::int64_t via = 0;
    bool only = false;
  };
  std::vector<Restriction> restrictions;
  OsmRestrictionReport restriction_report;
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
    WayRecord rec{way.id(), *car, static_cast<std::uint32_t>(m.node_ids.size()), 0};
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

  void relation(const osmium::Relation& rel) {
    const char* type = rel.tags()["type"];
    if (!type || std::strcmp(type, "restriction") != 0) return;
    const char* value = rel.tags()["restriction:motorcar"];
    if (!value) value = rel.tags()["restriction"];
    if (!value) return;
    std::string_view v(value), except = rel.tags()["except"] ? rel.tags()["except"] : "";
    if (except.find("motorcar") != std::string_view::npos) return;
    bool only = v.rfind("only_", 0) == 0;
    if (!only && v.rfind("no_", 0) != 0) return;
    ++m.restriction_report.read;
    detail::OsmReaderState::Restriction r;
    r.only = only;
    bool via_node = false;
    for (const osmium::RelationMember& mem : rel.members()) {
      std::string_view role = mem.role();
      if (role == "from" && mem.type() == osmium::item_type::way)
        r.from.push_back(mem.ref());
      else if (role == "to" && mem.type() == osmium::item_type::way)
        r.to.push_back(mem.ref());
      else if (role == "via" && mem.type() == osmium::item_type::node)
        r.via = mem.ref(), via_node = true;
      else if (role == "via" && mem.type() == osmium::item_type::way)
        ++m.restriction_report.via_way;
    }
    if (!via_node) return;
    if (r.from.empty() || r.to.empty() || (only && r.to.size() != 1)) {
      ++m.restriction_report.unusable;
      return;
    }
    m.restrictions.push_back(std::move(r));
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
    osmium::io::Reader reader(
        file, osmium::osm_entity_bits::node | osmium::osm_entity_bits::way | osmium::osm_entity_bits::relation);
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
  m_impl->source += path.filename().string() + " (" +
                    (report.timestamp.empty() ? "no timestamp in header" : report.timestamp) + ", " +
                    std::to_string(report.ways) + " car ways)";
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
  std::unordered_map<std::int64_t, std::vector<std::uint32_t>> way_edges;  // restricted ways only
  std::unordered_set<std::int64_t> restricted_ways;
  for (const auto& r : m.restrictions) {
    restricted_ways.insert(r.from.begin(), r.from.end());
    restricted_ways.insert(r.to.begin(), r.to.end());
  }
  for (const WayRecord& w : m.ways) {
    std::vector<std::uint32_t>* record = restricted_ways.count(w.id) ? &way_edges[w.id] : nullptr;
    // A ferry with a duration spreads it over its edges by length.
    const double way_metres =
        w.car.ferry_seconds > 0 ? polyline_metres(m.node_points.data() + w.first, m.node_points.data() + w.last) : 0;
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
      if (w.car.ferry_seconds > 0)
        e.time_ms = static_cast<std::uint32_t>(
            std::llround(w.car.ferry_seconds * 1000 * (way_metres > 0 ? metres / way_metres : 1.0)));
      e.flags = (w.car.forward ? kForward : 0) | (w.car.backward ? kBackward : 0) | (w.car.ferry ? kFerry : 0);
      if (record) record->push_back(static_cast<std::uint32_t>(g.edges.size()));
      g.add_edge(e, line);
      start = i;
      line.assign(1, m.node_points[i]);
    }
  }
  // Via-node restrictions: the from way's edge arriving at the via junction, the to way's edge
  // leaving it. A way that passes through the junction (two candidate edges) is ambiguous.
  auto directed = [&](std::int64_t way, std::uint32_t via, bool arriving) -> std::optional<std::uint32_t> {
    auto it = way_edges.find(way);
    if (it == way_edges.end()) return std::nullopt;
    std::optional<std::uint32_t> found;
    int candidates = 0;
    for (std::uint32_t e : it->second) {
      const RoadEdge& r = g.edges[e];
      if (r.a == r.b) continue;
      if (r.a != via && r.b != via) continue;
      ++candidates;
      bool at_b = r.b == via;
      std::uint32_t code = arriving ? (at_b ? e * 2 : e * 2 + 1) : (at_b ? e * 2 + 1 : e * 2);
      if (r.flags & ((code & 1) ? kBackward : kForward)) found = code;
    }
    if (candidates != 1) return std::nullopt;
    return found;
  };
  for (const auto& r : m.restrictions) {
    auto via = index.find(r.via);
    bool ok = via != index.end();
    std::vector<TurnRestriction> rules;
    for (std::int64_t from : r.from) {
      for (std::int64_t to : r.to) {
        if (!ok) break;
        auto in = directed(from, via->second, true), out = directed(to, via->second, false);
        if (!in || !out) {
          ok = false;
          break;
        }
        rules.push_back({*in, *out, r.only ? 1u : 0u});
      }
    }
    if (!ok || rules.empty()) {
      ++m.restriction_report.unusable;
      continue;
    }
    ++m.restriction_report.applied;
    g.restrictions.insert(g.restrictions.end(), rules.begin(), rules.end());
  }
  g.source = m.source;
  g.profile = std::string(kCarProfileName) + "; " + std::to_string(m.restriction_report.applied) +
              " via-node turn restrictions applied (via-way ones ignored)";
  return g;
}

const OsmRestrictionReport& OsmRoadReader::restrictions() const { return m_impl->restriction_report; }

}  // namespace placedist::geo::roads
