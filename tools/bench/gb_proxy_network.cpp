// SYNTHETIC national-scale proxy road network (issue 16): there is no England or Great Britain
// extract in the shared data, so this builds one of the right size from real pieces, for
// benchmarks only. Deterministic (no randomness; same inputs, same file).
//  - The real Buckinghamshire car graph (roads/bucks, GraphHopper export) is copied onto a grid
//    of tiles over Great Britain's extent, keeping the tiles that touch GB land (ONS country
//    boundaries); each copy is translated in metres (east-west scaled by latitude), so its road
//    lengths stay real. Neighbouring tiles are stitched at their borders by link roads between
//    their outermost two-way junctions, band by band.
//  - The real GB motorways (OS Open Roads) and the National Highways SRN junction graph are laid
//    over them at their true positions, each junction joined to the nearest tile junction.
// Written as .osm.pbf through libosmium (ways tagged with highway and maxspeed so that the car
// profile gives back the source speeds), so that `placedist roads build` reads it like an
// extract. Usage:
//   build/tools/bench/gb_proxy_network OUT.osm.pbf [--tiles N]   (default up to 100 tiles)
#include <ogrsf_frmts.h>
#include <osmium/builder/attr.hpp>
#include <osmium/io/any_output.hpp>
#include <osmium/io/header.hpp>
#include <osmium/io/writer.hpp>
#include <osmium/memory/buffer.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "geo/data_dir.hpp"
#include "geo/roads/edge_layer.hpp"

using namespace placedist::geo;
using namespace placedist::geo::roads;

namespace {

constexpr double kMetresPerDegLat = 111195.0;
constexpr double kDegToRad = 3.14159265358979323846 / 180.0;

struct Bbox {
  double lon0 = 1e9, lat0 = 1e9, lon1 = -1e9, lat1 = -1e9;
  void add(double lon, double lat) {
    lon0 = std::min(lon0, lon), lon1 = std::max(lon1, lon), lat0 = std::min(lat0, lat), lat1 = std::max(lat1, lat);
  }
};

double lon_of(FixedPoint p) { return p.lon / kFixedPerDegree; }
double lat_of(FixedPoint p) { return p.lat / kFixedPerDegree; }

// Great Britain's land (England, Scotland, Wales) from the ONS country boundaries.
class Land {
 public:
  Land() {
    GDALAllRegister();
    auto path = data_file("boundaries/ons_ultra_generalised_500m/boundaries_countries20.geojson");
    m_ds.reset(static_cast<GDALDataset*>(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr)));
    if (!m_ds) throw std::runtime_error("cannot open " + path.string());
    for (auto& f : m_ds->GetLayer(0)) {
      bool gb = false;
      for (int i = 0; i < f->GetFieldCount(); ++i) {
        std::string v = f->GetFieldAsString(i);
        if (v == "England" || v == "Scotland" || v == "Wales") gb = true;
      }
      if (gb && f->GetGeometryRef()) m_parts.emplace_back(f->GetGeometryRef()->clone());
    }
    if (m_parts.size() != 3) throw std::runtime_error("expected England, Scotland and Wales in " + path.string());
  }
  bool contains(double lon, double lat) const {
    OGRPoint p(lon, lat);
    for (const auto& g : m_parts)
      if (g->Contains(&p)) return true;
    return false;
  }

 private:
  struct CloseDataset {
    void operator()(GDALDataset* d) const { GDALClose(d); }
  };
  std::unique_ptr<GDALDataset, CloseDataset> m_ds;
  std::vector<std::unique_ptr<OGRGeometry>> m_parts;
};

// One way to write: a polyline of junction/point coordinates and its car attributes.
struct ProxyGraph {
  std::vector<FixedPoint> nodes;  // junctions
  struct Way {
    std::uint32_t a, b;
    std::uint32_t first_point, last_point;  // into points (between a and b, exclusive), or equal
    double speed_kmh;
    std::uint8_t flags;
    const char* highway;
  };
  std::vector<Way> ways;
  std::vector<FixedPoint> points;  // intermediate polyline points

  std::uint32_t add_node(FixedPoint p) {
    nodes.push_back(p);
    return static_cast<std::uint32_t>(nodes.size() - 1);
  }
  void add_link(std::uint32_t a, std::uint32_t b, double speed_kmh, const char* highway) {
    if (a == b) return;
    auto n = static_cast<std::uint32_t>(points.size());
    ways.push_back({a, b, n, n, speed_kmh, 3, highway});
  }
};

