#pragma once
// Polygons in WGS84 degrees as plain values, for geometry that travels between rooms (a road
// zone from geo/roads to the layers and the service) without text in between. A ring is closed
// (its last point repeats its first); a polygon is its exterior ring then its holes. Orientation
// is not promised: the GeoJSON writer (geo/io/geojson_geometry.hpp) orients rings as RFC 7946 asks.
#include <vector>

#include "geo/coords.hpp"

namespace placedist::geo {

using LonLatRing = std::vector<LonLat>;
using LonLatPolygon = std::vector<LonLatRing>;  // exterior first, then holes
using LonLatMultiPolygon = std::vector<LonLatPolygon>;

// Twice the signed area of a ring in square degrees (shoelace): positive when counter-clockwise.
double twice_signed_area_degrees(const LonLatRing& ring);

// Area in square metres on a local plane about the middle of the polygons' extent
// (geo/local_plane.hpp: under 0.5% error for a zone some 50 km across); holes count negative.
double area_m2(const LonLatMultiPolygon& polygons);

}  // namespace placedist::geo
