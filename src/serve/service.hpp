#pragma once
// The HTTP server: cpp-httplib with a pool of worker threads, the routes of routes.hpp, bearer
// token check, body limit, JSON bodies for every error status, metrics. Construct, bind(),
// then run() (blocks) on one thread and stop() from any other (e.g. on SIGTERM).
#include <memory>
#include <vector>

#include "src/serve/options.hpp"
#include "src/serve/router.hpp"

namespace placedist::serve {

class ServiceData;

class Service {
 public:
  // Throws std::invalid_argument when binding to a non-loopback address without a token.
  Service(const ServiceData& data, ServeOptions options);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Binds the listening socket; returns the port (the chosen one for port 0). Throws
  // std::runtime_error when the address cannot be bound.
  int bind();
  // Serves until stop(); returns after in-flight requests are answered.
  void run();
  void stop();
  bool running() const;  // listening (run() has started and not returned)

  const std::vector<Router::Route>& routes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace placedist::serve
