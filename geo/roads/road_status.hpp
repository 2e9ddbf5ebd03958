#pragma once
// A road journey's outcome (geo/outcome.hpp): ok, no_road_within_radius (inside the network's
// area, but no drivable road within the snap radius), no_route (both ends snapped, no drivable
// route joins them), outside_network (outside the area the loaded network covers). Their codes
// are written to CSV columns and HTTP bodies.
#include "geo/outcome.hpp"

namespace placedist::geo::roads {

using RoadStatus = Outcome;

}  // namespace placedist::geo::roads
