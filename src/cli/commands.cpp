#include "src/cli/commands.hpp"

#include <iostream>

#include "geo/data_dir.hpp"
#include "src/cli/run_status.hpp"

using namespace placedist::geo;

namespace placedist::cli {

namespace {

// The ONE place outcomes become exit codes (geo/outcome.hpp groups).
int exit_code(OutcomeGroup group) {
  switch (group) {
    case OutcomeGroup::success:
    case OutcomeGroup::warning: return kExitOk;
    case OutcomeGroup::unanswered: return kExitRowsFailed;
    case OutcomeGroup::request: return kExitUsage;
    case OutcomeGroup::data: return kExitData;
    case OutcomeGroup::internal: return kExitInternal;
  }
  return kExitInternal;
}

}  // namespace

void add_front_commands(CLI::App& app) { add_roads_command(app, nullptr); }

int run(int argc, char** argv, void (*add_commands)(CLI::App&)) {
  CLI::App app{"placedist: distances from home to placement for children's services"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "placedist 0.1.0");
  add_commands(app);
  try {
    app.parse(argc, argv);
    return exit_code();
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  } catch (const Failure& e) {
    std::cerr << "placedist: " << e.what() << '\n';
    return exit_code(group(e.outcome()));
  } catch (const std::runtime_error& e) {
    // A system or library failure nothing classified (I/O, GDAL, PROJ): treated as data.
    std::cerr << "placedist: " << e.what() << '\n';
    return kExitData;
  } catch (const std::exception& e) {
    std::cerr << "placedist: internal error (a bug; please report it): " << e.what() << '\n';
    return kExitInternal;
  }
}

}  // namespace placedist::cli
