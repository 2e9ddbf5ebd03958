#include "geo/roads/road_network.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <stdexcept>

#include "geo/io/atomic_file.hpp"
#include "geo/roads/base_graph.hpp"
#include "geo/roads/network_data.hpp"
#include "geo/roads/routing_graph.hpp"
#include "geo/roads/side_by_side.hpp"
#include "geo/roads/snapper.hpp"

namespace placedist::geo::roads {

// The bytes behind the spans: a read-only mapping of the file, or an owned buffer.
struct RoadNetwork::Storage {
  void* map = nullptr;
  std::size_t map_size = 0;
  std::string what;  // the file, for messages
  struct alignas(64) Line {
    std::byte bytes[64];
  };
  std::vector<Line> owned;  // 64-byte aligned, as sections expect (network_format.cpp)
  std::size_t owned_size = 0;
  ~Storage() {
    if (map) munmap(map, map_size);
  }
  std::span<const std::byte> bytes() const {
    if (map) return {static_cast<const std::byte*>(map), map_size};
    return {reinterpret_cast<const std::byte*>(owned.data()), owned_size};
  }
};

RoadNetwork::RoadNetwork() = default;
RoadNetwork::~RoadNetwork() = default;

void RoadNetwork::init() {
  m_snapper = std::make_unique<detail::Snapper>(*m_data);
  m_base = std::make_unique<detail::BaseGraph>(*m_data);
  // The hierarchies' query layouts are read in place from the file (no rebuild at load).
  for (int m = 0; m < 2; ++m) m_data->ch[m].search = &m_data->layout[m];
}

const detail::NetworkData& RoadNetwork::query_data() const {
  // A network too big for hub labels answers through a core table instead (core_table.hpp).
  std::call_once(m_core_tables_made, [&] {
    detail::for_each_metric_side_by_side([&](int m) {
      if (!m_data->labels[m].empty()) return;
      m_data->core[m] = detail::build_core_table(m_data->ch[m], detail::kCoreTableSize);
      m_data->ch[m].core = &m_data->core[m];
    });
  });
  return *m_data;
}

std::shared_ptr<const RoadNetwork> RoadNetwork::load(const std::filesystem::path& path) {
  std::shared_ptr<RoadNetwork> net(new RoadNetwork);
  net->m_storage = std::make_unique<Storage>();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot open road network " + path.string() + ": " + std::strerror(errno));
  struct stat st {};
  if (fstat(fd, &st) != 0 || st.st_size == 0) {
    ::close(fd);
    throw std::runtime_error("road network " + path.string() + " is empty or unreadable");
  }
  void* map = mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) throw std::runtime_error("cannot map road network " + path.string());
  net->m_storage->map = map;
  net->m_storage->map_size = static_cast<std::size_t>(st.st_size);
  net->m_storage->what = path.string();
  net->m_data = std::make_unique<detail::NetworkData>(detail::parse(net->m_storage->bytes(), path.string()));
  net->init();
  return net;
}

static BuildReport report_of(const RoadEdges& edges, const detail::BuildStats& stats, std::uint64_t file_bytes) {
  BuildReport report;
  report.nodes = static_cast<std::uint32_t>(edges.nodes.size());
  report.edges = static_cast<std::uint32_t>(edges.edges.size());
  report.largest_component = stats.largest_component;
  for (int m = 0; m < 2; ++m) {
    report.contract_seconds[m] = stats.contract_seconds[m], report.shortcuts[m] = stats.shortcuts[m];
    report.label_seconds[m] = stats.label_seconds[m];
  }
  report.label_bytes = stats.label_bytes;
  report.file_bytes = file_bytes;
  report.restrictions = stats.restrictions;
  report.junction_copies = stats.junction_copies;
  return report;
}

