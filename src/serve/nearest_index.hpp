#pragma once
// Nearest unit postcodes to a British National Grid point (EPSG:27700, metres): a uniform
// grid of 1 km cells over Great Britain (E 0..700 km, N 0..1250 km) holding the live units
// with coordinates, sorted by cell (counting sort, CSR offsets). Built once at startup from
// the gazetteer; immutable and safe to share between threads. About 16 bytes per unit.
#include <cstdint>
#include <string_view>
#include <vector>

#include "geo/coords.hpp"

namespace placedist::geo {
class Gazetteer;
}

namespace placedist::serve {

class NearestIndex {
 public:
  NearestIndex() = default;
  explicit NearestIndex(const geo::Gazetteer& gazetteer);

  struct Hit {
    std::string_view postcode;  // normalised ("HP20 1AA"), a view into the index
    double distance_m;          // planar, British National Grid
  };
  // Up to `limit` units within radius_m of centre, nearest first (ties by postcode).
  std::vector<Hit> nearest(geo::GridRef centre, double radius_m, std::size_t limit) const;
  std::size_t size() const { return m_entries.size(); }

 private:
  static constexpr double kCell = 1000;
  static constexpr int kColumns = 700, kRows = 1250;
  struct Entry {
    float easting, northing;  // float holds BNG to 0.125 m: ample for "nearest"
    char postcode[8];         // normalised, NUL-padded
  };
  std::vector<std::uint32_t> m_cell_start;  // kColumns * kRows + 1
  std::vector<Entry> m_entries;
};

}  // namespace placedist::serve
