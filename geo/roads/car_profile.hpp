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
//  - car ferries: route=ferry ways whose motorcar (else motor_vehicle) is yes or designated; the
//    crossing takes their `duration` (HH:MM, HH:MM:SS, minutes, or ISO 8601 PT1H30M) for the
//    whole way, else runs at 5 km/h (as OSRM assumes); other ferries are not used.
//  - area=yes, impassable=yes ways are not used.
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
  bool ferry = false;
  double ferry_seconds = 0;  // the whole way's crossing time when tagged (duration), else 0
};

// A ferry's duration tag in seconds, or nullopt when it is not understood.
std::optional<double> parse_duration_seconds(std::string_view value);

// The car attributes of a way with these tags, or nullopt when cars may not use it.
std::optional<CarWay> car_way(std::span<const Tag> tags);

// A speed limit value in km/h ("30 mph", "50", "GB:nsl_single", "national" needs the class),
// or nullopt when it is not understood.
std::optional<double> parse_maxspeed_kmh(std::string_view value, std::string_view highway, bool dual);

inline constexpr std::string_view kCarProfileName = "car-gb-1 (placedist British car profile)";

}  // namespace placedist::geo::roads
