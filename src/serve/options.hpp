#pragma once
// What `placedist serve` is started with: data files, where to listen, limits. The limits
// are part of the API (documented in /v1/openapi.json and the README); exceeding one is a 413.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace placedist::serve {

struct DataPaths {
  std::filesystem::path gazetteer;   // required
  std::filesystem::path boundaries;  // optional: council layers and zones
  std::filesystem::path providers;   // optional: coverage
  std::filesystem::path roads;       // optional: road distances (geo/roads network file)
  std::filesystem::path web_root;    // the map page and its libraries; empty = the build's copy
  std::vector<std::string> cohorts;  // optional: "LA=FILE" placement cohorts (la= coverage, analysis layers)
  std::optional<std::chrono::year_month_day> cohort_at;  // their census date; none: as analyse chooses
  bool cohort_restricted = false;  // --disclosure restricted: unit-precision cohort layers (token required)
};

struct Limits {
  std::size_t max_body_bytes = 16u << 20;  // --max-body-bytes: larger bodies get 413 payload_too_large
  std::size_t max_rows = 100'000;          // --max-rows: postcodes per bulk request, homes per coverage
                                           // request, cells per matrix; more gets 413 too_many_rows
  std::size_t max_nearest = 100;           // limit= of nearest-postcode queries
  double max_nearest_radius_m = 2000;      // radius= of nearest-postcode queries, metres
  double max_miles = 100;                  // miles= of coverage and zones
  std::size_t max_header_bytes = 16 * 1024;  // request line and headers together; more gets 431
  std::size_t max_connections = 10'000;      // --max-connections: open at once; more get 503
  double head_timeout_s = 10;      // from a request's first byte to the end of its head
  double request_timeout_s = 60;   // reading a body; writing an answer
  double idle_timeout_s = 30;      // a kept-alive connection waiting for its next request
  std::size_t max_queued_jobs = 16;  // heavy requests (matrix, coverage, analyse, layers) waiting
                                     // or running at once; more get 503
};

struct ServeOptions {
  std::string bind = "127.0.0.1";
  int port = 8080;       // 0: any free port (the chosen one is printed)
  std::string token;     // bearer token; required when bind is not a loopback address
  int threads = 0;       // workers for heavy routes (matrix, coverage, analyse, layers); 0: cores
  int io_threads = 0;    // threads reading and writing connections and answering lookups; 0: cores
  std::vector<std::string> server_names;  // --server-name: host names clients may use (Host header)
  std::string cors_origin;                // --cors: the one other origin whose pages may call the API
  // --behind-tls: clients reach this server through a TLS proxy (docs/serve-tls.md), so the
  // session cookie carries Secure (a browser then never sends it over plain HTTP).
  bool behind_tls = false;
  std::string tile_url;  // optional XYZ tile URL for the map page; empty = boundaries only
  Limits limits;
};

// Loopback addresses need no token: 127.0.0.0/8, ::1, localhost.
bool is_loopback(const std::string& address);

}  // namespace placedist::serve
