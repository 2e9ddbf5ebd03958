// placedist-full: every subcommand. Users call placedist (front_main.cpp), which runs the road
// commands itself and execs this program, found beside it, for the rest.
#include "src/cli/commands.hpp"

int main(int argc, char** argv) { return placedist::cli::run(argc, argv, placedist::cli::add_all_commands); }