const char* highway_for(double kmh) {
  if (kmh >= 85) return "motorway";
  if (kmh >= 70) return "trunk";
  if (kmh >= 60) return "primary";
  if (kmh >= 50) return "secondary";
  if (kmh >= 40) return "tertiary";
  if (kmh >= 30) return "unclassified";
  return "residential";
}

// Speed (km/h) the car profile gives an edge: from its length and time (both integers).
double speed_of(const RoadEdge& e) { return e.time_ms > 0 ? (e.dist_dm / 10.0) / (e.time_ms / 1000.0) * 3.6 : 50; }

// Appends `g` to `out` moved by (dx, dy) metres; returns the index of g's first node in out.
std::uint32_t append_copy(const RoadEdges& g, double dx_m, double dy_m, double ref_lat, ProxyGraph& out,
                          double new_lat) {
  const std::uint32_t base = static_cast<std::uint32_t>(out.nodes.size());
  // East-west metres per degree differ by latitude: keep lengths real by scaling longitudes
  // about the source's reference latitude into the tile's.
  const double k_src = std::cos(ref_lat * kDegToRad), k_dst = std::cos(new_lat * kDegToRad);
  auto move = [&](FixedPoint p) {
    double lon = lon_of(p), lat = lat_of(p);
    double east = lon * k_src * kMetresPerDegLat + dx_m, north = lat * kMetresPerDegLat + dy_m;
    return to_fixed(east / (k_dst * kMetresPerDegLat), north / kMetresPerDegLat);
  };
  for (FixedPoint p : g.nodes) out.add_node(move(p));
  for (std::size_t e = 0; e < g.edges.size(); ++e) {
    const RoadEdge& r = g.edges[e];
    if (!r.flags || (r.a == r.b && g.first_point[e + 1] - g.first_point[e] <= 2)) continue;
    auto first = static_cast<std::uint32_t>(out.points.size());
    for (std::uint32_t p = g.first_point[e] + 1; p + 1 < g.first_point[e + 1]; ++p)
      out.points.push_back(move(g.points[p]));
    double kmh = speed_of(r);
    out.ways.push_back(
        {base + r.a, base + r.b, first, static_cast<std::uint32_t>(out.points.size()), kmh, r.flags, highway_for(kmh)});
  }
  return base;
}

// Junctions on a coarse grid, for nearest-junction joins.
class NearestJunction {
 public:
  NearestJunction(const std::vector<FixedPoint>& nodes, std::uint32_t count, const std::vector<std::uint8_t>& usable)
      : m_nodes(nodes) {
    for (std::uint32_t v = 0; v < count; ++v)
      if (usable[v]) m_cells[key(nodes[v])].push_back(v);
  }
  // The nearest usable junction within about 20 km, or UINT32_MAX.
  std::uint32_t find(FixedPoint p) const {
    std::int64_t cx = cell(p.lon), cy = cell(p.lat);
    std::uint32_t best = UINT32_MAX;
    double best_d = 1e300;
    for (std::int64_t dx = -2; dx <= 2; ++dx)
      for (std::int64_t dy = -2; dy <= 2; ++dy) {
        auto it = m_cells.find(((cx + dx) << 32) ^ (cy + dy));
        if (it == m_cells.end()) continue;
        for (std::uint32_t v : it->second) {
          double d = haversine_metres(p, m_nodes[v]);
          if (d < best_d || (d == best_d && v < best)) best_d = d, best = v;
        }
      }
    return best;
  }

 private:
  static std::int64_t cell(std::int32_t fixed) { return static_cast<std::int64_t>(std::floor(fixed / 1e6)); }  // 0.1°
  static std::int64_t key(FixedPoint p) { return (cell(p.lon) << 32) ^ cell(p.lat); }
  const std::vector<FixedPoint>& m_nodes;
  std::unordered_map<std::int64_t, std::vector<std::uint32_t>> m_cells;
};

