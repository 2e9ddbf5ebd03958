// placedist serve [--gazetteer FILE] [--boundaries FILE] [--providers FILE] [--roads FILE] [--cohort LA=FILE]...
//                 [--bind ADDR] [--port N] [--token-file FILE] [--server-name NAME]... [--behind-tls] [--cors ORIGIN]
//                 [--threads N] [--io-threads N] [--max-connections N]
//                 [--max-body-bytes N] [--max-rows N] [--web-root DIR] [--tile-url URL]
// Loads the data once, then answers HTTP until SIGTERM or SIGINT.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <thread>

#include "geo/gazetteer.hpp"
#include "src/analysis/placement_input.hpp"
#include "src/cli/commands.hpp"
#include "src/cli/progress.hpp"
#include "src/cli/run_status.hpp"
#include "src/serve/access.hpp"
#include "src/serve/service.hpp"
#include "src/serve/service_data.hpp"

using namespace placedist::geo;
using namespace placedist::shapes;
using namespace placedist::maps;
using namespace placedist::analysis;

namespace placedist::cli {
namespace {

struct ServeArgs {
  std::string gazetteer, boundaries, providers, roads, token_file, web_root;
  std::vector<std::string> cohorts;
  std::string cohort_at;
  std::string disclosure = "shareable";
  serve::ServeOptions options;
};

std::string read_token(const std::string& path) {
  // As ssh refuses a private key others can read: a token others can read is no secret.
  if (std::string why; !serve::token_file_private(path, why)) throw UsageError(why);
  std::ifstream in(path);
  if (!in) throw UsageError("cannot read the token file " + path);
  std::string token;
  std::getline(in, token);
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
  if (token.size() < 16) throw UsageError("the token in " + path + " is shorter than 16 characters");
  return token;
}

void run_serve(ServeArgs args) {
  if (!args.token_file.empty()) args.options.token = read_token(args.token_file);
  if (!serve::is_loopback(args.options.bind) && args.options.token.empty())
    throw UsageError("binding to " + args.options.bind + " needs a bearer token: give --token-file");
  // Block the stop signals in every thread the server starts; one thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  serve::DataPaths paths{args.gazetteer.empty() ? Gazetteer::default_path() : std::filesystem::path(args.gazetteer),
                         args.boundaries,
                         args.providers,
                         args.roads,
                         args.web_root,
                         args.cohorts,
                         {}};
  if (args.disclosure != "shareable" && args.disclosure != "restricted")
    throw UsageError("--disclosure must be shareable or restricted");
  if (args.disclosure == "restricted") {
    if (args.options.token.empty())
      throw UsageError("--disclosure restricted serves children's placements at unit postcodes: it needs --token-file");
    paths.cohort_restricted = true;
    std::fprintf(stderr,
                 "placedist serve: warning: --disclosure restricted: cohort layers show placements at their unit "
                 "postcodes, to the token's holders only\n");
  }
  if (!args.cohort_at.empty()) {
    paths.cohort_at = analysis::parse_date(args.cohort_at);
    if (!paths.cohort_at) throw UsageError("--cohort-at " + args.cohort_at + ": not a date (YYYY-MM-DD)");
  }
  auto data = serve::ServiceData::load(paths, [](const std::string& line) { note(line); });
  serve::Service service(*data, args.options);
  int port = service.bind();
  std::fprintf(stderr, "placedist serve: listening on http://%s:%d/ (%d I/O threads, %d workers%s)\n",
               args.options.bind.c_str(), port, service.io_threads(), service.workers(),
               args.options.token.empty() ? "" : ", bearer token required");
  std::fflush(stderr);
  std::thread waiter([&service, stop_signals] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    std::fprintf(stderr, "placedist serve: %s received, stopping\n", signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
    service.stop();
  });
  service.run();
  // run() also returns if the listening socket fails; wake the waiter so it can be joined.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  std::fprintf(stderr, "placedist serve: stopped\n");
  set_exit_code(kExitOk);
}

}  // namespace

void add_serve_command(CLI::App& app) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = app.add_subcommand("serve", "Answer postcode, distance and coverage questions over HTTP");
  cmd->add_option("--gazetteer", args->gazetteer, "Gazetteer file (default: the built one in the cache)");
  cmd->add_option("--boundaries", args->boundaries, "Council boundaries (any OGR source) for layers and zones");
  cmd->add_option("--providers", args->providers, "Providers CSV (urn,name,type,postcode,places) for coverage");
  cmd->add_option("--roads", args->roads,
                  "Road network file (placedist roads build): road miles and minutes on /v1/distance, /v1/analyse and "
                  "cohorts; mode=road on coverage, matrix and zones");
  cmd->add_option(
         "--cohort", args->cohorts,
         "LA=FILE: a placements file (as for analyse) of council LA, for la= coverage and the map's analysis layers")
      ->expected(1);
  cmd->add_option(
         "--disclosure", args->disclosure,
         "the cohorts' layers: shareable (default: homes and placements at areas of at least 5 unit postcodes) "
         "or restricted (placements at unit postcodes and unit-to-unit miles; needs --token-file)")
      ->capture_default_str();
  cmd->add_option("--cohort-at", args->cohort_at,
                  "census date YYYY-MM-DD of the cohorts' SSDA903 episodes (default: 31 March of the latest year in "
                  "each file, as analyse)");
  cmd->add_option("--bind", args->options.bind, "Address to listen on; other than loopback needs --token-file")
      ->capture_default_str();
  cmd->add_option("--port", args->options.port, "Port (0: any free port)")->capture_default_str();
  cmd->add_option("--token-file", args->token_file, "File whose first line is the bearer token clients must send");
  cmd->add_option("--threads", args->options.threads,
                  "Workers for the heavy routes (matrix, coverage, analyse, layers); 0: one per core")
      ->capture_default_str()
      ->check(CLI::Range(0, 256));
  cmd->add_option("--io-threads", args->options.io_threads,
                  "Threads reading and writing connections (and answering lookups); 0: one per core")
      ->capture_default_str()
      ->check(CLI::Range(0, 256));
  cmd->add_option("--max-connections", args->options.limits.max_connections,
                  "Connections open at once; more are answered 503 and closed")
      ->capture_default_str();
  cmd->add_option("--server-name", args->options.server_names,
                  "A host name clients use to reach this server (Host header; e.g. behind a reverse proxy); "
                  "others get 421")
      ->expected(1);
  cmd->add_flag("--behind-tls", args->options.behind_tls,
               "Clients come through a TLS reverse proxy (docs/serve-tls.md): the session cookie is marked "
               "Secure, so browsers never send it over plain HTTP");
  cmd->add_option("--cors", args->options.cors_origin,
                  "An origin (https://host[:port]) whose pages may call the API from a browser (CORS); default none");
  cmd->add_option("--max-body-bytes", args->options.limits.max_body_bytes, "Largest request body; more is 413")
      ->capture_default_str();
  cmd->add_option("--max-rows", args->options.limits.max_rows,
                  "Most postcodes/homes/matrix cells per request; more is 413")
      ->capture_default_str();
  cmd->add_option("--web-root", args->web_root, "Folder of the map page (default: the build's copy)");
  cmd->add_option("--tile-url", args->options.tile_url,
                  "XYZ tile URL for the map's base layer (default: none, offline)");
  cmd->callback([args] { run_serve(*args); });
}

}  // namespace placedist::cli
