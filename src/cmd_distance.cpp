// placedist distance PC1 PC2 [--gazetteer FILE] [--json]
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "geo/distance.hpp"
#include "geo/gazetteer.hpp"
#include "src/commands.hpp"
#include "src/run_status.hpp"

namespace placedist::cli {
namespace {

struct DistanceArgs {
  std::string from, to, gazetteer;
  bool json = false;
};

nlohmann::json describe(const Postcode& postcode, const GeocodeResult& r) {
  nlohmann::json out = {{"postcode", postcode.ok() ? std::string(postcode.normalised()) : std::string()},
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
              std::string(postcode.normalised()).c_str(), to_string(r.match),
              r.status == GeocodeStatus::ok ? "" : ", ", r.status == GeocodeStatus::ok ? "" : to_string(r.status),
              r.grid.easting, r.grid.northing, r.position.lon, r.position.lat, std::string(r.utla.name).c_str(),
              static_cast<int>(r.utla.code.size()), r.utla.code.data(), static_cast<int>(r.ltla.name.size()),
              r.ltla.name.data(), static_cast<int>(r.ltla.code.size()), r.ltla.code.data());
}

void run_distance(const DistanceArgs& args) {
  Gazetteer gazetteer = Gazetteer::open(args.gazetteer.empty() ? Gazetteer::default_path() : std::filesystem::path(args.gazetteer));
  Postcode from = parse_postcode(args.from), to = parse_postcode(args.to);
  GeocodeResult a = gazetteer.lookup(from), b = gazetteer.lookup(to);
  bool ok = a.located() && b.located();
  if (args.json) {
    nlohmann::json out = {{"from", describe(from, a)}, {"to", describe(to, b)}};
    out["status"] = ok ? "ok" : "not_located";
    if (ok) {
      out["dfe_miles"] = dfe_miles(a.grid, b.grid);
      double metres = geodesic_metres(a.position, b.position);
      out["geodesic_metres"] = std::round(metres * 1000) / 1000;
      out["geodesic_miles"] = std::round(metres / kMetresPerMile * 1000) / 1000;
      out["same_upper_tier_council"] = a.utla.code == b.utla.code;
    }
    std::cout << out.dump(2) << '\n';
  } else {
    print_place("from", from, a);
    print_place("to", to, b);
    if (ok) {
      double metres = geodesic_metres(a.position, b.position);
      std::printf("DfE straight line  %.1f miles\ngeodesic (WGS84)   %.3f miles (%.1f m)\n", dfe_miles(a.grid, b.grid),
                  metres / kMetresPerMile, metres);
    }
  }
  set_exit_code(ok ? kExitOk : kExitRowsFailed);
}

}  // namespace

void add_distance_command(CLI::App& app) {
  auto args = std::make_shared<DistanceArgs>();
  CLI::App* command = app.add_subcommand(
      "distance", "Distance between two postcodes: the DfE straight-line miles and the geodesic distance");
  command->add_option("from", args->from, "first postcode (unit, sector or district)")->required();
  command->add_option("to", args->to, "second postcode")->required();
  command->add_option("--gazetteer", args->gazetteer, "gazetteer file (default: $PLACEDIST_GAZETTEER or the cache)");
  command->add_flag("--json", args->json, "print JSON for machine use");
  command->callback([args] { run_distance(*args); });
}

}  // namespace placedist::cli
