#pragma once
// The HTTP/1.1 transport: Boost.Beast on Asio (Debian 12's libboost1.74-dev), event-driven, so
// a connection costs a socket and a few KiB rather than a thread. Every limit is enforced while
// reading: the request line and headers together, the body (decoded size when chunked; bodies
// with a Content-Encoding are refused, 415), a deadline for the head once its first byte came,
// one for the body and for writing the answer, an idle timeout between requests, and a cap on
// open connections past which a new one gets a 503 and is closed. Knows nothing of placedist's
// routes: a head check (access, route, size) runs before any body is read, then the handler.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "geo/outcome.hpp"
#include "src/serve/http_message.hpp"

namespace placedist::serve {

struct TransportLimits {
  std::size_t max_header_bytes = 16 * 1024;  // request line and all headers
  std::size_t max_body_bytes = 16u << 20;    // after chunked decoding
  std::size_t max_connections = 10'000;      // open at once; more get 503
  // Bodies being read or answered at once, by declared size (a chunked one counts as the
  // largest allowed): more gets 503, so that bodies never hold more memory than this. 0: 8 bodies.
  std::size_t max_body_bytes_in_flight = 0;
  std::chrono::milliseconds head_timeout{10'000};     // first byte of a request to the end of its head
  std::chrono::milliseconds request_timeout{60'000};  // reading the body; writing the answer
  std::chrono::milliseconds idle_timeout{30'000};     // between requests on a kept-alive connection
  int io_threads = 0;                                 // 0: one per core
};

class HttpServer {
 public:
  // Runs once a request's head is read, before its body: an answer refuses the request (the
  // body is not read and the connection closes if one was coming); nullopt reads on. It may
  // note in the request what it found (the route), for the handler.
  using HeadCheck = std::function<std::optional<Response>(Request& head)>;
  // Must be called exactly once per request, from any thread.
  using Reply = std::function<void(Response)>;
  using Handle = std::function<void(Request request, Reply reply)>;
  // For each answer, as it is handed to the socket (a streamed one: once written): what was
  // answered and the seconds since the head arrived.
  using Done = std::function<void(const Response& answer, double seconds)>;
  // The transport's own refusals (bad_request, payload_too_large, header_too_large,
  // unsupported_encoding, request_timeout, busy) as answers, from the service's one mapping of
  // outcomes to statuses and bodies (api_error.hpp), so that the transport keeps no second table.
  using Refuse = std::function<Response(Outcome code, std::string_view message)>;

  HttpServer(TransportLimits limits, HeadCheck head_check, Handle handle, Done done, Refuse refuse);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens; returns the port (the chosen one for 0). Throws std::runtime_error.
  int bind(const std::string& address, int port);
  void run();   // serves on the I/O threads until stop(); returns once they have ended
  void stop();  // from any thread
  bool running() const;
  std::size_t open_connections() const;
  int io_threads() const;

  struct Impl;  // public so that the connections (http_server.cpp) can reach it

 private:
  std::unique_ptr<Impl> m_impl;
};

// Raises this process's open-file limit to its hard limit (connections are file descriptors);
// returns the new soft limit.
std::size_t raise_file_limit();

}  // namespace placedist::serve
