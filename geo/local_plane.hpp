#pragma once
// A local plane in metres about a reference latitude: the equirectangular approximation
// (x = R cos(lat0) lon, y = R lat) on a sphere of the mean Earth radius. For shapes within some
// 50 km of the reference, e.g. a 20-mile road zone or a snapping radius, its scale error is under
// 0.5%; where British National Grid metres are meant (DfE distances), convert through geo/crs.
// Input and output WGS84 degrees (LonLat) and metres.
#include <cmath>
#include <numbers>

#include "geo/coords.hpp"

namespace placedist::geo {

// IUGG mean Earth radius R1; the haversine lengths of geo/roads use it too.
inline constexpr double kEarthMeanRadiusMetres = 6371008.8;
inline constexpr double kMetresPerDegreeLatitude = kEarthMeanRadiusMetres * std::numbers::pi / 180.0;

class LocalPlane {
 public:
  explicit LocalPlane(LonLat origin)
      : m_origin(origin),
        m_metres_per_degree_lon(kMetresPerDegreeLatitude * std::cos(origin.lat * std::numbers::pi / 180.0)) {}

  double metres_per_degree_lon() const { return m_metres_per_degree_lon; }
  double metres_per_degree_lat() const { return kMetresPerDegreeLatitude; }
  LonLat origin() const { return m_origin; }

  // Metres east (x) and north (y) of the origin, and back.
  double x(double lon) const { return (lon - m_origin.lon) * m_metres_per_degree_lon; }
  double y(double lat) const { return (lat - m_origin.lat) * kMetresPerDegreeLatitude; }
  LonLat to_lonlat(double x, double y) const {
    return {m_origin.lon + x / m_metres_per_degree_lon, m_origin.lat + y / kMetresPerDegreeLatitude};
  }
  // Area in square metres of an area given in square degrees near the origin's latitude.
  double square_metres(double square_degrees) const {
    return square_degrees * m_metres_per_degree_lon * kMetresPerDegreeLatitude;
  }

 private:
  LonLat m_origin;
  double m_metres_per_degree_lon;
};

}  // namespace placedist::geo
