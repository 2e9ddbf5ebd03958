#include "src/serve/nearest_index.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "geo/gazetteer.hpp"

using namespace placedist::geo;

namespace placedist::serve {

NearestIndex::NearestIndex(const Gazetteer& gazetteer) {
  std::vector<Entry> entries;
  std::vector<std::uint32_t> cells;
  entries.reserve(gazetteer.unit_count());
  cells.reserve(gazetteer.unit_count());
  gazetteer.for_each_unit([&](const Postcode& pc, const GeocodeResult& r) {
    if (r.status != GeocodeStatus::ok) return;  // live units with a location only
    int column = static_cast<int>(std::floor(r.grid.easting / kCell));
    int row = static_cast<int>(std::floor(r.grid.northing / kCell));
    if (column < 0 || column >= kColumns || row < 0 || row >= kRows) return;
    Entry e{static_cast<float>(r.grid.easting), static_cast<float>(r.grid.northing), {}};
    std::memcpy(e.postcode, pc.text, std::min<std::size_t>(pc.length, sizeof e.postcode));
    entries.push_back(e);
    cells.push_back(static_cast<std::uint32_t>(row * kColumns + column));
  });
  m_cell_start.assign(static_cast<std::size_t>(kColumns) * kRows + 1, 0);
  for (std::uint32_t c : cells) ++m_cell_start[c + 1];
  for (std::size_t i = 1; i < m_cell_start.size(); ++i) m_cell_start[i] += m_cell_start[i - 1];
  m_entries.resize(entries.size());
  std::vector<std::uint32_t> next(m_cell_start.begin(), m_cell_start.end() - 1);
  for (std::size_t i = 0; i < entries.size(); ++i) m_entries[next[cells[i]]++] = entries[i];
}

std::vector<NearestIndex::Hit> NearestIndex::nearest(GridRef centre, double radius_m, std::size_t limit) const {
  std::vector<Hit> hits;
  if (m_entries.empty() || limit == 0 || !(radius_m >= 0)) return hits;
  int c0 = std::max(0, static_cast<int>(std::floor((centre.easting - radius_m) / kCell)));
  int c1 = std::min(kColumns - 1, static_cast<int>(std::floor((centre.easting + radius_m) / kCell)));
  int r0 = std::max(0, static_cast<int>(std::floor((centre.northing - radius_m) / kCell)));
  int r1 = std::min(kRows - 1, static_cast<int>(std::floor((centre.northing + radius_m) / kCell)));
  double r2 = radius_m * radius_m;
  for (int row = r0; row <= r1; ++row) {
    for (int column = c0; column <= c1; ++column) {
      std::size_t cell = static_cast<std::size_t>(row) * kColumns + column;
      for (std::uint32_t i = m_cell_start[cell]; i < m_cell_start[cell + 1]; ++i) {
        const Entry& e = m_entries[i];
        double de = e.easting - centre.easting, dn = e.northing - centre.northing;
        double d2 = de * de + dn * dn;
        if (d2 <= r2)
          hits.push_back({std::string_view(e.postcode, strnlen(e.postcode, sizeof e.postcode)), std::sqrt(d2)});
      }
    }
  }
  auto closer = [](const Hit& a, const Hit& b) {
    return a.distance_m != b.distance_m ? a.distance_m < b.distance_m : a.postcode < b.postcode;
  };
  if (hits.size() > limit) {
    std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(limit), hits.end(), closer);
    hits.resize(limit);
  } else {
    std::sort(hits.begin(), hits.end(), closer);
  }
  return hits;
}

}  // namespace placedist::serve
