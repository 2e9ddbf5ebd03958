#include "geo/roads/osm_reader.hpp"

#include <osmium/handler.hpp>
#include <osmium/io/any_input.hpp>
#include <osmium/thread/pool.hpp>
#include <osmium/visitor.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "geo/roads/car_profile.hpp"

namespace placedist::geo::roads {
namespace {

// Extracts up to this size on disk (a county's .osm.pbf is 1-60 MB, England's 1.3 GB) are read
// in one pass: at most some 150 MB of node locations, for one decode of the file instead of two.
constexpr std::uintmax_t kOnePassMaxBytes = std::uintmax_t{64} << 20;

// A car way kept for the graph: 24 bytes, its nodes in the shared arrays from `first` to the next
// way's `first`. A ferry's crossing time (rare) is kept apart, by way id.
struct WayRecord {
  std::int64_t id = 0;
  double speed_kmh = 0;
  std::uint32_t first = 0;
  bool forward = false, backward = false, ferry = false;
};

// Index of `id` in the sorted, duplicate-free `ids`, or npos; searched outward from `hint` (the
// last answer), since consecutive lookups (a way's nodes, a file's nodes in id order) are close.
constexpr std::size_t npos = static_cast<std::size_t>(-1);
std::size_t find_near(const std::vector<std::int64_t>& ids, std::int64_t id, std::size_t& hint) {
  if (ids.empty()) return npos;
  if (hint >= ids.size()) hint = ids.size() - 1;
  std::size_t lo, hi;  // the answer lies in [lo, hi)
  if (ids[hint] == id) return hint;
  if (ids[hint] < id) {
    std::size_t step = 1;
    lo = hint + 1;
    while (lo + step < ids.size() && ids[lo + step] < id) lo += step, step *= 2;
    hi = std::min(ids.size(), lo + step + 1);
  } else {
    std::size_t step = 1;
    hi = hint;
    while (hi > step && ids[hi - step] > id) hi -= step, step *= 2;
    lo = hi > step ? hi - step : 0;
  }
  auto it = std::lower_bound(ids.begin() + static_cast<std::ptrdiff_t>(lo),
                             ids.begin() + static_cast<std::ptrdiff_t>(hi), id);
  if (it == ids.end() || *it != id) return npos;
  hint = static_cast<std::size_t>(it - ids.begin());
  return hint;
}

std::vector<std::int64_t> sorted_unique(std::span<const std::int64_t> ids) {
  std::vector<std::int64_t> out(ids.begin(), ids.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  out.shrink_to_fit();
  return out;
}

}  // namespace

namespace detail {
// A big file is read in two passes: ways and relations first (the car ways' node ids), then only
// the locations of those nodes; a small one in one pass (every node's location kept until its ways
// are read). No hash map per node: sorted id arrays.
struct OsmReaderState {
  std::vector<WayRecord> ways;
  std::vector<std::int64_t> node_ids;                      // per way node, all ways end to end
  std::vector<FixedPoint> node_points;                     // per way node, from the way's own file
  std::unordered_map<std::int64_t, double> ferry_seconds;  // by way id, timed ferries only
  std::vector<std::int64_t> earlier_ways;                  // sorted ids of the ways kept from earlier files
  std::string source;
  struct Restriction {
    std::vector<std::int64_t> from, to;  // way ids
    std::int64_t via = 0;
    bool only = false;
  };
  std::vector<Restriction> restrictions;
  OsmRestrictionReport restriction_report;
  osmium::thread::Pool decoders{osm_decoding_threads()};
  bool finished = false;  // finish() hands the arrays over
  std::uint32_t way_end(std::size_t w) const {
    return w + 1 < ways.size() ? ways[w + 1].first : static_cast<std::uint32_t>(node_ids.size());
  }
};
}  // namespace detail

namespace {

// Pass 1: car ways (their node ids only) and turn restriction relations.
class WayHandler : public osmium::handler::Handler {
 public:
  explicit WayHandler(detail::OsmReaderState& impl) : m(impl) {}
  void way(const osmium::Way& way) {
    m_tags.clear();
    for (const osmium::Tag& t : way.tags()) m_tags.emplace_back(t.key(), t.value());
    auto car = car_way(m_tags);
    if (!car || way.nodes().size() < 2) return;
    if (std::binary_search(m.earlier_ways.begin(), m.earlier_ways.end(), way.id())) return;  // read before
    m.ways.push_back({way.id(), car->speed_kmh, static_cast<std::uint32_t>(m.node_ids.size()), car->forward,
                      car->backward, car->ferry});
    if (car->ferry_seconds > 0) m.ferry_seconds[way.id()] = car->ferry_seconds;
    for (const osmium::NodeRef& n : way.nodes()) m.node_ids.push_back(n.ref());
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
  std::vector<Tag> m_tags;
};

// The one-pass read of a small extract: every node's location, in file order.
struct NodeRecord {
  std::int64_t id;
  osmium::Location location;
};
class AllNodesHandler : public osmium::handler::Handler {
 public:
  explicit AllNodesHandler(std::vector<NodeRecord>& nodes) : m_nodes(nodes) {}
  void node(const osmium::Node& node) { m_nodes.push_back({node.id(), node.location()}); }

