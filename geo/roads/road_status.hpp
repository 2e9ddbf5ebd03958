#pragma once
// Outcomes of a road query, with stable string codes (written to CSV columns and HTTP bodies).
#include <optional>
#include <string_view>

namespace placedist::geo::roads {

enum class RoadStatus {
  ok,
  no_road_within_radius,  // inside the network's area, but no drivable road within the snap radius
  no_route,               // both ends snapped, but no drivable route joins them
  outside_network,        // the location lies outside the area covered by the loaded network(s)
};

inline std::string_view road_status_code(RoadStatus s) {
  switch (s) {
    case RoadStatus::ok: return "ok";
    case RoadStatus::no_road_within_radius: return "no_road_within_radius";
    case RoadStatus::no_route: return "no_route";
    case RoadStatus::outside_network: return "outside_network";
  }
  return "unknown";
}

inline std::optional<RoadStatus> parse_road_status(std::string_view code) {
  for (RoadStatus s :
       {RoadStatus::ok, RoadStatus::no_road_within_radius, RoadStatus::no_route, RoadStatus::outside_network})
    if (road_status_code(s) == code) return s;
  return std::nullopt;
}

}  // namespace placedist::geo::roads
