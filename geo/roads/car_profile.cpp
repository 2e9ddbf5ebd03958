#include "geo/roads/car_profile.hpp"

#include <charconv>
#include <string>

namespace placedist::geo::roads {
namespace {

constexpr double kMph = 1.609344;
constexpr double kLimitFactor = 0.8;  // average speed on a road as a share of its limit

std::string_view get(std::span<const Tag> tags, std::string_view key) {
  for (const Tag& t : tags)
    if (t.first == key) return t.second;
  return {};
}

std::optional<double> class_default_kmh(std::string_view hw) {
  struct Row {
    std::string_view highway;
    double kmh;
  };
  static constexpr Row kRows[] = {
      {"motorway", 90},     {"motorway_link", 60}, {"trunk", 75},          {"trunk_link", 50}, {"primary", 65},
      {"primary_link", 45}, {"secondary", 55},     {"secondary_link", 40}, {"tertiary", 45},   {"tertiary_link", 35},
      {"unclassified", 35}, {"residential", 25},   {"living_street", 10},  {"service", 15},    {"road", 25},
  };
  for (const Row& r : kRows)
    if (r.highway == hw) return r.kmh;
  return std::nullopt;
}

bool blocked(std::string_view v) {
  for (std::string_view b : {"no", "private", "agricultural", "forestry", "emergency", "psv", "bus", "delivery",
                             "military", "permit", "use_sidepath", "discouraged"})
    if (v == b) return true;
  return false;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<double> parse_maxspeed_kmh(std::string_view v, std::string_view highway, bool dual) {
  v = trim(v);
  if (v.empty()) return std::nullopt;
  if (v == "national" || v == "GB:national" || v == "UK:national")
    return (highway == "motorway" || highway == "motorway_link" || dual) ? 70 * kMph : 60 * kMph;
  if (v == "GB:nsl_single" || v == "UK:nsl_single") return 60 * kMph;
  if (v == "GB:nsl_dual" || v == "UK:nsl_dual" || v == "GB:motorway" || v == "UK:motorway") return 70 * kMph;
  if (v == "GB:nsl_restricted" || v == "UK:nsl_restricted") return 30 * kMph;
  if (v == "none") return 130;
  if (v == "walk") return 5;
  bool mph = false;
  if (auto z = v.find(":zone"); z != std::string_view::npos) {
    mph = v.substr(0, 2) == "GB" || v.substr(0, 2) == "UK";
    v = v.substr(z + 5);
  }
  double number = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), number);
  if (ec != std::errc() || !(number > 0)) return std::nullopt;
  std::string_view unit = trim(std::string_view(end, v.data() + v.size() - end));
  if (unit == "mph")
    mph = true;
  else if (!unit.empty() && unit != "km/h" && unit != "kmh" && unit != "kph")
    return std::nullopt;
  return mph ? number * kMph : number;
}

std::optional<double> parse_duration_seconds(std::string_view v) {
  v = trim(v);
  if (v.empty()) return std::nullopt;
  auto number = [](std::string_view s, double& out) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size() && out >= 0;
  };
  if (v.front() == 'P') {  // ISO 8601: PT1H30M, PT45M, P0DT2H
    double total = 0, value = 0;
    std::size_t start = 1;
    bool time = false, any = false;
    for (std::size_t i = 1; i < v.size(); ++i) {
      char c = v[i];
      if (c == 'T') {
        time = true, start = i + 1;
        continue;
      }
      if ((c >= '0' && c <= '9') || c == '.') continue;
      if (!number(v.substr(start, i - start), value)) return std::nullopt;
      if (c == 'D' && !time)
        total += value * 86400;
      else if (c == 'H' && time)
        total += value * 3600;
      else if (c == 'M' && time)
        total += value * 60;
      else if (c == 'S' && time)
        total += value;
      else
        return std::nullopt;
      any = true, start = i + 1;
    }
    if (!any || start != v.size()) return std::nullopt;
    return total;
  }
  double parts[3] = {0, 0, 0};
  int count = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= v.size(); ++i) {
    if (i < v.size() && v[i] != ':') continue;
    if (count == 3 || !number(v.substr(start, i - start), parts[count])) return std::nullopt;
    ++count, start = i + 1;
  }
  if (count == 1) return parts[0] * 60;  // minutes
  if (count == 2) return parts[0] * 3600 + parts[1] * 60;
  return parts[0] * 3600 + parts[1] * 60 + parts[2];
}

namespace {
constexpr double kFerryDefaultKmh = 5;

std::optional<CarWay> car_ferry(std::span<const Tag> tags) {
  std::string_view car = get(tags, "motorcar");
  if (car.empty()) car = get(tags, "motor_vehicle");
  if (car != "yes" && car != "designated") return std::nullopt;
  CarWay w{true, true, kFerryDefaultKmh, true, 0};
  if (auto d = parse_duration_seconds(get(tags, "duration")); d && *d > 0) w.ferry_seconds = *d;
  std::string_view oneway = get(tags, "oneway");
  if (oneway == "yes" || oneway == "true" || oneway == "1") w.backward = false;
  if (oneway == "-1" || oneway == "reverse") w.forward = false;
  return w;
}
}  // namespace

std::optional<CarWay> car_way(std::span<const Tag> tags) {
  if (get(tags, "route") == "ferry") return car_ferry(tags);
  std::string_view hw = get(tags, "highway");
  auto base = class_default_kmh(hw);
  if (!base) return std::nullopt;
  if (get(tags, "area") == "yes" || get(tags, "impassable") == "yes" || get(tags, "service") == "emergency_access")
    return std::nullopt;
  for (std::string_view key : {"motorcar", "motor_vehicle", "vehicle", "access"}) {
    std::string_view v = get(tags, key);
    if (v.empty()) continue;
    if (blocked(v)) return std::nullopt;
    break;
  }
  CarWay w{true, true, *base};
  std::string_view oneway = get(tags, "oneway"), junction = get(tags, "junction");
  if (oneway == "yes" || oneway == "true" || oneway == "1") {
    w.backward = false;
  } else if (oneway == "-1" || oneway == "reverse") {
    w.forward = false;
  } else if (oneway == "reversible" || oneway == "alternating") {
    return std::nullopt;
  } else if (oneway != "no" && oneway != "false" && oneway != "0" &&
             (junction == "roundabout" || junction == "circular" || hw == "motorway")) {
    w.backward = false;
  }
  bool dual = get(tags, "dual_carriageway") == "yes";
  std::optional<double> limit = parse_maxspeed_kmh(get(tags, "maxspeed"), hw, dual);
  for (std::string_view key : {"maxspeed:type", "source:maxspeed"}) {
    if (limit && get(tags, "maxspeed") != "national") break;
    if (auto l = parse_maxspeed_kmh(get(tags, key), hw, dual); l) limit = l;
  }
  if (limit) w.speed_kmh = *limit * kLimitFactor;
  return w;
}

}  // namespace placedist::geo::roads