 private:
  std::vector<NodeRecord>& m_nodes;
};

// The locations of `wanted` (sorted, unique) among `nodes` (file order). Where a file holds a
// node twice the later one wins, as in the second pass of a two-pass read.
void locate(const std::vector<std::int64_t>& wanted, std::vector<NodeRecord>& nodes,
            std::vector<osmium::Location>& locations) {
  if (!std::is_sorted(nodes.begin(), nodes.end(), [](const NodeRecord& a, const NodeRecord& b) { return a.id < b.id; }))
    std::stable_sort(nodes.begin(), nodes.end(), [](const NodeRecord& a, const NodeRecord& b) { return a.id < b.id; });
  std::size_t j = 0;
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    while (j < nodes.size() && nodes[j].id < wanted[i]) ++j;
    while (j < nodes.size() && nodes[j].id == wanted[i]) locations[i] = nodes[j++].location;
  }
}

// Pass 2: the locations of the nodes pass 1 asked for (a sorted id list), nothing else.
class NodeHandler : public osmium::handler::Handler {
 public:
  NodeHandler(const std::vector<std::int64_t>& wanted, std::vector<osmium::Location>& locations)
      : m_wanted(wanted), m_locations(locations) {}
  void node(const osmium::Node& node) {
    std::size_t i = find_near(m_wanted, node.id(), m_hint);
    if (i != npos) m_locations[i] = node.location();
  }

