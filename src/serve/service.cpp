#include "src/serve/service.hpp"

#include <httplib.h>

#include <chrono>
#include <stdexcept>

#include "src/serve/api_error.hpp"
#include "src/serve/metrics.hpp"
#include "src/serve/routes.hpp"
#include "src/serve/service_data.hpp"

using namespace placedist::geo;
using namespace placedist::shapes;
using namespace placedist::maps;
using namespace placedist::analysis;

namespace placedist::serve {

namespace {

thread_local std::chrono::steady_clock::time_point t_start;
thread_local bool t_started = false;

// Compares in time independent of where the strings first differ.
bool same_token(const std::string& given, const std::string& expected) {
  unsigned char diff = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < given.size(); ++i)
    diff |= static_cast<unsigned char>(given[i] ^ expected[i % expected.size()]);
  return diff == 0;
}

const char* message_for_status(int status) {
  switch (status) {
    case 400: return "the request could not be read";
    case 404: return "no such route; see /v1/openapi.json";
    case 413: return "the request body is larger than the limit (--max-body-bytes)";
    default: return "the request failed";
  }
}

}  // namespace

struct Service::Impl {
  const ServiceData& data;
  ServeOptions options;
  httplib::Server server;
  Metrics metrics;
  Router router{server, metrics};
  Impl(const ServiceData& d, ServeOptions o) : data(d), options(std::move(o)) {}
};

Service::Service(const ServiceData& data, ServeOptions options)
    : m_impl(std::make_unique<Impl>(data, std::move(options))) {
  Impl& s = *m_impl;
  if (!is_loopback(s.options.bind) && s.options.token.empty())
    throw Failure(Outcome::invalid_value, "binding to " + s.options.bind + " needs a bearer token (--token-file)");
  int threads = std::max(1, s.options.threads);
  s.server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  s.server.set_payload_max_length(s.options.limits.max_body_bytes);
  s.server.set_tcp_nodelay(true);
  s.server.set_keep_alive_max_count(1000);
  s.server.set_keep_alive_timeout(5);

  s.server.set_pre_routing_handler([&s](const httplib::Request& req, httplib::Response& res) {
    t_start = std::chrono::steady_clock::now();
    t_started = true;
    reset_current_route();
    set_current_error_code("");
    if (s.options.token.empty() || req.path == "/v1/health") return httplib::Server::HandlerResponse::Unhandled;
    const std::string auth = req.get_header_value("Authorization");
    const std::string prefix = "Bearer ";
    if (auth.rfind(prefix, 0) != 0 || !same_token(auth.substr(prefix.size()), s.options.token)) {
      write_error(res, ApiCode::unauthorized, "a bearer token is required (Authorization: Bearer TOKEN)");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  // Statuses the library sets itself (unmatched route, body too large, unreadable request)
  // get the same JSON body as ours; responses that already have a body keep it.
  s.server.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    ApiCode code = code_for_status(res.status);
    int status = res.status;
    write_error(res, code, message_for_status(status));
    res.status = status;
    return httplib::Server::HandlerResponse::Handled;
  }));

  s.server.set_logger([&s](const httplib::Request&, const httplib::Response& res) {
    double seconds = 0;
    if (t_started) seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
    s.metrics.record(current_route(), res.status, seconds);
    if (res.status >= 400) {
      const char* code = current_error_code();
      s.metrics.record_error(*code ? code : to_string(code_for_status(res.status)));
    }
    t_started = false;
    reset_current_route();
    set_current_error_code("");
  });

  RouteContext context{s.data, s.options, s.metrics};
  // httplib tries the routes' regexes in order: the busiest first.
  add_postcode_routes(s.router, context);
  add_meta_routes(s.router, context);
  add_distance_routes(s.router, context);
  add_coverage_routes(s.router, context);
  add_layer_routes(s.router, context);
  add_extent_routes(s.router, context);
  add_analyse_routes(s.router, context);
  add_cohort_routes(s.router, context);
  add_web_routes(s.router, context);
}

Service::~Service() = default;

int Service::bind() {
  Impl& s = *m_impl;
  int port = s.options.port;
  if (port == 0) {
    port = s.server.bind_to_any_port(s.options.bind);
    if (port < 0) throw std::runtime_error("cannot bind to " + s.options.bind);
  } else if (!s.server.bind_to_port(s.options.bind, port)) {
    throw std::runtime_error("cannot bind to " + s.options.bind + ":" + std::to_string(port));
  }
  return port;
}

void Service::run() { m_impl->server.listen_after_bind(); }
void Service::stop() { m_impl->server.stop(); }
bool Service::running() const { return m_impl->server.is_running(); }
const std::vector<Router::Route>& Service::routes() const { return m_impl->router.routes(); }

}  // namespace placedist::serve
