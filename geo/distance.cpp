#include "geo/distance.hpp"

#include <geodesic.h>

#include <cmath>
#include <limits>

namespace placedist::geo {

double planar_metres(GridRef a, GridRef b) {
  const double de = a.easting - b.easting;
  const double dn = a.northing - b.northing;
  return std::sqrt(de * de + dn * dn);
}

double dfe_miles_exact(GridRef a, GridRef b) {
  return planar_metres(a, b) / 1000 / 1.6093;  // the DfE's own order of operations
}

// Rounds to 0.1 mile, half away from zero, deciding on whole micro-miles (1.6 mm) so that a
// value that is x.x5 in decimal but lands a hair below it in binary (20.05 -> 20.049999999999997)
// rounds up, as it does on the DfE's calculator or spreadsheet. Ties only arise from fractional
// grid references; Code-Point's whole metres never make an exact x.x5.
double dfe_miles(GridRef a, GridRef b) {
  const double miles = dfe_miles_exact(a, b);
  if (!std::isfinite(miles)) return std::numeric_limits<double>::quiet_NaN();
  const long long micro = std::llround(miles * 1e6);  // >= 0; GB distances are < 1e4 miles
  const long long tenths = (micro + 50'000) / 100'000;
  return static_cast<double>(tenths) / 10;
}

double geodesic_metres(LonLat a, LonLat b) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  if (!std::isfinite(a.lon) || !std::isfinite(a.lat) || !std::isfinite(b.lon) || !std::isfinite(b.lat) ||
      std::abs(a.lat) > 90 || std::abs(b.lat) > 90)
    return nan;
  static const geod_geodesic wgs84 = [] {
    geod_geodesic g;
    geod_init(&g, 6378137, 1 / 298.257223563);
    return g;
  }();
  double s12 = nan;
  geod_inverse(&wgs84, a.lat, a.lon, b.lat, b.lon, &s12, nullptr, nullptr);
  return s12;
}

}  // namespace placedist::geo
