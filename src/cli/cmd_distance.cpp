// placedist distance PC1 PC2 [--gazetteer FILE] [--roads FILE [--snap-radius M]] [--json]
// Road miles are international miles (1609.344 m) between the two unit postcode locations, the
// same points the DfE straight line joins; minutes are the fastest route's drive time.
#include <cmath>
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "geo/distance.hpp"
#include "geo/gazetteer.hpp"
#include "geo/io/number_text.hpp"
#include "geo/roads/road_precision.hpp"
#include "geo/roads/road_query.hpp"
#include "src/cli/commands.hpp"
#include "src/cli/run_status.hpp"

using namespace placedist::geo;

namespace placedist::cli {
namespace {

struct DistanceArgs {
  std::string from, to, gazetteer, roads;
  double snap_radius_m = 1000;
  bool json = false;
};

// Numbers only when the route is ok (snap distances whenever that end snapped): never invented.
nlohmann::json road_json(const roads::RoadResult& r) {
  const bool ok = r.status == roads::RoadStatus::ok;
  auto value = [](bool known, double v, int decimals) {
    return known && std::isfinite(v) ? nlohmann::json(round_to(v, decimals)) : nlohmann::json();
  };
  return {{"status", std::string(to_string(r.status))},
          {"miles", value(ok, r.fastest_metres / kMetresPerMile, roads::kRoadMilesDecimals)},
          {"minutes", value(ok, r.fastest_seconds / 60, roads::kRoadMinutesDecimals)},
          {"shortest_miles", value(ok, r.shortest_metres / kMetresPerMile, roads::kRoadMilesDecimals)},
          {"from_snap_m", value(true, r.from_snap_m, roads::kSnapMetresDecimals)},
          {"to_snap_m", value(true, r.to_snap_m, roads::kSnapMetresDecimals)}};
}

void print_road(const roads::RoadResult& r) {
  auto snap = [](double m) { return std::isfinite(m) ? std::to_string(std::lround(m)) + " m" : std::string("-"); };
  if (r.status != roads::RoadStatus::ok) {
    std::printf("road               %s (snapped: from %s, to %s)\n", std::string(to_string(r.status)).c_str(),
                snap(r.from_snap_m).c_str(), snap(r.to_snap_m).c_str());
    return;
  }
  std::string fastest_miles, minutes, shortest_miles;
  append_fixed(fastest_miles, r.fastest_metres / kMetresPerMile, roads::kRoadMilesDecimals);
  append_fixed(minutes, r.fastest_seconds / 60, roads::kRoadMinutesDecimals);
  append_fixed(shortest_miles, r.shortest_metres / kMetresPerMile, roads::kRoadMilesDecimals);
  std::printf(
      "road (fastest)     %s miles, %s minutes\nroad (shortest)    %s miles\nsnapped to roads   from %s, to %s\n",
      fastest_miles.c_str(), minutes.c_str(), shortest_miles.c_str(), snap(r.from_snap_m).c_str(),
      snap(r.to_snap_m).c_str());
}

nlohmann::json describe(const Postcode& postcode, const GeocodeResult& r) {
  nlohmann::json out = {{"postcode", postcode.well_formed() ? std::string(postcode.normalised()) : std::string()},
                        {"status", to_string(r.status)},
                        {"match", to_string(r.match)}};
  if (r.located()) {
    out["easting"] = r.grid.easting;
    out["northing"] = r.grid.northing;
    out["lon"] = r.position.lon;
    out["lat"] = r.position.lat;
    out["ltla"] = {{"code", r.ltla.code}, {"name", r.ltla.name}};
    out["utla"] = {{"code", r.utla.code}, {"name", r.utla.name}};
  }
  if (*r.message) out["message"] = r.message;
  return out;
}

void print_place(const char* label, const Postcode& postcode, const GeocodeResult& r) {
  if (!r.located()) {
    std::printf("%-5s %s: %s\n", label, to_string(r.status), r.message);
    return;
  }
  std::printf("%-5s %-8s (%s%s%s)  E %.0f N %.0f  lon %.6f lat %.6f  %s (%.*s), %.*s (%.*s)\n", label,
              std::string(postcode.normalised()).c_str(), to_string(r.match), r.status == GeocodeStatus::ok ? "" : ", ",
              r.status == GeocodeStatus::ok ? "" : to_string(r.status), r.grid.easting, r.grid.northing, r.position.lon,
              r.position.lat, std::string(r.utla.name).c_str(), static_cast<int>(r.utla.code.size()),
              r.utla.code.data(), static_cast<int>(r.ltla.name.size()), r.ltla.name.data(),
              static_cast<int>(r.ltla.code.size()), r.ltla.code.data());
}

void run_distance(const DistanceArgs& args) {
  Gazetteer gazetteer =
      Gazetteer::open(args.gazetteer.empty() ? Gazetteer::default_path() : std::filesystem::path(args.gazetteer));
  Postcode from = gazetteer.parse(args.from), to = gazetteer.parse(args.to);
  GeocodeResult a = gazetteer.lookup(from), b = gazetteer.lookup(to);
  bool ok = a.located() && b.located();
  std::optional<roads::RoadResult> road;
  if (!args.roads.empty()) {
    if (!std::filesystem::exists(args.roads)) throw UsageError("no such road network file: " + args.roads);
    auto network = roads::RoadNetwork::load(args.roads);
    if (ok) road = roads::RoadQuery(network, {.snap_radius_m = args.snap_radius_m}).route(a.position, b.position);
  }
  if (args.json) {
    nlohmann::json out = {{"from", describe(from, a)}, {"to", describe(to, b)}};
    out["status"] = ok ? "ok" : "not_located";
    if (ok) {
      out["dfe_miles"] = dfe_miles(a.grid, b.grid);
      double metres = geodesic_metres(a.position, b.position);
      out["geodesic_metres"] = round_to(metres, 3);
      out["geodesic_miles"] = round_to(metres / kMetresPerMile, 3);
      out["same_upper_tier_council"] = a.utla.code == b.utla.code;
      if (road) out["road"] = road_json(*road);
    }
    std::cout << out.dump(2) << '\n';
  } else {
    print_place("from", from, a);
    print_place("to", to, b);
    if (ok) {
      double metres = geodesic_metres(a.position, b.position);
      std::printf("DfE straight line  %.1f miles\ngeodesic (WGS84)   %.3f miles (%.1f m)\n", dfe_miles(a.grid, b.grid),
                  metres / kMetresPerMile, metres);
      if (road) print_road(*road);
    }
  }
  // A road status other than ok is reported, and the run counts as partly failed.
  set_exit_code(ok && (!road || road->status == roads::RoadStatus::ok) ? kExitOk : kExitRowsFailed);
}

}  // namespace

void add_distance_command(CLI::App& app) {
  auto args = std::make_shared<DistanceArgs>();
  CLI::App* command = app.add_subcommand(
      "distance",
      "Distance between two postcodes: the DfE straight-line miles, the geodesic distance and, with --roads, "
      "road miles and minutes");
  command->add_option("from", args->from, "first postcode (unit, sector or district)")->required();
  command->add_option("to", args->to, "second postcode")->required();
  command->add_option("--gazetteer", args->gazetteer, "gazetteer file (default: $PLACEDIST_GAZETTEER or the cache)");
  command->add_option("--roads", args->roads,
                      "road network file (placedist roads build): adds road miles and minutes (fastest) and the "
                      "shortest road miles");
  command->add_option("--snap-radius", args->snap_radius_m, "metres from a road a postcode may lie (with --roads)")
      ->capture_default_str();
  command->add_flag("--json", args->json, "print JSON for machine use");
  command->callback([args] { run_distance(*args); });
}

}  // namespace placedist::cli