// SRN junctions and directed links from the National Highways graph (cluster positions).
void add_srn(ProxyGraph& out, std::vector<std::uint32_t>& joins) {
  std::ifstream in(data_file("roads/england_srn/SRN_region_graph.csv"));
  if (!in) throw std::runtime_error("cannot open the SRN graph");
  std::string line;
  std::getline(in, line);
  std::vector<std::string> head;
  {
    std::stringstream ss(line);
    for (std::string f; std::getline(ss, f, ',');) head.push_back(f);
  }
  auto col = [&](const std::string& name) {
    auto it = std::find(head.begin(), head.end(), name);
    if (it == head.end()) throw std::runtime_error("SRN graph has no column " + name);
    return static_cast<std::size_t>(it - head.begin());
  };
  const std::size_t c_from = col("StartCluster"), c_to = col("EndCluster"), c_lat0 = col("StartClusterLat"),
                    c_lon0 = col("StartClusterLon"), c_lat1 = col("EndClusterLat"), c_lon1 = col("EndClusterLon");
  std::unordered_map<std::string, std::uint32_t> cluster;
  auto node = [&](const std::string& id, double lon, double lat) {
    auto [it, fresh] = cluster.try_emplace(id, 0);
    if (fresh) it->second = out.add_node(to_fixed(lon, lat)), joins.push_back(it->second);
    return it->second;
  };
  while (std::getline(in, line)) {
    // Descriptions may hold quoted commas: split by a small CSV reader.
    std::vector<std::string> f;
    std::string cur;
    bool quoted = false;
    for (char c : line) {
      if (c == '"')
        quoted = !quoted;
      else if (c == ',' && !quoted)
        f.push_back(cur), cur.clear();
      else
        cur += c;
    }
    f.push_back(cur);
    if (f.size() < head.size()) continue;
    std::uint32_t a = node(f[c_from], std::stod(f[c_lon0]), std::stod(f[c_lat0]));
    std::uint32_t b = node(f[c_to], std::stod(f[c_lon1]), std::stod(f[c_lat1]));
    if (a == b) continue;  // the graph's few self-loops
    auto n = static_cast<std::uint32_t>(out.points.size());
    out.ways.push_back({a, b, n, n, 90, 1, "trunk"});  // one carriageway each way, as in the source
  }
}

