#pragma once
// The area reachable by road within a limit (e.g. the road 20-mile zone) as a polygon: grid
// cells (cell_m square) crossed by the reached road pieces (RoadQuery::reach), grown by one cell
// all round, merged by GEOS coverage union and simplified. Cells rather than a buffer of every
// road: a union of tens of thousands of buffered lines takes minutes, the cells milliseconds.
// Input and output in WGS84 degrees; the grid lies in a local plane in metres (equirectangular
// about the pieces' centre; under 0.5% scale error within 50 km).
#include <cstdint>
#include <string>
#include <unordered_set>

#include "geo/roads/road_query.hpp"

namespace placedist::roads {

struct ReachPolygonOptions {
  double cell_m = 250;  // grid cell side: the zone reaches one to two cells beyond the roads
};

// WKT (MULTI)POLYGON in lon/lat, or an empty string when nothing was reached.
std::string reach_polygon_wkt(const Reach& reach, const ReachPolygonOptions& options = {});

// The union of many reaches (e.g. 20 road miles from every home), one reach at a time: only the
// grid cells are kept, so memory does not grow with the number of reaches. The local plane is
// centred on `centre`, which should lie within some 50 km of every reach.
class ReachArea {
 public:
  explicit ReachArea(LonLat centre, const ReachPolygonOptions& options = {});
  void add(const Reach& reach);  // ignored unless its status is ok
  std::size_t cells() const { return m_cells.size(); }
  std::string wkt() const;       // as reach_polygon_wkt, empty when nothing was added

 private:
  void mark(double x, double y);
  double m_lon0, m_lat0, m_kx, m_ky, m_cell;
  std::unordered_set<std::uint64_t> m_cells;
};

}  // namespace placedist::roads
