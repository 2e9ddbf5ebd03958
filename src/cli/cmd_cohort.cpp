// placedist cohort [-o FILE] [--codepoint DIR] [--la CODE] [--children N] [--year YYYY] [--seed N] [--plain]
// Synthetic looked-after children from real postcodes (src/cohort.hpp), for demos and benchmarks.
#include <cstdio>

#include "geo/data_dir.hpp"
#include "src/analysis/synthetic_cohort.hpp"
#include "src/cli/commands.hpp"
#include "src/cli/run_status.hpp"

using namespace placedist::geo;
using namespace placedist::analysis;

namespace placedist::cli {
namespace {

struct CohortArgs {
  CohortOptions options;
  std::string codepoint;
  std::string output = "-";
  bool plain = false;
  bool clean = false;
};

void run_cohort(CohortArgs& args) {
  args.options.codepoint =
      args.codepoint.empty() ? data_file("postcodes/codepoint_open_2018_07") : std::filesystem::path(args.codepoint);
  args.options.ssda903 = !args.plain;
  args.options.bad_rows = !args.clean;
  if (args.options.children == 0) throw UsageError("--children must be at least 1");
  CohortSummary s = write_cohort(args.options, args.output);
  std::fprintf(stderr,
               "placedist: cohort of %llu children looked after (and %llu who left earlier; %llu rows) for %s at 31 "
               "March %d, seed %llu, from %llu postcodes (%llu homes)\n",
               static_cast<unsigned long long>(s.children), static_cast<unsigned long long>(s.leavers),
               static_cast<unsigned long long>(s.rows), args.options.council.c_str(), args.options.year,
               static_cast<unsigned long long>(args.options.seed), static_cast<unsigned long long>(s.postcodes),
               static_cast<unsigned long long>(s.homes_pool));
}

}  // namespace

void add_cohort_command(CLI::App& app) {
  auto args = std::make_shared<CohortArgs>();
  CLI::App* command = app.add_subcommand(
      "cohort",
      "Write a synthetic cohort of looked-after children (SSDA903-like episodes) from real postcodes with a fixed "
      "seed, for demos, tests and benchmarks");
  command->add_option("-o,--output", args->output, "CSV to write (default: standard output)");
  command->add_option(
      "--codepoint", args->codepoint,
      "Code-Point Open folder (default: the 2018 release in $PLACEDIST_DATA, Buckinghamshire County era)");
  command->add_option("--la", args->options.council,
                      "council whose children they are, Code-Point county or district code (default E10000002)");
  command->add_option("--children", args->options.children, "children looked after at the census date (default 651)");
  command->add_option("--year", args->options.year, "census date 31 March of this year (default 2017)");
  command->add_option("--seed", args->options.seed, "random seed (default 20170331)");
  command->add_option("--far-council", args->options.far_council,
                      "council for the far placements (default E10000008 Devon)");
  command->add_option("--far-count", args->options.far_count, "children placed there (default 2)");
  command->add_flag("--plain", args->plain, "write id,home_postcode,placement_postcode,uasc instead of episodes");
  command->add_flag("--clean", args->clean, "leave out the deliberately bad postcodes");
  command->callback([args] { run_cohort(*args); });
}

}  // namespace placedist::cli
