#pragma once
// The placedist subcommands. Each lives in its own cmd_*.cpp and registers itself
// here; run() is the one place where errors become exit codes.
//
// Two executables run them: placedist-full links every command; placedist, the front users
// call, links only the commands that need no GDAL (roads, route, matrix: add_front_commands)
// and execs placedist-full for everything else (front.hpp), so that a road build or query does
// not load GDAL's ~110 shared libraries (some 40 ms a process).
#include <CLI/CLI.hpp>

#include "geo/roads/edge_layer.hpp"  // the types only: no GDAL in the header

namespace placedist::cli {

// Exit codes shared by every subcommand.
enum ExitCode : int {
  kExitOk = 0,
  kExitRowsFailed = 1,  // the run finished but some rows could not be processed
  kExitUsage = 2,       // bad arguments or unreadable input
  kExitData = 3,        // a data file is missing or broken
  kExitInternal = 70,   // a bug
};

// One line per subcommand, each defined in its cmd_*.cpp.
void add_gazetteer_command(CLI::App& app);
void add_geocode_command(CLI::App& app);
void add_distance_command(CLI::App& app);
void add_analyse_command(CLI::App& app);
void add_cohort_command(CLI::App& app);
// Reads one --edges layer (GDAL/OGR; geo::roads::read_edge_layer in placedist-full). Null in the
// front, where `roads build --edges` throws NeedsFullProgram before reading anything.
using EdgeLayerReader = geo::roads::EdgeLayerReport (*)(const std::filesystem::path& path,
                                                        const geo::roads::EdgeLayerSchema& schema,
                                                        geo::roads::RoadEdges& edges);
void add_roads_command(CLI::App& app, EdgeLayerReader read_edge_layer);  // roads build|info, route, matrix
void add_serve_command(CLI::App& app);
void add_providers_command(CLI::App& app);
void add_coverage_command(CLI::App& app);

// Every subcommand (placedist-full); the front's subcommands (placedist).
void add_all_commands(CLI::App& app);
void add_front_commands(CLI::App& app);

// Thrown (before any output) by a command the running executable cannot complete because it
// does not link what the command needs; run() lets it through and the front hands the whole
// command line to placedist-full.
struct NeedsFullProgram {};

// Parses argv with the subcommands add_commands registers, runs the chosen one and maps
// exceptions to exit codes.
int run(int argc, char** argv, void (*add_commands)(CLI::App&));

}  // namespace placedist::cli