void write_pbf(const ProxyGraph& g, const std::string& path) {
  using namespace osmium::builder::attr;
  osmium::io::Header header;
  header.set("generator", "placedist gb_proxy_network (SYNTHETIC national proxy, issue 16)");
  osmium::io::Writer writer(path, header, osmium::io::overwrite::allow);
  osmium::memory::Buffer buffer(1 << 22, osmium::memory::Buffer::auto_grow::yes);
  auto flush = [&](bool force) {
    if (force || buffer.committed() > (1 << 21)) {
      writer(std::move(buffer));
      buffer = osmium::memory::Buffer(1 << 22, osmium::memory::Buffer::auto_grow::yes);
    }
  };
  const std::int64_t point_base = static_cast<std::int64_t>(g.nodes.size()) + 1;
  auto loc = [](FixedPoint p) { return osmium::Location(p.lon, p.lat); };  // same 1e-7 units
  for (std::size_t v = 0; v < g.nodes.size(); ++v) {
    osmium::builder::add_node(buffer, _id(static_cast<std::int64_t>(v) + 1), _version(1), _location(loc(g.nodes[v])));
    flush(false);
  }
  for (std::size_t p = 0; p < g.points.size(); ++p) {
    osmium::builder::add_node(buffer, _id(point_base + static_cast<std::int64_t>(p)), _version(1),
                              _location(loc(g.points[p])));
    flush(false);
  }
  std::vector<osmium::object_id_type> ids;
  char maxspeed[32];
  for (std::size_t w = 0; w < g.ways.size(); ++w) {
    const ProxyGraph::Way& way = g.ways[w];
    ids.clear();
    ids.push_back(way.a + 1);
    for (std::uint32_t p = way.first_point; p < way.last_point; ++p) ids.push_back(point_base + p);
    ids.push_back(way.b + 1);
    // The profile drives at 0.8 of the limit: this limit gives back the source speed.
    std::snprintf(maxspeed, sizeof maxspeed, "%.3f", way.speed_kmh / 0.8);
    const char* oneway = way.flags == 1 ? "yes" : way.flags == 2 ? "-1" : "no";
    osmium::builder::add_way(buffer, _id(static_cast<std::int64_t>(w) + 1), _version(1), _nodes(ids),
                             _tag("highway", way.highway), _tag("maxspeed", maxspeed), _tag("oneway", oneway),
                             _tag("note", "SYNTHETIC proxy network"));
    flush(false);
  }
  flush(true);
  writer.close();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: gb_proxy_network OUT.osm.pbf [--tiles N]\n";
    return 2;
  }
  std::string out_path = argv[1];
  std::size_t max_tiles = 100;
  for (int i = 2; i + 1 < argc; ++i)
    if (std::string(argv[i]) == "--tiles") max_tiles = std::stoul(argv[i + 1]);
  try {
    RoadEdges bucks;
    read_edge_layer(data_file("roads/bucks/osm2016_graphhopper_car/bucks_osm2016_car_edges.csv"), {}, bucks);
    Bbox box;
    for (FixedPoint p : bucks.nodes) box.add(lon_of(p), lat_of(p));
    const double ref_lat = (box.lat0 + box.lat1) / 2;
    const double width_m = (box.lon1 - box.lon0) * std::cos(ref_lat * kDegToRad) * kMetresPerDegLat;
    const double height_m = (box.lat1 - box.lat0) * kMetresPerDegLat;
    // Two-way junctions of the tile (stitching candidates).
    std::vector<std::uint8_t> two_way(bucks.nodes.size(), 0);
    for (const RoadEdge& e : bucks.edges)
      if (e.flags == 3) two_way[e.a] = two_way[e.b] = 1;

    // Tiles: a grid over GB (49.9..58.7 N, 6.4 W..1.8 E) keeping cells with land at any of 9 points.
    Land land;
    struct Tile {
      int col, row;
      double lat0, lon0;  // south-west corner
    };
    std::vector<Tile> tiles;
    const double south = 49.9, north = 58.7, west = -6.4;
    for (int row = 0; south + row * height_m / kMetresPerDegLat < north; ++row) {
      double lat0 = south + row * height_m / kMetresPerDegLat, lat1 = lat0 + height_m / kMetresPerDegLat;
      double mid_lat = (lat0 + lat1) / 2;
      double step_lon = width_m / (std::cos(mid_lat * kDegToRad) * kMetresPerDegLat);
      for (int col = 0; west + col * step_lon < 1.8; ++col) {
        double lon0 = west + col * step_lon;
        bool any = false;
        for (int i = 0; i < 3 && !any; ++i)
          for (int j = 0; j < 3 && !any; ++j)
            any = land.contains(lon0 + step_lon * (i + 0.5) / 3, lat0 + (lat1 - lat0) * (j + 0.5) / 3);
        if (any) tiles.push_back({col, row, lat0, lon0});
      }
    }
    // Keep the max_tiles nearest the middle of England, deterministically.
    auto dist2 = [](const Tile& t) { return std::pow(t.lat0 - 52.5, 2) + std::pow((t.lon0 + 1.5) * 0.6, 2); };
    std::stable_sort(tiles.begin(), tiles.end(), [&](const Tile& a, const Tile& b) { return dist2(a) < dist2(b); });
    if (tiles.size() > max_tiles) tiles.resize(max_tiles);

    ProxyGraph g;
    std::unordered_map<std::int64_t, std::uint32_t> tile_base;  // (col,row) -> first node
    for (const Tile& t : tiles) {
      double mid_lat = t.lat0 + height_m / kMetresPerDegLat / 2;
      // Metres east/north from the source box's south-west corner to the tile's.
      double dx = t.lon0 * std::cos(mid_lat * kDegToRad) * kMetresPerDegLat -
                  box.lon0 * std::cos(ref_lat * kDegToRad) * kMetresPerDegLat;
      double dy = (t.lat0 - box.lat0) * kMetresPerDegLat;
      tile_base[(std::int64_t(t.col) << 32) | std::uint32_t(t.row)] = append_copy(bucks, dx, dy, ref_lat, g, mid_lat);
    }
    const std::uint32_t tile_nodes = static_cast<std::uint32_t>(g.nodes.size());
    std::vector<std::uint8_t> usable(tile_nodes, 0);
    for (std::uint32_t v = 0; v < tile_nodes; ++v) usable[v] = two_way[v % bucks.nodes.size()];

    // Stitch: between each tile and its east and north neighbours (when kept), in 12 bands link the
    // outermost two-way junction on each side.
    constexpr int kBands = 12;
    const std::uint32_t per_tile = static_cast<std::uint32_t>(bucks.nodes.size());
    std::vector<std::uint32_t> east(kBands, UINT32_MAX), west_(kBands, UINT32_MAX), northmost(kBands, UINT32_MAX),
        southmost(kBands, UINT32_MAX);
    for (std::uint32_t v = 0; v < per_tile; ++v) {
      if (!two_way[v]) continue;
      double lon = lon_of(bucks.nodes[v]), lat = lat_of(bucks.nodes[v]);
      int bl = std::min(kBands - 1, int((lat - box.lat0) / (box.lat1 - box.lat0) * kBands));
      int bo = std::min(kBands - 1, int((lon - box.lon0) / (box.lon1 - box.lon0) * kBands));
      auto better = [&](std::uint32_t& slot, bool cond) {
        if (slot == UINT32_MAX || cond) slot = v;
      };
      better(east[bl], east[bl] != UINT32_MAX && bucks.nodes[v].lon > bucks.nodes[east[bl]].lon);
      better(west_[bl], west_[bl] != UINT32_MAX && bucks.nodes[v].lon < bucks.nodes[west_[bl]].lon);
      better(northmost[bo], northmost[bo] != UINT32_MAX && bucks.nodes[v].lat > bucks.nodes[northmost[bo]].lat);
      better(southmost[bo], southmost[bo] != UINT32_MAX && bucks.nodes[v].lat < bucks.nodes[southmost[bo]].lat);
    }
    std::uint64_t stitches = 0;
    for (const Tile& t : tiles) {
      std::uint32_t here = tile_base[(std::int64_t(t.col) << 32) | std::uint32_t(t.row)];
      auto e_it = tile_base.find((std::int64_t(t.col + 1) << 32) | std::uint32_t(t.row));
      auto n_it = tile_base.find((std::int64_t(t.col) << 32) | std::uint32_t(t.row + 1));
      for (int b = 0; b < kBands; ++b) {
        if (e_it != tile_base.end() && east[b] != UINT32_MAX && west_[b] != UINT32_MAX)
          g.add_link(here + east[b], e_it->second + west_[b], 70, "primary"), ++stitches;
        if (n_it != tile_base.end() && northmost[b] != UINT32_MAX && southmost[b] != UINT32_MAX)
          g.add_link(here + northmost[b], n_it->second + southmost[b], 70, "primary"), ++stitches;
      }
    }
    // Real motorways and the SRN, joined at their junctions to the nearest tile junction.
    NearestJunction nearest(g.nodes, tile_nodes, usable);
    std::vector<std::uint32_t> joins;
    RoadEdges motorways;
    read_edge_layer(data_file("roads/uk/os_open_roads_gb_motorways.fgb"), {}, motorways);
    {
      std::vector<std::uint32_t> degree(motorways.nodes.size(), 0);
      for (const RoadEdge& e : motorways.edges) ++degree[e.a], ++degree[e.b];
      std::uint32_t base = static_cast<std::uint32_t>(g.nodes.size());
      for (FixedPoint p : motorways.nodes) g.add_node(p);
      for (std::size_t e = 0; e < motorways.edges.size(); ++e) {
        const RoadEdge& r = motorways.edges[e];
        if (!r.flags) continue;
        auto first = static_cast<std::uint32_t>(g.points.size());
        for (std::uint32_t p = motorways.first_point[e] + 1; p + 1 < motorways.first_point[e + 1]; ++p)
          g.points.push_back(motorways.points[p]);
        g.ways.push_back({base + r.a, base + r.b, first, static_cast<std::uint32_t>(g.points.size()), speed_of(r),
                          r.flags, "motorway"});
      }
      for (std::uint32_t v = 0; v < motorways.nodes.size(); ++v)
        if (degree[v] != 2) joins.push_back(base + v);  // ends and junctions, not mid-line joins
    }
    add_srn(g, joins);
    std::uint64_t joined = 0;
    for (std::uint32_t v : joins) {
      std::uint32_t to = nearest.find(g.nodes[v]);
      if (to != UINT32_MAX) g.add_link(v, to, 50, "primary_link"), ++joined;
    }
    std::cerr << "SYNTHETIC proxy: " << tiles.size() << " tiles of Buckinghamshire (" << per_tile
              << " junctions each), " << stitches << " stitches, " << motorways.edges.size() << " motorway links, "
              << joins.size() << " motorway/SRN junctions of which " << joined << " joined; " << g.nodes.size()
              << " junctions, " << g.ways.size() << " ways, " << g.points.size() << " shape points\n";
    write_pbf(g, out_path);
  } catch (const std::exception& e) {
    std::cerr << "gb_proxy_network: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
