// placedist, the front (commands.hpp): runs the road commands without loading GDAL and hands
// every other command line to placedist-full.
#include "src/cli/commands.hpp"
#include "src/cli/front.hpp"

int main(int argc, char** argv) {
  using namespace placedist::cli;
  if (!front_runs(argc, argv)) hand_over(argv);
  try {
    return run(argc, argv, add_front_commands);
  } catch (const NeedsFullProgram&) {
    hand_over(argv);  // e.g. roads build --edges (GDAL), before anything was read or written
  }
}
