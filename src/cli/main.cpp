#include "src/cli/commands.hpp"

int main(int argc, char** argv) { return placedist::cli::run(argc, argv); }
