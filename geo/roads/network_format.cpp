// The network file layout: a header, then sections each written as zero bytes up to the point
// where a uint64 byte count ends on a 64-byte boundary (since version 6), the count, and the raw
// array, padded to 8 bytes. Fixed-size little-endian structs; the version is bumped whenever any
// of them changes.
//
// Since version 6 each hierarchy's hub labels follow its arcs (hub_labels.hpp; empty sections
// above the size limit).
//
// Since version 4 each hierarchy is stored as its query layout (search_graph.hpp: search ids,
// where each node's run starts, the runs' headers and 16-byte records (since version 5; 12-byte
// records and a per-node array of slice bounds in 4), the ChArc ids of each slot, the ChArcs),
// read in place on load.
//
// Version 3 ends with a section of CRC-32Cs, one per section before it (leading padding, count,
// bytes and padding), then the end marker. parse() checks every index a query follows, so that a file
// damaged in place is refused rather than read outside its sections; verify_checksums() reads
// every byte (roads info --verify, serve at start).
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <algorithm>
#include <tuple>
#include "geo/io/crc32c.hpp"
#include "geo/roads/network_data.hpp"
#include "geo/roads/network_version.hpp"
#include "geo/roads/routing_graph.hpp"
#include "geo/roads/side_by_side.hpp"

namespace placedist::geo::roads::detail {
namespace {

static_assert(sizeof(FixedPoint) == 8);
static_assert(sizeof(RoadEdge) == 20);
static_assert(sizeof(ChArc) == 8);
static_assert(sizeof(SearchRecord) == 16 && alignof(SearchRecord) == 8);  // sections start 64-aligned

// Each section's data starts on a 64-byte line (zero bytes, then its count, end there), so that
// 16-byte records never straddle two cache lines: the file is mapped at a page boundary, and an
// in-memory copy is kept 64-byte aligned (road_network.cpp). Bytes of padding before a count.
constexpr std::size_t kLine = 64;
std::size_t line_padding(std::size_t at) { return (kLine - (at + sizeof(std::uint64_t)) % kLine) % kLine; }

// Sends each section to the sink as it comes, from the caller's array (no copy of the file in
// memory), with its checksum.
class Writer {
 public:
  explicit Writer(const ByteSink& sink) : m_sink(sink) {}
  template <class T>
  void array(const T* data, std::size_t count) {
    static constexpr char kZeros[kLine] = {};
    std::uint32_t crc = 0;
    emit(kZeros, line_padding(m_size), &crc);
    const std::uint64_t bytes = count * sizeof(T);
    emit(&bytes, sizeof bytes, &crc);
    emit(data, bytes, &crc);
    emit(kZeros, (8 - m_size % 8) % 8, &crc);
    m_crcs.push_back(crc);
  }
  // The checksums of the sections written so far, as the section before the end marker.
  void checksums() {
    std::vector<std::uint32_t> crcs = m_crcs;
    array(crcs);
  }
  template <class C>
  void array(const C& c) {
    array(c.data(), c.size());
  }
  void text(const std::string& s) { array(s.data(), s.size()); }
  // Bytes outside any section (the header).
  void raw(const void* p, std::size_t n) {
    std::uint32_t unused = 0;
    emit(p, n, &unused);
  }
  std::uint64_t size() const { return m_size; }

