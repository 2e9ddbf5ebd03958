#pragma once
// The placedist subcommands. Each lives in its own cmd_*.cpp and registers itself
// here; run() is the one place where errors become exit codes.
#include <CLI/CLI.hpp>

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
void add_roads_command(CLI::App& app);  // roads build|info, route, matrix
void add_serve_command(CLI::App& app);
void add_providers_command(CLI::App& app);
void add_coverage_command(CLI::App& app);

// Parses argv, runs the chosen subcommand and maps exceptions to exit codes.
int run(int argc, char** argv);

}  // namespace placedist::cli
