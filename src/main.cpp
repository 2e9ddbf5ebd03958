#include "src/commands.hpp"

int main(int argc, char** argv) { return placedist::cli::run(argc, argv); }
