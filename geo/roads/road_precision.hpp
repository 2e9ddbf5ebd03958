#pragma once
// The decimal places of road quantities, in every output (CSV, JSON, layers, the terminal),
// each rounded half away from zero through geo/io/number_text.hpp.
// - Road miles (fastest and shortest route), 2 places (0.01 mile, 16 m): each end is snapped to
//   the network, often tens of metres from the postcode point, so a third place (1.6 m) would be
//   false precision; and shareable answers must not pin a unit postcode through the distance.
// - Drive minutes, 1 place (6 s): the car profile's speeds are estimates.
// - Snap distances, metres to 1 place, as the gazetteer's grid references.
namespace placedist::geo::roads {

inline constexpr int kRoadMilesDecimals = 2;
inline constexpr int kRoadMinutesDecimals = 1;
inline constexpr int kSnapMetresDecimals = 1;

}  // namespace placedist::geo::roads
