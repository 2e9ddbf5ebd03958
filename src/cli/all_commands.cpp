// Every subcommand, for placedist-full (the front registers only add_front_commands').
#include "geo/roads/edge_layer.hpp"
#include "src/cli/commands.hpp"

namespace placedist::cli {

void add_all_commands(CLI::App& app) {
  add_gazetteer_command(app);
  add_geocode_command(app);
  add_distance_command(app);
  add_analyse_command(app);
  add_cohort_command(app);
  add_roads_command(app, geo::roads::read_edge_layer);
  add_serve_command(app);
  add_providers_command(app);
  add_coverage_command(app);
}

}  // namespace placedist::cli