 private:
  void emit(const void* p, std::size_t n, std::uint32_t* crc) {
    if (n == 0) return;
    const std::span<const std::byte> bytes(static_cast<const std::byte*>(p), n);
    *crc = crc32c(bytes, *crc);
    m_sink(bytes);
    m_size += n;
  }
  const ByteSink& m_sink;
  std::uint64_t m_size = 0;
  std::vector<std::uint32_t> m_crcs;
};

class Reader {
 public:
  Reader(std::span<const std::byte> bytes, const std::string& what) : m_bytes(bytes), m_what(what) {}
  template <class T>
  std::span<const T> array() {
    need(line_padding(m_pos));
    m_pos += line_padding(m_pos);
    std::uint64_t n = 0;
    need(sizeof n);
    std::memcpy(&n, m_bytes.data() + m_pos, sizeof n);
    m_pos += sizeof n;
    if (n % sizeof(T)) fail("section size is not a whole number of records");
    need(n);
    std::uint64_t padded = n + (8 - n % 8) % 8;
    need(padded);
    const T* p = reinterpret_cast<const T*>(m_bytes.data() + m_pos);
    m_pos += padded;
    return {p, n / sizeof(T)};
  }
  std::string text() {
    auto s = array<char>();
    return {s.begin(), s.end()};
  }
  void need(std::uint64_t n) {  // m_pos never passes the end, so this cannot wrap
    if (n > m_bytes.size() - m_pos) fail("file is truncated");
  }
  [[noreturn]] void fail(const std::string& why) { throw std::runtime_error("road network " + m_what + ": " + why); }
  const std::byte* at() const { return m_bytes.data() + m_pos; }
  void skip(std::size_t n) { m_pos += n; }
  std::size_t position() const { return m_pos; }
  bool at_end() const { return m_pos == m_bytes.size(); }

