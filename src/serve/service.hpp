#pragma once
// The HTTP service: the event-driven transport of http_server.hpp (I/O threads = cores, which
// also answer the light routes), a bounded pool of workers for the heavy ones, who may ask
// (access.hpp), the routes of routes.hpp, JSON bodies for every error status, metrics.
// Construct, bind(), then run() (blocks) on one thread and stop() from any other (SIGTERM).
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
  // Serves until stop(); returns once the I/O threads have ended (heavy work still running
  // finishes before the destructor returns).
  void run();
  void stop();
  bool running() const;  // listening (run() has started and not returned)

  const std::vector<Router::Route>& routes() const;
  int io_threads() const;
  int workers() const;
  std::size_t open_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace placedist::serve
