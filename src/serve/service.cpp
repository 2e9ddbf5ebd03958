#include "src/serve/service.hpp"

#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <stdexcept>
#include <thread>

#include "src/serve/access.hpp"
#include "src/serve/api_error.hpp"
#include "src/serve/http_server.hpp"
#include "src/serve/metrics.hpp"
#include "src/serve/routes.hpp"
#include "src/serve/service_data.hpp"

using namespace placedist::geo;

namespace placedist::serve {

namespace {

std::chrono::milliseconds millis(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

TransportLimits transport_limits(const ServeOptions& options) {
  TransportLimits t;
  t.max_header_bytes = options.limits.max_header_bytes;
  t.max_body_bytes = options.limits.max_body_bytes;
  t.max_connections = options.limits.max_connections;
  t.head_timeout = millis(options.limits.head_timeout_s);
  t.request_timeout = millis(options.limits.request_timeout_s);
  t.idle_timeout = millis(options.limits.idle_timeout_s);
  t.io_threads = options.io_threads;
  return t;
}

int cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

// The open routes: the page, its files and the liveness check, by GET (or HEAD) only.
bool open_route(const Request& head) {
  if (head.method != "GET" && head.method != "HEAD") return false;
  return head.path == "/v1/health" || head.path == "/" || head.path.rfind("/static/", 0) == 0;
}

Response error_answer(ApiCode code, std::string_view message) {
  Response res;
  write_error(res, code, message);
  res.error_code = to_string(code);
  return res;
}

}  // namespace

struct Service::Impl {
  const ServiceData& data;
  ServeOptions options;
  Metrics metrics;
  Router router{metrics};
  Access access;
  int workers;
  std::atomic<std::size_t> heavy_jobs{0};
  std::unique_ptr<HttpServer> http;
  // Declared last: destroyed (joined) first, while the server its jobs answer through exists.
  std::unique_ptr<boost::asio::thread_pool> pool;

  Impl(const ServiceData& d, ServeOptions o)
      : data(d), options(std::move(o)), access(options), workers(options.threads > 0 ? options.threads : cores()) {}

  // Matches the route once per request: the handler takes it from head.route and head.matches.
  std::optional<Response> check_head(Request& head) {
    Router::Match match = router.match(head.method, head.path, head.matches);
    head.route = match.index;
    if (std::optional<Response> refused = access.check(head, open_route(head))) {
      // 401/421/403 before any 404, so that nothing leaks; in postcodes.io's shape on its routes.
      if (match.style == ErrorStyle::postcodes_io && refused->status >= 400) rewrite_as_postcodes_io_error(*refused);
      return refused;
    }
    if (match.index < 0) {
      Response res = error_answer(ApiCode::not_found, "no such route; see /v1/openapi.json");
      access.add_cors(head, res);
      return res;
    }
    return std::nullopt;
  }

  void handle(Request req, HttpServer::Reply reply) {
    Router::Match match = req.route >= 0 ? router.at(req.route) : router.match(req.method, req.path, req.matches);
    if (match.index < 0) return reply(error_answer(ApiCode::not_found, "no such route; see /v1/openapi.json"));
    if (match.work == Work::light) {
      Response res;
      router.handle(match.index, req, res);
      access.add_cors(req, res);
      return reply(std::move(res));
    }
    // Heavy work waits in a bounded queue so that lookups on the I/O threads keep their latency.
    if (heavy_jobs.fetch_add(1) >= options.limits.max_queued_jobs) {
      heavy_jobs.fetch_sub(1);
      Response res = error_answer(ApiCode::busy, "too many heavy requests at once; try again shortly");
      res.set_header("Retry-After", "1");
      res.route = 0;
      return reply(std::move(res));
    }
    boost::asio::post(*pool, [this, index = match.index, req = std::move(req), reply = std::move(reply)]() mutable {
      Response res;
      router.handle(index, req, res);
      access.add_cors(req, res);
      req = Request{};  // the body's memory goes before the answer is written
      reply(std::move(res));
      heavy_jobs.fetch_sub(1);
    });
  }

  void done(const Response& res, double seconds) {
    metrics.record(res.route, res.status, seconds);
    if (res.status >= 400)
      metrics.record_error(*res.error_code ? res.error_code : to_string(code_for_status(res.status)));
  }
};

Service::Service(const ServiceData& data, ServeOptions options)
    : m_impl(std::make_unique<Impl>(data, std::move(options))) {
  Impl& s = *m_impl;
  if (!is_loopback(s.options.bind) && s.options.token.empty())
    throw Failure(Outcome::invalid_value, "binding to " + s.options.bind + " needs a bearer token (--token-file)");
  s.http = std::make_unique<HttpServer>(
      transport_limits(s.options), [&s](Request& head) { return s.check_head(head); },
      [&s](Request req, HttpServer::Reply reply) { s.handle(std::move(req), std::move(reply)); },
      [&s](const Response& res, double seconds) { s.done(res, seconds); }, error_answer);
  s.pool = std::make_unique<boost::asio::thread_pool>(static_cast<std::size_t>(s.workers));

  RouteContext context{s.data, s.options, s.metrics};
  add_postcode_routes(s.router, context);
  add_meta_routes(s.router, context);
  add_session_routes(s.router, s.access);
  add_distance_routes(s.router, context);
  add_coverage_routes(s.router, context);
  add_layer_routes(s.router, context);
  add_extent_routes(s.router, context);
  add_analyse_routes(s.router, context);
  add_cohort_routes(s.router, context);
  add_postcodes_io_routes(s.router, context);
  add_web_routes(s.router, context);
}

Service::~Service() {
  if (m_impl->pool) m_impl->pool->join();
}

int Service::bind() {
  raise_file_limit();
  return m_impl->http->bind(m_impl->options.bind, m_impl->options.port);
}

void Service::run() { m_impl->http->run(); }
void Service::stop() { m_impl->http->stop(); }
bool Service::running() const { return m_impl->http->running(); }
const std::vector<Router::Route>& Service::routes() const { return m_impl->router.routes(); }
int Service::io_threads() const { return m_impl->http->io_threads(); }
int Service::workers() const { return m_impl->workers; }
std::size_t Service::open_connections() const { return m_impl->http->open_connections(); }

}  // namespace placedist::serve
