#pragma once
// Placement cohorts loaded at start-up (`placedist serve --cohort LA=FILE`): each file is read
// as `placedist analyse` reads it (SSDA903 episodes open at the census date, or plain
// id,home_postcode,placement_postcode), analysed for its council LA (code or name), and kept
// with its layers (the analyse layers, as GeoJSON text) and report. They answer `la=` coverage
// questions and give the map its analysis layers. Child-level data: served only to the
// server's own clients (loopback, or the bearer token) and never logged.
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "maps/placement.hpp"
#include "src/analysis/default_boundaries.hpp"

namespace placedist::shapes {
class Boundaries;
}
namespace placedist::geo {
class Gazetteer;
}
namespace placedist::geo::roads {
class RoadNetwork;
}

namespace placedist::serve {

struct Cohort {
  std::string la_code, la_name;
  std::string source;       // the file's name (not its folder)
  std::string census_date;  // YYYY-MM-DD; empty when every row was taken
  std::vector<maps::PlacementRow> rows;
  std::map<std::string, std::string> layers;  // "placements", "homes", ... -> FeatureCollection
  std::string report_json;
  maps::Disclosure disclosure = maps::Disclosure::shareable;  // of its layers                    // as report.json
};

// "LA=FILE" -> the council and the file. Throws Failure (invalid_value) without '='.
std::pair<std::string, std::filesystem::path> split_cohort_spec(const std::string& spec);

// What a cohort is analysed with: the service's gazetteer, its council polygons (null: those
// of the gazetteer's era, from `default_boundaries`), road network (null: no road columns or road
// zone) and census date (none: 31 March of the latest year in the file, as analyse does).
struct CohortSources {
  const geo::Gazetteer* gazetteer = nullptr;
  const shapes::Boundaries* boundaries = nullptr;
  analysis::DefaultBoundaries* default_boundaries = nullptr;
  std::shared_ptr<const geo::roads::RoadNetwork> roads;
  std::string roads_source;
  std::optional<std::chrono::year_month_day> census_date;
  maps::Disclosure disclosure = maps::Disclosure::shareable;  // of the layers served
};

// Reads and analyses one cohort as `placedist analyse` does. Throws std::runtime_error
// (unreadable file, unknown council, no rows) with a message for the user.
Cohort load_cohort(const std::string& spec, const CohortSources& sources);

}  // namespace placedist::serve
