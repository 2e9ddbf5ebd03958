#pragma once
// Registers routes on the HTTP server under their documented (OpenAPI) paths, e.g.
// "/v1/postcodes/{postcode}", and wraps every handler the same way: the route is recorded
// for /metrics, ApiError becomes its {code, message} response (api_error.hpp), and any other
// exception a 500 with one log line (route and type only, digits masked: never a postcode).
#include <functional>
#include <string>
#include <vector>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace placedist::serve {

class Metrics;

using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

class Router {
 public:
  Router(httplib::Server& server, Metrics& metrics) : m_server(server), m_metrics(metrics) {}

  // `path` uses OpenAPI templating: each {name} matches one path segment ([^/]+), except a
  // final {path*} which matches the rest (for static files); handlers read req.matches[1..].
  void get(const std::string& path, Handler handler);
  void post(const std::string& path, Handler handler);

  struct Route {
    std::string method;  // "get", "post" (OpenAPI's spelling)
    std::string path;    // as documented, "{path*}" written "{path}"
  };
  const std::vector<Route>& routes() const { return m_routes; }

 private:
  Handler wrap(int route, const std::string& label, Handler handler);
  std::string pattern(const std::string& path) const;
  httplib::Server& m_server;
  Metrics& m_metrics;
  std::vector<Route> m_routes;
};

// The route id the current request matched (0 when none), for the server's logger.
int current_route();
void reset_current_route();

// Masks digits so that no postcode (every one has digits) reaches a log line.
std::string mask_digits(std::string text);

}  // namespace placedist::serve
