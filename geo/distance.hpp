#pragma once
// Distances between two locations.
//  - DfE straight-line miles: planar distance between British National Grid references,
//    sqrt(dE^2 + dN^2) / 1000 / 1.6093, rounded to 0.1 mile (as in the SSDA903 guidance).
//  - Geodesic distance on the WGS84 ellipsoid (Karney's algorithm through PROJ's geodesic API).
#include "geo/coords.hpp"

namespace placedist {

inline constexpr double kMetresPerDfeMile = 1609.3;  // the DfE's km-to-miles factor 1.6093
inline constexpr double kMetresPerMile = 1609.344;   // international mile, for geodesic and road miles

double planar_metres(GridRef a, GridRef b);
// Unrounded DfE miles, and the published value rounded to 0.1 mile.
double dfe_miles_exact(GridRef a, GridRef b);
double dfe_miles(GridRef a, GridRef b);

double geodesic_metres(LonLat a, LonLat b);
inline double geodesic_miles(LonLat a, LonLat b) { return geodesic_metres(a, b) / kMetresPerMile; }

}  // namespace placedist