 private:
  std::span<const std::byte> m_bytes;
  std::size_t m_pos = 0;
  std::string m_what;
};

struct Header {
  char magic[16];
  std::uint32_t version;
  std::uint32_t byte_order;
};
static_assert(sizeof(Header) == 24);
constexpr std::uint32_t kByteOrder = 0x01020304;

// Sections before the checksums: source, profile, time, 8 graph sections, 12 per metric (the
// layout's 5, the arcs, the hub labels' 6).
constexpr std::size_t kChecksummedSections = 3 + 8 + 12 * kMetricCount;

// Every index a query follows (edge ends, polylines, restriction and copy codes, the hierarchy's
// layout (bad_search_graph: searches add a record's weight, below kInfinity, to a distance below
// it, which cannot wrap), arcs and shortcut halves), checked once: what is wrong, or null. A shortcut
// is made of arcs made before it, so unpacking always ends.
const char* bad_index(const NetworkData& d) {
  const std::uint64_t n = d.nodes.size(), m = d.edges.size(), codes = 2 * m, rn = d.routing_node_count();
  // Coordinates are degrees: a point off the globe would overflow the snapper's and the
  // geometry's fixed-point arithmetic.
  auto on_globe = [](const FixedPoint& p) {
    return std::abs(std::int64_t{p.lon}) <= 180 * std::int64_t{10'000'000} &&
           std::abs(std::int64_t{p.lat}) <= 90 * std::int64_t{10'000'000};
  };
  if (!std::all_of(d.nodes.begin(), d.nodes.end(), on_globe) ||
      !std::all_of(d.points.begin(), d.points.end(), on_globe))
    return "a junction or road point lies off the globe (longitude beyond 180 or latitude beyond 90 degrees)";
  for (const RoadEdge& e : d.edges)
    if (e.a >= n || e.b >= n) return "an edge's node index lies outside the node table";
  if (d.first_point[0] != 0) return "the first polyline does not start at the first point";
  for (std::uint64_t e = 0; e < m; ++e)
    if (d.first_point[e + 1] < d.first_point[e] + std::uint64_t{2}) return "an edge's polyline has fewer than 2 points";
  for (const TurnRestriction& t : d.restrictions)
    if (t.from_code >= codes || t.to_code >= codes) return "a turn restriction names an edge outside the edge table";
  for (std::size_t k = 0; k < d.copy_code.size(); ++k)
    if (d.copy_code[k] >= codes || (k > 0 && d.copy_code[k] <= d.copy_code[k - 1]))
      return "a junction copy names an edge outside the edge table, or out of order";
  for (int m = 0; m < kMetricCount; ++m) {
    const ChView& c = d.ch[m];
    if (const char* why = bad_search_graph(d.layout[m], rn, c.arcs.size())) return why;
    if (const char* why = bad_hub_labels(d.labels[m], rn)) return why;
    for (std::size_t i = 0; i < c.arcs.size(); ++i) {
      const ChArc& arc = c.arcs[i];
      if (arc.is_shortcut() ? (arc.first >= i || arc.second >= i) : arc.first >= codes)
        return "a hierarchy arc stands for arcs or an edge outside the file";
    }
  }
  return nullptr;
}

}  // namespace

int bad_section_checksum(std::span<const std::byte> bytes, const std::string& what) {
  Reader r(bytes, what);
  r.need(sizeof(Header));
  r.skip(sizeof(Header));
  std::vector<std::uint32_t> computed;
  for (std::size_t s = 0; s < kChecksummedSections; ++s) {
    std::size_t start = r.position();
    r.array<std::byte>();
    computed.push_back(crc32c(bytes.subspan(start, r.position() - start)));
  }
  auto stored = r.array<std::uint32_t>();
  if (stored.size() != computed.size()) return static_cast<int>(computed.size());
  for (std::size_t s = 0; s < computed.size(); ++s)
    if (computed[s] != stored[s]) return static_cast<int>(s);
  return -1;
}

std::vector<std::uint32_t> strong_components(const RoadEdges& g);  // network_build.cpp
std::vector<std::uint8_t> snappable_edges(const RoadEdges& g, const std::vector<std::uint32_t>& comp,
                                          std::uint32_t* largest);
std::vector<InputArc> input_arcs(std::span<const RoadEdge> edges, std::span<const RoutingArc> arcs, Metric m);

std::uint64_t serialise(const RoadEdges& g, BuildStats* stats, const ByteSink& sink) {
  Writer w(sink);
  Header h{};
  std::memcpy(h.magic, kNetworkMagic, sizeof h.magic);
  h.version = kNetworkVersion;
  h.byte_order = kByteOrder;
  w.raw(&h, sizeof h);
  w.text(g.source);
  w.text(g.profile);
  std::int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  w.array(&now, 1);
  w.array(g.nodes);
  w.array(g.edges);
  w.array(g.first_point);
  w.array(g.points);
  std::vector<std::uint32_t> comp = strong_components(g);
  std::uint32_t largest = 0;
  std::vector<std::uint8_t> snap = snappable_edges(g, comp, &largest);
  w.array(comp);
  w.array(snap);
  if (stats) stats->largest_component = largest;
  std::vector<TurnRestriction> rules = g.restrictions;
  std::sort(rules.begin(), rules.end(), [](const TurnRestriction& a, const TurnRestriction& b) {
    return std::tie(a.from_code, a.to_code, a.only) < std::tie(b.from_code, b.to_code, b.only);
  });
  rules.erase(std::unique(rules.begin(), rules.end()), rules.end());
  const std::uint32_t n = static_cast<std::uint32_t>(g.nodes.size());
  std::vector<std::uint32_t> copies = junction_copies(g.edges, n, rules);
  w.array(rules);
  w.array(copies);
  std::vector<RoutingArc> arcs = routing_arcs(g.edges, n, rules, copies);
  if (stats) stats->restrictions = rules.size(), stats->junction_copies = copies.size();
  const std::uint32_t routing_nodes = n + static_cast<std::uint32_t>(copies.size());
  // Where each routing node lies (a junction copy at its junction), for the layout's order.
  std::vector<FixedPoint> where(routing_nodes);
  for (std::uint32_t v = 0; v < routing_nodes; ++v)
    where[v] = v < n ? g.nodes[v] : g.nodes[code_head(g.edges[copies[v - n] >> 1], copies[v - n])];
  // Per metric, on its own core: contraction, its query layout, its hub labels.
  struct MetricIndex {
    std::vector<ChArc> arcs;
    SearchGraphData layout;
    HubLabelsData labels;
    ContractionStats contraction;
    double label_seconds = 0;
  };
  std::array<MetricIndex, kMetricCount> index;
  for_each_metric_side_by_side([&](int m) {
    MetricIndex& x = index[m];
    ChData ch = contract(routing_nodes, input_arcs(g.edges, arcs, Metric(m)), &x.contraction);
    x.layout = build_search_graph(ch.view(), where);
    x.arcs = std::move(ch.arcs);
    ch = {};  // laid out: free the contraction's lists before labelling
    const auto t0 = std::chrono::steady_clock::now();
    x.labels = build_hub_labels(x.layout.view());
    x.label_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  });
  for (int m = 0; m < kMetricCount; ++m) {
    const MetricIndex& x = index[m];
    if (stats) {
      stats->contract_seconds[m] = x.contraction.seconds, stats->shortcuts[m] = x.contraction.shortcuts;
      stats->label_seconds[m] = x.label_seconds;
      stats->label_bytes += x.labels.view().bytes();
    }
    w.array(x.layout.id);
    w.array(x.layout.run);
    w.array(x.layout.records);
    w.array(x.layout.up_arc);
    w.array(x.layout.down_arc);
    w.array(x.arcs);
    for (const LabelSetData* s : {&x.labels.fwd, &x.labels.bwd}) {
      w.array(s->end);
      w.array(s->hub);
      w.array(s->weight);
    }
  }
  w.checksums();
  std::uint64_t end_marker = kByteOrder;
  w.array(&end_marker, 1);
  return w.size();
}

NetworkData parse(std::span<const std::byte> bytes, const std::string& what) {
  Reader r(bytes, what);
  r.need(sizeof(Header));
  Header h;
  std::memcpy(&h, r.at(), sizeof h);
  r.skip(sizeof h);
  if (std::memcmp(h.magic, kNetworkMagic, sizeof h.magic) != 0)
    r.fail("not a placedist road network file (bad magic number)");
  if (h.byte_order != kByteOrder) r.fail("written on a machine of other byte order");
  if (h.version != kNetworkVersion)
    r.fail("file format version " + std::to_string(h.version) + ", this placedist reads version " +
           std::to_string(kNetworkVersion) + "; rebuild it with `placedist roads build`");
  NetworkData d;
  d.source = r.text();
  d.profile = r.text();
  auto when = r.array<std::int64_t>();
  if (when.size() != 1) r.fail("bad timestamp section");
  d.built_unix = when[0];
  d.nodes = r.array<FixedPoint>();
  d.edges = r.array<RoadEdge>();
  d.first_point = r.array<std::uint32_t>();
  d.points = r.array<FixedPoint>();
  d.component = r.array<std::uint32_t>();
  d.snappable = r.array<std::uint8_t>();
  d.restrictions = r.array<TurnRestriction>();
  d.copy_code = r.array<std::uint32_t>();
  const std::size_t n = d.nodes.size(), m = d.edges.size();
  if (d.first_point.size() != m + 1 || d.first_point.back() != d.points.size() || d.component.size() != n ||
      d.snappable.size() != m)
    r.fail("inconsistent section sizes");
  for (int k = 0; k < kMetricCount; ++k) {
    SearchGraph& g = d.layout[k];
    g.id = r.array<std::uint32_t>();
    g.run = r.array<std::uint32_t>();
    g.records = r.array<SearchRecord>();
    g.up_arc = r.array<std::uint32_t>();
    g.down_arc = r.array<std::uint32_t>();
    d.ch[k].arcs = r.array<ChArc>();
    for (LabelSet* s : {&d.labels[k].fwd, &d.labels[k].bwd}) {
      s->end = r.array<std::uint32_t>();
      s->hub = r.array<std::uint32_t>();
      s->weight = r.array<Weight>();
    }
    const std::size_t rn = d.routing_node_count();
    if (g.id.size() != rn || g.run.size() != rn + 1 || g.up_arc.size() != g.records.size() ||
        g.down_arc.size() != g.records.size())
      r.fail("inconsistent hierarchy sections");
  }
  auto crcs = r.array<std::uint32_t>();
  if (crcs.size() != kChecksummedSections) r.fail("bad checksum section");
  auto end = r.array<std::uint64_t>();
  if (end.size() != 1 || end[0] != kByteOrder || !r.at_end()) r.fail("missing end marker");
  if (const char* why = bad_index(d)) r.fail(std::string("corrupt: ") + why);
  return d;
}

}  // namespace placedist::geo::roads::detail
