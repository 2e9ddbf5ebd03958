#pragma once
// The two metrics of a road network and how a route's time and distance are packed into one
// integer weight, so that each metric is an exact total order (ties broken by the other
// quantity) and a route found by any exact algorithm carries a unique time and distance.
//  - fastest:  key = time_ms * 2^26 + dist_dm   (distance on the route must stay < 6,710 km)
//  - shortest: key = dist_dm * 2^28 + time_ms   (time on the route must stay < 74 hours)
// Both bounds are far beyond any route in Great Britain.
#include <cstdint>
#include <string_view>

namespace placedist::geo::roads {

enum class Metric : std::uint8_t { fastest = 0, shortest = 1 };
inline constexpr int kMetricCount = 2;

inline std::string_view metric_code(Metric m) { return m == Metric::fastest ? "fastest" : "shortest"; }

using Weight = std::uint64_t;
inline constexpr Weight kInfinity = ~Weight{0} >> 2;  // leaves room to add two weights

struct TimeDist {
  std::uint64_t time_ms = 0;
  std::uint64_t dist_dm = 0;
};

inline constexpr int kFastestLowBits = 26;
inline constexpr int kShortestLowBits = 28;

inline Weight pack(Metric m, std::uint64_t time_ms, std::uint64_t dist_dm) {
  return m == Metric::fastest ? (time_ms << kFastestLowBits) + dist_dm : (dist_dm << kShortestLowBits) + time_ms;
}

inline TimeDist unpack(Metric m, Weight w) {
  if (m == Metric::fastest) return {w >> kFastestLowBits, w & ((Weight{1} << kFastestLowBits) - 1)};
  return {w & ((Weight{1} << kShortestLowBits) - 1), w >> kShortestLowBits};
}

}  // namespace placedist::geo::roads