std::shared_ptr<const RoadNetwork> RoadNetwork::from_edges(const RoadEdges& edges, BuildReport* report) {
  detail::BuildStats stats;
  std::string bytes;
  detail::serialise(edges, &stats, [&](std::span<const std::byte> b) {
    bytes.append(reinterpret_cast<const char*>(b.data()), b.size());
  });
  std::shared_ptr<RoadNetwork> net(new RoadNetwork);
  net->m_storage = std::make_unique<Storage>();
  net->m_storage->owned.resize((bytes.size() + sizeof(Storage::Line) - 1) / sizeof(Storage::Line));
  std::memcpy(net->m_storage->owned.data(), bytes.data(), bytes.size());
  net->m_storage->owned_size = bytes.size();
  net->m_data = std::make_unique<detail::NetworkData>(detail::parse(net->m_storage->bytes(), "(in memory)"));
  net->init();
  if (report) *report = report_of(edges, stats, bytes.size());
  return net;
}

BuildReport build_network_file(const RoadEdges& edges, const std::filesystem::path& out) {
  detail::BuildStats stats;
  AtomicFile file(out);
  const std::uint64_t bytes = detail::serialise(edges, &stats, [&](std::span<const std::byte> b) {
    file.write({reinterpret_cast<const char*>(b.data()), b.size()});
  });
  file.commit();
  return report_of(edges, stats, bytes);
}

void RoadNetwork::verify() const {
  const std::string& what = m_storage->what.empty() ? std::string("(in memory)") : m_storage->what;
  if (int s = detail::bad_section_checksum(m_storage->bytes(), what); s >= 0)
    throw std::runtime_error("road network " + what + ": damaged section " + std::to_string(s) +
                             " (checksum mismatch): rebuild it with `placedist roads build`");
}

std::uint32_t RoadNetwork::node_count() const { return static_cast<std::uint32_t>(m_data->nodes.size()); }
std::uint32_t RoadNetwork::edge_count() const { return static_cast<std::uint32_t>(m_data->edges.size()); }
const std::string& RoadNetwork::source() const { return m_data->source; }
const std::string& RoadNetwork::profile() const { return m_data->profile; }
std::int64_t RoadNetwork::built_unix() const { return m_data->built_unix; }
std::uint64_t RoadNetwork::hub_label_bytes() const { return m_data->labels[0].bytes() + m_data->labels[1].bytes(); }
std::uint64_t RoadNetwork::core_table_bytes() const {
  std::uint64_t bytes = 0;
  for (int m = 0; m < 2; ++m)
    if (m_data->labels[m].empty())
      bytes += detail::core_table_bytes(m_data->routing_node_count(), detail::kCoreTableSize);
  return bytes;
}

namespace detail {

BaseGraph::BaseGraph(const NetworkData& d) {
  const std::size_t n = d.routing_node_count();
  std::vector<RoutingArc> routing =
      routing_arcs(d.edges, static_cast<std::uint32_t>(d.nodes.size()), d.restrictions, d.copy_code);
  first_out.assign(n + 1, 0);
  for (const RoutingArc& a : routing) ++first_out[a.tail + 1];
  for (std::size_t v = 0; v < n; ++v) first_out[v + 1] += first_out[v];
  arcs.resize(first_out[n]);
  std::vector<std::uint32_t> fill(first_out.begin(), first_out.end() - 1);
  for (const RoutingArc& a : routing) arcs[fill[a.tail]++] = {a.head, a.code};
  const std::uint32_t junctions = static_cast<std::uint32_t>(d.nodes.size());
  copies_first.assign(junctions + 1, 0);
  for (std::uint32_t k = 0; k < d.copy_code.size(); ++k) ++copies_first[d.junction_of(junctions + k) + 1];
  for (std::uint32_t v = 0; v < junctions; ++v) copies_first[v + 1] += copies_first[v];
  copies.resize(d.copy_code.size());
  std::vector<std::uint32_t> put(copies_first.begin(), copies_first.end() - 1);
  for (std::uint32_t k = 0; k < d.copy_code.size(); ++k) copies[put[d.junction_of(junctions + k)]++] = junctions + k;
}

}  // namespace detail
}  // namespace placedist::geo::roads
