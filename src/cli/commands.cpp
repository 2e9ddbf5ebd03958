#include "src/cli/commands.hpp"

#include <iostream>

#include "geo/data_dir.hpp"
#include "src/analysis/input_error.hpp"
#include "src/cli/run_status.hpp"

using namespace placedist::geo;
using namespace placedist::analysis;

namespace placedist::cli {

int run(int argc, char** argv) {
  CLI::App app{"placedist: distances from home to placement for children's services"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "placedist 0.1.0");
  add_gazetteer_command(app);
  add_geocode_command(app);
  add_distance_command(app);
  add_analyse_command(app);
  add_cohort_command(app);
  add_roads_command(app);
  add_serve_command(app);
  add_providers_command(app);
  add_coverage_command(app);
  try {
    app.parse(argc, argv);
    return exit_code();
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  } catch (const DataMissing& e) {
    std::cerr << "placedist: " << e.what() << '\n';
    return kExitData;
  } catch (const UsageError& e) {
    std::cerr << "placedist: " << e.what() << '\n';
    return kExitUsage;
  } catch (const analysis::InputError& e) {
    std::cerr << "placedist: " << e.what() << '\n';
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "placedist: " << e.what() << '\n';
    return kExitData;
  }
}

}  // namespace placedist::cli
