// placedist gazetteer build | info
#include <chrono>
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "geo/gazetteer.hpp"
#include "geo/gazetteer_build.hpp"
#include "src/cli/commands.hpp"
#include "src/cli/progress.hpp"
#include "src/cli/run_status.hpp"

using namespace placedist::geo;

namespace placedist::cli {
namespace {

struct BuildArgs {
  std::vector<std::string> codepoint, onspd, lookups, names;
  std::string output;
};

void run_build(CLI::App& command, const BuildArgs& args) {
  GazetteerBuildOptions options;
  if (args.codepoint.empty() && args.onspd.empty()) {
    options = default_gazetteer_options();
  } else {
    // Precedence follows the order of --codepoint and --onspd on the command line.
    std::size_t next_codepoint = 0, next_onspd = 0;
    for (CLI::Option* option : command.parse_order()) {
      if (option->get_name() == "--codepoint")
        options.sources.push_back({GazetteerSource::Kind::codepoint, args.codepoint.at(next_codepoint++)});
      else if (option->get_name() == "--onspd")
        options.sources.push_back({GazetteerSource::Kind::directory, args.onspd.at(next_onspd++)});
    }
  }
  for (const auto& lookup : args.lookups) options.council_lookups.push_back(lookup);
  for (const auto& list : args.names) options.council_names.push_back(list);
  options.output = args.output.empty() ? Gazetteer::default_path() : std::filesystem::path(args.output);
  options.progress = [](const std::string& stage) { note(stage); };
  auto start = std::chrono::steady_clock::now();
  GazetteerBuildSummary summary = build_gazetteer(options);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr,
               "placedist: gazetteer %s: %llu postcodes (%llu terminated, %llu without grid reference), %llu sectors, "
               "%llu districts, %llu councils (%llu unnamed), CRS %s, %.1f s\n",
               options.output.c_str(), static_cast<unsigned long long>(summary.units),
               static_cast<unsigned long long>(summary.terminated),
               static_cast<unsigned long long>(summary.without_grid), static_cast<unsigned long long>(summary.sectors),
               static_cast<unsigned long long>(summary.districts), static_cast<unsigned long long>(summary.councils),
               static_cast<unsigned long long>(summary.unnamed_councils), summary.crs_method.c_str(), seconds);
  if (summary.county_districts_without_upper_tier > 0) {
    std::fprintf(stderr, "placedist: warning: %llu county districts have no upper-tier council in the lookups given\n",
                 static_cast<unsigned long long>(summary.county_districts_without_upper_tier));
  }
}

void run_info(const std::string& path, bool verify) {
  const std::filesystem::path file = path.empty() ? Gazetteer::default_path() : std::filesystem::path(path);
  Gazetteer gazetteer = Gazetteer::open(file);
  if (verify) {
    gazetteer.verify();  // throws, naming the damaged section (exit 3)
    std::cerr << "placedist: gazetteer " << file.string() << ": every section's checksum verified\n";
  }
  nlohmann::json metadata = nlohmann::json::parse(gazetteer.metadata_json(), nullptr, false);
  if (metadata.is_discarded()) throw GazetteerError("gazetteer " + file.string() + ": damaged metadata (not JSON)");
  std::cout << metadata.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

}  // namespace

void add_gazetteer_command(CLI::App& app) {
  CLI::App* gazetteer = app.add_subcommand("gazetteer", "Build or describe the postcode gazetteer");
  gazetteer->require_subcommand(1);

  auto args = std::make_shared<BuildArgs>();
  CLI::App* build = gazetteer->add_subcommand(
      "build",
      "Build a gazetteer from postcode directories, in order of precedence. With no source, builds the default "
      "(Code-Point Open 2025, then NSPD Nov 2025, from $PLACEDIST_DATA) into the default path.");
  build->add_option("--codepoint", args->codepoint, "Code-Point Open product folder (or its Data/CSV folder)")
      ->check(CLI::ExistingDirectory);
  build->add_option("--onspd", args->onspd, "ONS postcode directory CSV (ONSPD, NSPD or a subset; .gz allowed)")
      ->check(CLI::ExistingFile);
  build->add_option("--lookup", args->lookups, "lower-tier -> upper-tier council lookup CSV (e.g. ONS LAD23_UTLA23)")
      ->check(CLI::ExistingFile);
  build->add_option("--names", args->names, "council code -> name list (CSV type,code,name or JSON {code: name})")
      ->check(CLI::ExistingFile);
  build->add_option("-o,--output", args->output,
                    "gazetteer file to write (default: $PLACEDIST_GAZETTEER or "
                    "~/.cache/placedist/gazetteer.pdg)");
  build->callback([build, args] { run_build(*build, *args); });

  CLI::App* path = gazetteer->add_subcommand("path", "Print the default gazetteer's path");
  path->callback([] { std::cout << Gazetteer::default_path().string() << '\n'; });

  auto info_path = std::make_shared<std::string>();
  auto info_verify = std::make_shared<bool>(false);
  CLI::App* info = gazetteer->add_subcommand("info", "Print a gazetteer's sources, vintages and counts as JSON");
  info->add_option("file", *info_path, "gazetteer file (default: the default gazetteer)");
  info->add_flag("--verify", *info_verify,
                 "read the whole file and check every section's CRC-32C first (exit 3 naming the damaged section)");
  info->callback([info_path, info_verify] { run_info(*info_path, *info_verify); });
}

}  // namespace placedist::cli
