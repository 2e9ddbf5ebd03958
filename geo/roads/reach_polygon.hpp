#pragma once
// The area reachable by road within a limit (e.g. the road 20-mile zone) as a polygon: grid
// cells (cell_m square) crossed by the reached road pieces (RoadQuery::reach), grown by one cell
// all round, outlined and simplified (GEOS). The cells are a dense raster over the pieces'
// bounding box; the growth is a raster dilation, the outline a trace of the cells' sides
// (cell_outline.hpp), so no geometry is unioned. Cells rather than a buffer of every road: a
// union of tens of thousands of buffered lines takes minutes.
// Input and output in WGS84 degrees (output to 6 places); the grid lies in a local plane in
// metres (geo/local_plane.hpp, about the pieces' centre; under 0.5% scale error within 50 km).
#include <cstdint>
#include <vector>

#include "geo/local_plane.hpp"
#include "geo/lonlat_polygon.hpp"
#include "geo/roads/road_query.hpp"

namespace placedist::geo::roads {

struct ReachPolygonOptions {
  double cell_m = 250;  // grid cell side: the zone reaches one to two cells beyond the roads
};

// The reach's polygons; none when nothing was reached.
LonLatMultiPolygon reach_polygon(const Reach& reach, const ReachPolygonOptions& options = {});

// The union of many reaches (e.g. 20 road miles from every home), one reach at a time: only the
// grid cells are kept, so memory does not grow with the number of reaches. The local plane is
// centred on `centre`, which should lie within some 50 km of every reach.
class ReachArea {
 public:
  explicit ReachArea(LonLat centre, const ReachPolygonOptions& options = {});
  void add(const Reach& reach);        // ignored unless its status is ok
  std::size_t cells() const;           // grid cells in the zone (crossed by a road, or next to one)
  LonLatMultiPolygon polygon() const;  // as reach_polygon, none when nothing was added

 private:
  void cover(std::int64_t x0, std::int64_t y0, std::int64_t x1, std::int64_t y1);
  void mark(double x, double y);
  std::vector<std::uint8_t> grown() const;
  LocalPlane m_plane;
  double m_cell;
  // The cells crossed by the roads (not yet grown), row-major from cell (m_x0, m_y0) over a
  // bounding box with one spare cell all round for the growth.
  std::int64_t m_x0 = 0, m_y0 = 0;
  int m_width = 0, m_height = 0;
  std::vector<std::uint8_t> m_crossed;
};

}  // namespace placedist::geo::roads
