#include "src/cli/front.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string_view>

#include "src/cli/commands.hpp"

namespace placedist::cli {

bool front_runs(int argc, char** argv) {
  if (argc < 2) return false;
  const std::string_view first = argv[1];
  if (first == "--version") return true;
  CLI::App app;
  add_front_commands(app);
  for (const CLI::App* command : app.get_subcommands({}))
    if (command->check_name(std::string(first))) return true;
  return false;
}

void hand_over(char** argv) {
  std::error_code error;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  const std::filesystem::path full = self.parent_path() / "placedist-full";
  if (!error) ::execv(full.c_str(), argv);
  std::fprintf(stderr, "placedist: cannot run %s, which runs every command but roads, route and matrix: %s\n",
               full.c_str(), error ? error.message().c_str() : std::strerror(errno));
  std::exit(kExitInternal);
}

}  // namespace placedist::cli
