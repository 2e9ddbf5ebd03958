#pragma once
// The placedist front (commands.hpp): which command lines it runs itself, and the hand-over of
// every other one to placedist-full.

namespace placedist::cli {

// True when argv's subcommand is one add_front_commands registers (roads, route, matrix) or
// argv is `--version`. Anything else (other commands, --help, no arguments, an error) goes to
// placedist-full, so its output is the full program's own.
bool front_runs(int argc, char** argv);

// Replaces this process with placedist-full (beside this executable, through /proc/self/exe)
// given the same argv: same pid, environment, standard streams and signal dispositions, so
// exit status and signals are the full program's. Call it before writing anything. Exits 70
// with a message when placedist-full cannot be run.
[[noreturn]] void hand_over(char** argv);

}  // namespace placedist::cli
