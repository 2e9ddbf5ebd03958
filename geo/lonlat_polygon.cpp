#include "geo/lonlat_polygon.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "geo/local_plane.hpp"

namespace placedist::geo {

double twice_signed_area_degrees(const LonLatRing& ring) {
  double twice = 0;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i)
    twice += ring[i].lon * ring[i + 1].lat - ring[i + 1].lon * ring[i].lat;
  return twice;
}

double area_m2(const LonLatMultiPolygon& polygons) {
  double south = std::numeric_limits<double>::infinity(), north = -south;
  for (const LonLatPolygon& polygon : polygons)
    for (const LonLatRing& ring : polygon)
      for (LonLat p : ring) south = std::min(south, p.lat), north = std::max(north, p.lat);
  if (!(south <= north)) return 0;
  double square_degrees = 0;
  for (const LonLatPolygon& polygon : polygons)
    for (std::size_t r = 0; r < polygon.size(); ++r)
      square_degrees += std::abs(twice_signed_area_degrees(polygon[r])) / 2 * (r == 0 ? 1 : -1);
  return LocalPlane({0, (south + north) / 2}).square_metres(square_degrees);
}

}  // namespace placedist::geo
