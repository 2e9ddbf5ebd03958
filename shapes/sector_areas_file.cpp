#include "shapes/sector_areas_file.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string_view>

#include "geo/gazetteer.hpp"

namespace placedist::shapes {
namespace {

constexpr char kMagic[8] = {'P', 'D', 'S', 'E', 'C', 'T', 'A', '1'};
constexpr std::uint32_t kEnd = 0x454e4421;  // "!DNE": the last word of a whole file

std::uint64_t fnv1a(std::uint64_t h, std::string_view bytes) {
  for (unsigned char c : bytes) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

class Writer {
 public:
  explicit Writer(std::ofstream& out) : m_out(out) {}
  template <class T>
  void put(T v) { m_out.write(reinterpret_cast<const char*>(&v), sizeof v); }
  void put_string(const std::string& s) {
    put(static_cast<std::uint32_t>(s.size()));
    m_out.write(s.data(), static_cast<std::streamsize>(s.size()));
  }

 private:
  std::ofstream& m_out;
};

class Reader {
 public:
  explicit Reader(std::string_view bytes) : m_bytes(bytes) {}
  template <class T>
  bool get(T& v) {
    if (m_bytes.size() - m_at < sizeof v) return false;
    std::memcpy(&v, m_bytes.data() + m_at, sizeof v);
    m_at += sizeof v;
    return true;
  }
  bool get_string(std::string& s) {
    std::uint32_t n = 0;
    if (!get(n) || m_bytes.size() - m_at < n) return false;
    s.assign(m_bytes.data() + m_at, n);
    m_at += n;
    return true;
  }
  // A count of items of at least `item_bytes` each that the rest of the file could hold.
  bool get_count(std::uint32_t& n, std::size_t item_bytes) {
    return get(n) && static_cast<std::uint64_t>(n) * item_bytes <= m_bytes.size() - m_at;
  }
  bool at_end() const { return m_at == m_bytes.size(); }

 private:
  std::string_view m_bytes;
  std::size_t m_at = 0;
};

}  // namespace

std::vector<SectorPoint> live_sector_points(const geo::Gazetteer& gazetteer) {
  std::vector<SectorPoint> units;
  units.reserve(gazetteer.unit_count());
  gazetteer.for_each_unit([&](const geo::Postcode& pc, const geo::GeocodeResult& r) {
    if (r.status != geo::GeocodeStatus::ok) return;
    units.push_back({std::string(pc.normalised().substr(0, pc.length - 2)), r.grid});
  });
  return units;
}

std::vector<std::pair<std::string, std::string>> sector_councils(const geo::Gazetteer& gazetteer) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string current;
  std::map<std::string, std::size_t, std::less<>> councils;
  auto finish = [&] {
    std::size_t best = 0;
    std::string code;
    for (const auto& [c, n] : councils)
      if (n > best) best = n, code = c;
    if (best > 0) out.emplace_back(current, code);
    councils.clear();
  };
  gazetteer.for_each_unit([&](const geo::Postcode& pc, const geo::GeocodeResult& r) {
    const std::string_view sector = pc.normalised().substr(0, pc.length - 2);
    if (sector != current) {
      finish();
      current = sector;
    }
    if (r.status == geo::GeocodeStatus::ok && !r.utla.code.empty()) ++councils[std::string(r.utla.code)];
  });
  finish();
  return out;
}

std::string sector_areas_key(const std::vector<SectorPoint>& units, const Boundaries& land) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (const SectorPoint& u : units) {
    h = fnv1a(h, u.sector);
    h = fnv1a(h, std::string_view(reinterpret_cast<const char*>(&u.at), sizeof u.at));
  }
  h = fnv1a(h, "land");
  for (std::size_t i = 0; i < land.size(); ++i) {
    char area[64];
    std::snprintf(area, sizeof area, ":%.0f:%zu;", land.area_m2(i), land.vertex_count(i));
    h = fnv1a(h, land.council(i).code + area);
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

void write_sector_areas(const std::filesystem::path& file, const std::string& key, const std::vector<SectorArea>& areas) {
  const std::filesystem::path temporary = file.string() + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + temporary.string());
    Writer w(out);
    out.write(kMagic, sizeof kMagic);
    w.put_string(key);
    w.put(static_cast<std::uint32_t>(areas.size()));
    for (const SectorArea& a : areas) {
      w.put_string(a.sector);
      w.put(a.area_m2);
      w.put(static_cast<std::uint32_t>(a.polygons.size()));
      for (const Polygon& p : a.polygons) {
        w.put(static_cast<std::uint32_t>(p.rings.size()));
        for (const auto& ring : p.rings) {
          w.put(static_cast<std::uint32_t>(ring.size()));
          for (const geo::GridRef& g : ring) w.put(g.easting), w.put(g.northing);
        }
      }
    }
    w.put(kEnd);
    out.flush();
    if (!out) {
      out.close();
      std::filesystem::remove(temporary);
      throw std::runtime_error("cannot write " + temporary.string() + " (disk full?)");
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, file, ec);
  if (ec) {
    std::filesystem::remove(temporary);
    throw std::runtime_error("cannot rename " + temporary.string() + " to " + file.string() + ": " + ec.message());
  }
}

std::optional<std::vector<SectorArea>> read_sector_areas(const std::filesystem::path& file, const std::string& key) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) return std::nullopt;
  Reader r(std::string_view(bytes).substr(sizeof kMagic));
  std::string file_key;
  std::uint32_t count = 0;
  if (!r.get_string(file_key) || file_key != key || !r.get_count(count, 16)) return std::nullopt;
  std::vector<SectorArea> areas(count);
  for (SectorArea& a : areas) {
    std::uint32_t polygons = 0;
    if (!r.get_string(a.sector) || !r.get(a.area_m2) || !r.get_count(polygons, 4)) return std::nullopt;
    a.polygons.resize(polygons);
    for (Polygon& p : a.polygons) {
      std::uint32_t rings = 0;
      if (!r.get_count(rings, 4)) return std::nullopt;
      p.rings.resize(rings);
      for (auto& ring : p.rings) {
        std::uint32_t points = 0;
        if (!r.get_count(points, 16)) return std::nullopt;
        ring.resize(points);
        for (geo::GridRef& g : ring)
          if (!r.get(g.easting) || !r.get(g.northing)) return std::nullopt;
      }
    }
  }
  std::uint32_t end = 0;
  if (!r.get(end) || end != kEnd || !r.at_end()) return std::nullopt;
  return areas;
}

CachedSectorAreas cached_sector_areas(const geo::Gazetteer& gazetteer, const Boundaries& land,
                                      const std::filesystem::path& folder) {
  std::vector<SectorPoint> units = live_sector_points(gazetteer);
  const std::string key = sector_areas_key(units, land);
  CachedSectorAreas out;
  out.file = folder / ("sector_areas-" + key + ".pds");
  if (auto areas = read_sector_areas(out.file, key)) {
    out.areas = std::move(*areas);
    return out;
  }
  out.areas = build_sector_areas(units, land);
  out.built = true;
  std::filesystem::create_directories(folder);
  write_sector_areas(out.file, key, out.areas);
  return out;
}

}  // namespace placedist::shapes
