#pragma once
// The service's routes under their documented (OpenAPI) paths, e.g. "/v1/postcodes/{postcode}":
// matching a request to one, and calling its handler the same way for all: the route is
// recorded for /metrics, ApiError becomes its {code, message} response (api_error.hpp), and any
// other exception a 500 with one log line (route and type only, digits masked: never a postcode).
#include <functional>
#include <string>
#include <vector>

#include "src/serve/http_message.hpp"

namespace placedist::serve {

class Metrics;

using Handler = std::function<void(const Request&, Response&)>;

// Where a route's handler runs: light ones (lookups, microseconds) on the I/O threads, heavy
// ones (matrices, coverage, analyse, layers) on the bounded worker pool.
enum class Work { light, heavy };

// How a route's errors are written: placedist's {code, message}, or postcodes.io's
// {status, error} for the compatible surface (routes_postcodes_io.cpp).
enum class ErrorStyle { placedist, postcodes_io };

class Router {
 public:
  explicit Router(Metrics& metrics) : m_metrics(metrics) {}

  // `path` uses OpenAPI templating: each {name} matches one path segment, except a final
  // {path*} which matches the rest (for static files); handlers read req.matches[1..].
  void get(const std::string& path, Handler handler, Work work = Work::light, ErrorStyle style = ErrorStyle::placedist);
  void post(const std::string& path, Handler handler, Work work = Work::light,
            ErrorStyle style = ErrorStyle::placedist);

  struct Route {
    std::string method;  // "get", "post" (OpenAPI's spelling)
    std::string path;    // as documented, "{path*}" written "{path}"
  };
  const std::vector<Route>& routes() const { return m_routes; }

  // The route for a method ("HEAD" finds GET routes) and decoded path; index into the table,
  // or -1. `path_known` tells whether another method has the path; `matches` gets the segments.
  struct Match {
    int index = -1;
    bool path_known = false;
    Work work = Work::light;
    ErrorStyle style = ErrorStyle::placedist;  // how this route's refusals are written
  };
  Match match(const std::string& method, const std::string& path, std::vector<std::string>& matches) const;
  // The match of a route found before (index from match()).
  Match at(int index) const;

  // Calls the matched route's handler (index from match()), turning exceptions into answers.
  void handle(int index, const Request& req, Response& res) const;

 private:
  struct Entry {
    std::string method;                 // "GET", "POST"
    std::vector<std::string> segments;  // "{}" one segment, "{*}" the rest
    std::string label;                  // "GET /v1/..." for log lines
    int metric_id = 0;
    Work work = Work::light;
    ErrorStyle style = ErrorStyle::placedist;
    Handler handler;
  };
  void add(const char* method, const std::string& path, Handler handler, Work work, ErrorStyle style);
  Metrics& m_metrics;
  std::vector<Route> m_routes;
  std::vector<Entry> m_entries;
};

// The route id the current request matched (0 when none), for the server's logger.
int current_route();
void reset_current_route();

// Masks digits so that no postcode (every one has digits) reaches a log line.
std::string mask_digits(std::string text);

}  // namespace placedist::serve
