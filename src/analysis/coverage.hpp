#pragma once
// Coverage of care providers within a distance of homes, for every front end (GET and POST
// /v1/coverage, the coverage layer, `placedist coverage`). Two modes:
//  straight: DfE miles, the British National Grid straight line rounded to 0.1 mile
//            (geo/distance.hpp); a provider is within reach when that is at most `miles`.
//  road:     road miles, metres of the SHORTEST drivable route between the snapped points /
//            1609.344 (src/analysis/road_coverage.hpp); candidates that cannot be routed are
//            counted as not routed, and a home that does not snap is left out of the share.
// Homes are located points: British National Grid metres (EPSG:27700) and WGS84 degrees.
// As OSRM's plugins do, the computation takes typed parameters and returns a status; parsing
// the request and formatting the answer belong to the front end.
#include <cstddef>
#include <limits>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "geo/coords.hpp"
#include "geo/gazetteer.hpp"
#include "geo/roads/road_query.hpp"
#include "src/analysis/providers.hpp"
#include "src/analysis/road_coverage.hpp"

namespace placedist::analysis {

enum class CoverageMode { straight, road };
const char* to_string(CoverageMode mode);  // "straight", "road"

// What can stop a coverage computation (nothing about single homes: those are values).
enum class CoverageStatus {
  ok,
  invalid_miles,       // miles not finite or not above 0
  invalid_min_places,  // min_places not finite or below 0
  no_road_network,     // road mode without a road query
};
const char* coverage_status_code(CoverageStatus status);  // "ok", "invalid_miles", ...

struct CoverageParameters {
  double miles = 20;      // DfE miles (straight) or road miles (road), above 0
  double min_places = 1;  // the places a home should have within reach, 0 or more
  CoverageMode mode = CoverageMode::straight;
  unsigned threads = 1;  // worker threads (road mode: at most one per query object given)
};

// A home: where it is, when it was located, and its postcode sector ("" when not known at unit
// level) for the tallies by sector.
struct CoverageHome {
  bool located = false;
  geo::GridRef grid;
  geo::LonLat position;
  std::string sector;
};

// A typed postcode's home as the gazetteer locates it; the sector only for a unit postcode.
CoverageHome coverage_home(const geo::Postcode& postcode, const geo::GeocodeResult& result);

// The coverage of one home.
struct HomeCoverage {
  bool located = false;
  bool counted = false;  // in the share: located and, by road, the home snapped onto a road
  // Road mode only: where the home snapped (snap metres NaN when it did not) and the
  // candidates that could not be routed.
  geo::roads::RoadStatus road_status = geo::roads::RoadStatus::outside_network;
  double home_snap_m = std::numeric_limits<double>::quiet_NaN();
  std::size_t providers_not_routed = 0;
  // Counted homes only (zero otherwise): providers and places within reach.
  ReachTotals within;
  bool at_least_min_places = false;
};

// Counted homes of one postcode sector.
struct SectorTally {
  std::size_t homes = 0;
  std::size_t homes_with_min_places = 0;
  long long places = 0;  // summed over the homes
};

struct CoverageSummary {
  std::size_t homes = 0;
  std::size_t located = 0;
  std::size_t counted = 0;  // straight: located; road: located and snapped ("routed")
  std::size_t with_min_places = 0;
  double share_with_min_places() const {
    return counted ? static_cast<double>(with_min_places) / static_cast<double>(counted) : 0.0;
  }
};

struct CoverageResult {
  std::vector<HomeCoverage> homes;             // one per home, in the order given
  std::map<std::string, SectorTally> sectors;  // by sector, counted homes with a sector
  CoverageSummary summary;
};

// The coverage of many homes. Road mode needs road_queries (one query object per worker
// thread, none shared with another thread while this runs); straight mode ignores them.
// On a status other than ok, `result` is left empty.
CoverageStatus compute_coverage(const ProviderSet& providers, std::span<const CoverageHome> homes,
                                const CoverageParameters& parameters,
                                std::span<geo::roads::RoadQuery* const> road_queries, CoverageResult& result);

// The providers near one home, listed: straight mode fills `straight` (within miles, nearest
// first), road mode fills `road` (within, and candidates not routed). `totals` counts those
// within reach either way.
struct HomeProviders {
  std::vector<Reach> straight;
  RoadCoverage road;
  ReachTotals totals;
};
CoverageStatus providers_near_home(const ProviderSet& providers, const CoverageHome& home,
                                   const CoverageParameters& parameters, geo::roads::RoadQuery* road_query,
                                   HomeProviders& result);

// Road coverage of the located homes within limit_m metres, in blocks of 256 spatially close
// homes (10 km strips; one matrix query a block), identical locations routed once, the blocks
// shared out among the query objects (one thread each). Unlocated homes get a default answer.
std::vector<RoadCoverage> road_coverage_of(std::span<geo::roads::RoadQuery* const> queries,
                                           const ProviderSet& providers, std::span<const CoverageHome> homes,
                                           double limit_m);

// Fixed text for a home whose road status is not ok ("" for ok): never quotes a postcode.
const char* home_road_message(geo::roads::RoadStatus status);

}  // namespace placedist::analysis