 private:
  const std::vector<std::int64_t>& m_wanted;
  std::vector<osmium::Location>& m_locations;
  std::size_t m_hint = 0;
};

}  // namespace

int osm_decoding_threads() {
  return std::getenv("OSMIUM_POOL_THREADS") ? osmium::thread::Pool::default_num_threads
                                            : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

OsmRoadReader::OsmRoadReader(OsmPasses passes) : m_impl(std::make_unique<detail::OsmReaderState>()), m_passes(passes) {}
OsmRoadReader::~OsmRoadReader() = default;

OsmFileReport OsmRoadReader::add_file(const std::filesystem::path& path) {
  detail::OsmReaderState& m = *m_impl;
  OsmFileReport report;
  const std::size_t first_way = m.ways.size(), first_node = m.node_ids.size();
  try {
    osmium::io::File file(path.string());
    // A small extract is read once, keeping every node's location (16 bytes a node) until its
    // ways say which are wanted; a big one twice (ways, then only the wanted nodes), which saves
    // memory at national size but decodes the file twice.
    std::error_code size_error;
    const std::uintmax_t bytes = std::filesystem::file_size(path, size_error);
    const bool one_pass =
        m_passes == OsmPasses::one || (m_passes == OsmPasses::by_size && !size_error && bytes <= kOnePassMaxBytes);
    std::vector<NodeRecord> all_nodes;
    {
      const auto entities = osmium::osm_entity_bits::way | osmium::osm_entity_bits::relation |
                            (one_pass ? osmium::osm_entity_bits::node : osmium::osm_entity_bits::nothing);
      osmium::io::Reader reader(file, entities, osmium::io::read_meta::no, m.decoders);
      report.timestamp = reader.header().get("osmosis_replication_timestamp");
      WayHandler ways(m);
      AllNodesHandler nodes(all_nodes);
      if (one_pass)
        osmium::apply(reader, nodes, ways);
      else
        osmium::apply(reader, ways);
      reader.close();
    }
    // This file's ways take their node locations from this file only, as extracts are matched
    // by id but may differ in date.
    const std::vector<std::int64_t> wanted =
        sorted_unique(std::span<const std::int64_t>(m.node_ids).subspan(first_node));
    std::vector<osmium::Location> locations(wanted.size());
    if (one_pass) {
      locate(wanted, all_nodes, locations);
      std::vector<NodeRecord>().swap(all_nodes);
    } else {
      osmium::io::Reader reader(file, osmium::osm_entity_bits::node, osmium::io::read_meta::no, m.decoders);
      NodeHandler nodes(wanted, locations);
      osmium::apply(reader, nodes);
      reader.close();
    }
    // Keep each way whose every node was found and that no earlier way (of this file: a way id
    // twice) already gave; compact the arrays over the ways dropped.
    std::unordered_set<std::int64_t> kept_here;
    std::int64_t last_kept = std::numeric_limits<std::int64_t>::min();
    bool ascending = true;
    std::size_t out_way = first_way, out_node = first_node, hint = 0;
    m.node_points.resize(m.node_ids.size());
    for (std::size_t w = first_way; w < m.ways.size(); ++w) {
      WayRecord rec = m.ways[w];
      const std::uint32_t begin = rec.first, end = m.way_end(w);
      if (ascending && rec.id <= last_kept) {  // ids out of order: look kept ones up from now on
        ascending = false;
        for (std::size_t k = first_way; k < out_way; ++k) kept_here.insert(m.ways[k].id);
      }
      if (!ascending && kept_here.count(rec.id)) continue;
      bool whole = true;
      for (std::uint32_t i = begin; i < end && whole; ++i) {
        osmium::Location l = locations[find_near(wanted, m.node_ids[i], hint)];
        if (!l.valid()) whole = false;
        m.node_points[i] = {l.x(), l.y()};
      }
      if (!whole) {
        ++report.missing_nodes;
        continue;
      }
      if (!ascending) kept_here.insert(rec.id);
      last_kept = std::max(last_kept, rec.id);
      if (out_node != begin) {
        std::copy(m.node_ids.begin() + begin, m.node_ids.begin() + end, m.node_ids.begin() + out_node);
        std::copy(m.node_points.begin() + begin, m.node_points.begin() + end, m.node_points.begin() + out_node);
      }
      rec.first = static_cast<std::uint32_t>(out_node);
      out_node += end - begin;
      m.ways[out_way++] = rec;
      ++report.ways;
    }
    // The dropped ways' records end at out_way: their `first` must not be read as an end.
    m.ways.resize(out_way);
    m.node_ids.resize(out_node);
    m.node_points.resize(out_node);
  } catch (const std::exception& e) {
    m.ways.resize(first_way);
    m.node_ids.resize(first_node);
    m.node_points.resize(first_node);
    throw std::runtime_error("cannot read OpenStreetMap extract " + path.string() + ": " + e.what());
  }
  // Growth by doubling left up to half of these unused; the graph is built beside them.
  m.node_ids.shrink_to_fit();
  m.node_points.shrink_to_fit();
  m.ways.shrink_to_fit();
  std::vector<std::int64_t> ids;
  ids.reserve(m.earlier_ways.size() + report.ways);
  ids = m.earlier_ways;
  for (std::size_t w = first_way; w < m.ways.size(); ++w) ids.push_back(m.ways[w].id);
  std::sort(ids.begin(), ids.end());
  m.earlier_ways = std::move(ids);
  if (!m.source.empty()) m.source += "; ";
  m.source += path.filename().string() + " (" +
              (report.timestamp.empty() ? "no timestamp in header" : report.timestamp) + ", " +
              std::to_string(report.ways) + " car ways)";
  return report;
}

RoadEdges OsmRoadReader::finish() {
  detail::OsmReaderState& m = *m_impl;
  if (m.finished) throw std::logic_error("OsmRoadReader::finish() called twice");
  m.finished = true;
  // Each way node's index among the distinct node ids; the ids themselves are then dropped.
  std::vector<std::int64_t> ids = sorted_unique(m.node_ids);
  std::vector<std::uint32_t> slot(m.node_ids.size());
  {
    std::size_t hint = 0;
    for (std::size_t i = 0; i < slot.size(); ++i)
      slot[i] = static_cast<std::uint32_t>(find_near(ids, m.node_ids[i], hint));
    std::vector<std::int64_t>().swap(m.node_ids);
  }
  // Junctions: way ends and nodes used more than once (by several ways, or twice by one).
  std::vector<std::uint8_t> uses(ids.size(), 0);
  auto use = [&](std::uint32_t s, int n) { uses[s] = static_cast<std::uint8_t>(std::min(3, uses[s] + n)); };
  const std::uint32_t node_count = static_cast<std::uint32_t>(slot.size());
  auto way_end = [&](std::size_t w) { return w + 1 < m.ways.size() ? m.ways[w + 1].first : node_count; };
  for (std::size_t w = 0; w < m.ways.size(); ++w) {
    for (std::uint32_t i = m.ways[w].first; i < way_end(w); ++i) use(slot[i], 1);
    use(slot[m.ways[w].first], 2);
    use(slot[way_end(w) - 1], 2);
  }
  RoadEdges g;
  {  // Exact sizes: no doubling of the biggest arrays.
    std::size_t edges = 0;
    for (std::size_t w = 0; w < m.ways.size(); ++w)
      for (std::uint32_t i = m.ways[w].first + 1; i < way_end(w); ++i)
        edges += uses[slot[i]] >= 2 || i + 1 == way_end(w);
    g.edges.reserve(edges);
    g.first_point.reserve(edges + 1);
    g.points.reserve(node_count + edges - m.ways.size());
  }
  constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
  // The restrictions' via nodes as slots, so that the id list can go before the graph is built.
  std::vector<std::uint32_t> via_slot;
  for (const auto& r : m.restrictions) {
    auto at = std::lower_bound(ids.begin(), ids.end(), r.via);
    via_slot.push_back(at != ids.end() && *at == r.via ? static_cast<std::uint32_t>(at - ids.begin()) : kNone);
  }
  const std::size_t distinct_nodes = ids.size();
  std::vector<std::int64_t>().swap(ids);
  std::vector<std::uint32_t> junction_of(distinct_nodes, kNone);
  auto junction = [&](std::uint32_t i) {
    std::uint32_t& j = junction_of[slot[i]];
    if (j == kNone) {
      j = static_cast<std::uint32_t>(g.nodes.size());
      g.nodes.push_back(m.node_points[i]);
    }
    return j;
  };
  std::vector<FixedPoint> line;
  std::unordered_map<std::int64_t, std::vector<std::uint32_t>> way_edges;  // restricted ways only
  std::unordered_set<std::int64_t> restricted_ways;
  for (const auto& r : m.restrictions) {
    restricted_ways.insert(r.from.begin(), r.from.end());
    restricted_ways.insert(r.to.begin(), r.to.end());
  }
  for (std::size_t wi = 0; wi < m.ways.size(); ++wi) {
    const WayRecord& w = m.ways[wi];
    const std::uint32_t last = way_end(wi);
    std::vector<std::uint32_t>* record = restricted_ways.count(w.id) ? &way_edges[w.id] : nullptr;
    // A ferry with a duration spreads it over its edges by length.
    auto timed = w.ferry ? m.ferry_seconds.find(w.id) : m.ferry_seconds.end();
    const double ferry_seconds = timed != m.ferry_seconds.end() ? timed->second : 0;
    const double way_metres =
        ferry_seconds > 0 ? polyline_metres(m.node_points.data() + w.first, m.node_points.data() + last) : 0;
    std::uint32_t start = w.first;
    line.assign(1, m.node_points[start]);
    for (std::uint32_t i = w.first + 1; i < last; ++i) {
      line.push_back(m.node_points[i]);
      if (uses[slot[i]] < 2 && i + 1 < last) continue;
      double metres = polyline_metres(line.data(), line.data() + line.size());
      RoadEdge e;
      e.a = junction(start);
      e.b = junction(i);
      e.dist_dm = static_cast<std::uint32_t>(std::llround(metres * 10));
      e.time_ms = drive_time_ms(metres, w.speed_kmh);
      if (ferry_seconds > 0)
        e.time_ms = static_cast<std::uint32_t>(
            std::llround(ferry_seconds * 1000 * (way_metres > 0 ? metres / way_metres : 1.0)));
      e.flags = (w.forward ? kForward : 0) | (w.backward ? kBackward : 0) | (w.ferry ? kFerry : 0);
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
  for (std::size_t ri = 0; ri < m.restrictions.size(); ++ri) {
    const auto& r = m.restrictions[ri];
    const std::uint32_t via = via_slot[ri] != kNone ? junction_of[via_slot[ri]] : kNone;
    bool ok = via != kNone;
    std::vector<TurnRestriction> rules;
    for (std::int64_t from : r.from) {
      for (std::int64_t to : r.to) {
        if (!ok) break;
        auto in = directed(from, via, true), out = directed(to, via, false);
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
