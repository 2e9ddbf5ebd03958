#pragma once
// Distances between two locations.
//  - DfE straight-line miles: planar distance between British National Grid references,
//    sqrt(dE^2 + dN^2) / 1000 / 1.6093, rounded to 0.1 mile (as in the SSDA903 guidance).
//  - Geodesic distance on the WGS84 ellipsoid (Karney's algorithm through PROJ's geodesic API).
#include "geo/coords.hpp"

namespace placedist::geo {

inline constexpr double kMetresPerDfeMile = 1609.3;  // the DfE's km-to-miles factor 1.6093
inline constexpr double kMetresPerMile = 1609.344;   // international mile, for geodesic and road miles

double planar_metres(GridRef a, GridRef b);
// Unrounded DfE miles, and the published value rounded to 0.1 mile, half away from zero, the
// decision taken on whole micro-miles so that decimal halves that binary floating point lands
// a hair below (32266.465 m -> 20.049999999999997) still round up, as on a calculator.
// NaN when either grid reference is not finite.
double dfe_miles_exact(GridRef a, GridRef b);
double dfe_miles(GridRef a, GridRef b);

// Metres along the WGS84 geodesic (a = 6378137 m, f = 1/298.257223563); NaN for non-finite
// input or |lat| > 90.
double geodesic_metres(LonLat a, LonLat b);
inline double geodesic_miles(LonLat a, LonLat b) { return geodesic_metres(a, b) / kMetresPerMile; }

}  // namespace placedist::geo
