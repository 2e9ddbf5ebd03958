#pragma once
// The British car profile for OpenStreetMap ways: which ways cars may use, in which directions,
// and at what speed (km/h). Follows the UK rules and OSM tagging practice:
//  - drivable highway classes: motorway, trunk, primary, secondary, tertiary (and their _link),
//    unclassified, residential, living_street, service, road; not track, path, construction...
//  - access: the most specific of motorcar, motor_vehicle, vehicle, access decides; no, private,
//    agricultural, forestry, emergency, psv, bus, delivery, military, permit block cars.
//  - oneway: yes/true/1, -1/reverse; no overrides; implied by junction=roundabout|circular and
//    highway=motorway; reversible/alternating ways are dropped.
//  - speed: 0.8 x the limit when maxspeed is known (mph or km/h, "national", GB:nsl_single 60 mph,
//    GB:nsl_dual 70 mph, GB:motorway 70 mph, GB:nsl_restricted 30 mph, GB:zoneNN; from maxspeed,
//    maxspeed:type or source:maxspeed), else a default by class.
//  - ferries (route=ferry) and area=yes, impassable=yes ways are not used.
#include <optional>
#include <span>
#include <string_view>
#include <utility>

namespace placedist::geo::roads {

using Tag = std::pair<std::string_view, std::string_view>;

struct CarWay {
  bool forward = false;   // drivable in the way's node order
  bool backward = false;  // drivable against it
  double speed_kmh = 0;
};

// The car attributes of a way with these tags, or nullopt when cars may not use it.
std::optional<CarWay> car_way(std::span<const Tag> tags);

// A speed limit value in km/h ("30 mph", "50", "GB:nsl_single", "national" needs the class),
// or nullopt when it is not understood.
std::optional<double> parse_maxspeed_kmh(std::string_view value, std::string_view highway, bool dual);

inline constexpr std::string_view kCarProfileName = "car-gb-1 (placedist British car profile)";

}  // namespace placedist::geo::roads
