#include "src/serve/http_server.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <cstdio>
#include <stdexcept>
#include <thread>
#include <vector>

namespace placedist::serve {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Response plain_error(int status, const char* code, const char* message) {
  Response res;
  res.status = status;
  res.set_content(std::string("{\"code\":\"") + code + "\",\"message\":\"" + message + "\"}", "application/json");
  res.error_code = code;
  res.close = true;
  return res;
}

// Written without buffering to a connection past the cap, then closed.
constexpr char kBusy[] =
    "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\n"
    "Retry-After: 1\r\nContent-Length: 72\r\n\r\n"
    "{\"code\":\"busy\",\"message\":\"too many open connections; try again shortly\"}";
constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";

}  // namespace

// Sessions point at it; destroying the io_context destroys the handlers that keep them alive
// (so `connections` is declared before ioc: it outlives them).
struct HttpServer::Impl {
  TransportLimits limits;
  HeadCheck head_check;
  Handle handle;
  Done done;
  std::atomic<std::size_t> connections{0};
  std::atomic<std::size_t> body_bytes{0};  // reserved by requests with bodies (see TransportLimits)
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  asio::steady_timer retry{ioc};
  std::atomic<bool> running{false};
  int threads = 1;

  void accept();
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(HttpServer::Impl* server, tcp::socket socket)
      : m_server(server), m_stream(std::move(socket)), m_buffer(m_server->limits.max_header_bytes + 64 * 1024) {
    m_server->connections.fetch_add(1, std::memory_order_relaxed);
  }
  ~Session() {
    release_body();
    m_server->connections.fetch_sub(1, std::memory_order_relaxed);
  }

  void start() {
    asio::dispatch(m_stream.get_executor(), [self = shared_from_this()] { self->read_first(); });
  }

 private:
  const TransportLimits& limits() const { return m_server->limits; }

  // Waits (idle timeout) for the first byte of the next request.
  void read_first() {
    if (m_buffer.size() > 0) return read_head();
    m_stream.expires_after(limits().idle_timeout);
    m_stream.async_read_some(m_buffer.prepare(4096), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      if (ec) return self->close();
      self->m_buffer.commit(n);
      self->read_head();
    });
  }

  void read_head() {
    m_started = Clock::now();
    m_parser.emplace();
    m_parser->header_limit(static_cast<std::uint32_t>(limits().max_header_bytes));
    m_parser->body_limit(limits().max_body_bytes);
    m_stream.expires_after(limits().head_timeout);
    http::async_read_header(m_stream, m_buffer, *m_parser,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_head(ec); });
  }

  void on_head(beast::error_code ec) {
    if (ec == http::error::body_limit)  // a Content-Length over the limit, seen in the head
      return send(
          plain_error(413, "payload_too_large", "the request body is larger than the limit (--max-body-bytes)"));
    if (ec == http::error::header_limit || ec == http::error::buffer_overflow)
      return send(plain_error(431, "header_too_large", "the request line and headers are larger than allowed"));
    if (ec == beast::error::timeout || ec == http::error::end_of_stream || ec == asio::error::eof ||
        ec == asio::error::connection_reset || ec == asio::error::operation_aborted)
      return close();
    if (ec) return send(plain_error(400, "bad_request", "the request could not be read"));
    const auto& head = m_parser->get();
    m_request = Request{};
    m_request.method = std::string(head.method_string());
    m_request.target = std::string(head.target());
    m_head_only = head.method() == http::verb::head;
    m_keep_alive = head.keep_alive();
    if (!parse_target(m_request.target, m_request.path, m_request.params) || m_request.path.empty() ||
        m_request.path[0] != '/')
      return send(plain_error(400, "bad_request", "the request target could not be read"));
    for (const auto& field : head)
      m_request.headers.emplace_back(lower({field.name_string().data(), field.name_string().size()}),
                                     std::string(field.value()));
    if (auto encoding = head.find(http::field::content_encoding);
        encoding != head.end() && !beast::iequals(encoding->value(), "identity"))
      return send(plain_error(415, "unsupported_encoding", "request bodies must not be compressed (Content-Encoding)"));
    if (auto length = m_parser->content_length(); length && *length > limits().max_body_bytes)
      return send(
          plain_error(413, "payload_too_large", "the request body is larger than the limit (--max-body-bytes)"));
    if (std::optional<Response> refusal = m_server->head_check(m_request)) {
      if (!m_parser->is_done()) refusal->close = true;
      return send(std::move(*refusal));
    }
    if (m_parser->is_done()) return dispatch();
    if (!reserve_body(m_parser->content_length().value_or(limits().max_body_bytes))) {
      Response busy = plain_error(503, "busy", "too many request bodies at once; try again shortly");
      busy.set_header("Retry-After", "1");
      return send(std::move(busy));
    }
    if (auto expect = head.find(http::field::expect);
        expect != head.end() && beast::iequals(expect->value(), "100-continue")) {
      m_stream.expires_after(limits().request_timeout);
      return asio::async_write(m_stream, asio::buffer(kContinue, sizeof kContinue - 1),
                               [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                 if (ec) return self->close();
                                 self->read_body();
                               });
    }
    read_body();
  }

  void read_body() {
    m_stream.expires_after(limits().request_timeout);
    http::async_read(m_stream, m_buffer, *m_parser, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec == http::error::body_limit)
        return self->send(
            plain_error(413, "payload_too_large", "the request body is larger than the limit (--max-body-bytes)"));
      if (ec == beast::error::timeout)
        return self->send(plain_error(408, "request_timeout", "the request body did not arrive in time"));
      if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset)
        return self->close();
      if (ec) return self->send(plain_error(400, "bad_request", "the request body could not be read"));
      self->dispatch();
    });
  }

  void dispatch() {
    m_request.body = std::move(m_parser->get().body());
    m_parser.reset();
    auto self = shared_from_this();
    m_server->handle(std::move(m_request), [self](Response res) {
      asio::post(self->m_stream.get_executor(), [self, res = std::move(res)]() mutable { self->send(std::move(res)); });
    });
  }

  bool reserve_body(std::size_t bytes) {
    std::size_t budget =
        limits().max_body_bytes_in_flight ? limits().max_body_bytes_in_flight : 8 * limits().max_body_bytes;
    std::size_t used = m_server->body_bytes.fetch_add(bytes);
    if (used + bytes > budget) {
      m_server->body_bytes.fetch_sub(bytes);
      return false;
    }
    m_reserved = bytes;
    return true;
  }

  void release_body() {
    if (m_reserved) m_server->body_bytes.fetch_sub(m_reserved);
    m_reserved = 0;
  }

  void send(Response res) {
    release_body();  // the body has been read and handled (or refused) by now
    bool close_after = res.close || !m_keep_alive;
    auto message = std::make_shared<http::response<http::string_body>>();
    message->version(11);
    message->result(static_cast<unsigned>(res.status));
    message->set(http::field::server, "placedist");
    if (!res.content_type.empty()) message->set(http::field::content_type, res.content_type);
    for (const auto& [name, value] : res.headers) message->insert(name, value);
    message->keep_alive(!close_after);
    if (m_head_only) {
      message->content_length(res.body.size());
    } else {
      message->body() = std::move(res.body);
      message->prepare_payload();
    }
    res.body.clear();
    m_answer = std::move(res);
    m_stream.expires_after(limits().request_timeout);
    http::async_write(m_stream, *message,
                      [self = shared_from_this(), message, close_after](beast::error_code ec, std::size_t) {
                        double seconds = std::chrono::duration<double>(Clock::now() - self->m_started).count();
                        self->m_server->done(self->m_answer, seconds);
                        if (ec) return self->close();
                        if (close_after) return self->linger();
                        self->m_head_only = false;
                        self->read_first();
                      });
  }

  // Closes after an answer the client may still be sending to: stop sending, then read and
  // discard briefly (bounded) so that the client sees the answer rather than a reset.
  void linger() {
    beast::error_code ignored;
    m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    m_buffer.clear();
    m_stream.expires_after(std::chrono::seconds(2));
    drain();
  }

  void drain() {
    if (m_drained > (4u << 20)) return close();
    m_buffer.clear();
    m_stream.async_read_some(m_buffer.prepare(16 * 1024),
                             [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                               if (ec) return self->close();
                               self->m_drained += n;
                               self->drain();
                             });
  }

  void close() {
    beast::error_code ignored;
    m_stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    m_stream.close();
  }

  HttpServer::Impl* m_server;
  beast::tcp_stream m_stream;
  beast::flat_buffer m_buffer;
  std::optional<http::request_parser<http::string_body>> m_parser;
  Request m_request;
  Response m_answer;
  Clock::time_point m_started;
  bool m_keep_alive = true;
  bool m_head_only = false;
  std::size_t m_drained = 0;
  std::size_t m_reserved = 0;  // bytes of the body budget this request holds
};

}  // namespace

void HttpServer::Impl::accept() {
  acceptor.async_accept(asio::make_strand(ioc), [self = this](beast::error_code ec, tcp::socket socket) {
    if (!self->acceptor.is_open()) return;
    if (ec) {
      // Out of file descriptors or similar: wait a little rather than spin.
      self->retry.expires_after(std::chrono::milliseconds(50));
      self->retry.async_wait([self](beast::error_code) { self->accept(); });
      return;
    }
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    if (self->connections.load(std::memory_order_relaxed) >= self->limits.max_connections) {
      socket.non_blocking(true, ignored);
      socket.write_some(asio::buffer(kBusy, sizeof kBusy - 1), ignored);
      socket.shutdown(tcp::socket::shutdown_both, ignored);
      socket.close(ignored);
    } else {
      std::make_shared<Session>(self, std::move(socket))->start();
    }
    self->accept();
  });
}

HttpServer::HttpServer(TransportLimits limits, HeadCheck head_check, Handle handle, Done done)
    : m_impl(std::make_unique<Impl>()) {
  m_impl->limits = limits;
  m_impl->head_check = std::move(head_check);
  m_impl->handle = std::move(handle);
  m_impl->done = std::move(done);
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  m_impl->threads = limits.io_threads > 0 ? limits.io_threads : cores;
}

HttpServer::~HttpServer() = default;

int HttpServer::bind(const std::string& address, int port) {
  Impl& s = *m_impl;
  beast::error_code ec;
  auto ip = asio::ip::make_address(address == "localhost" ? "127.0.0.1" : address, ec);
  if (ec) throw std::runtime_error("cannot bind to " + address + ": not an IP address");
  tcp::endpoint endpoint(ip, static_cast<unsigned short>(port));
  s.acceptor.open(endpoint.protocol(), ec);
  if (!ec) s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(endpoint, ec);
  if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("cannot bind to " + address + ":" + std::to_string(port) + ": " + ec.message());
  return s.acceptor.local_endpoint().port();
}

void HttpServer::run() {
  Impl& s = *m_impl;
  s.accept();
  s.running = true;
  std::vector<std::thread> others;
  for (int i = 1; i < s.threads; ++i) others.emplace_back([&s] { s.ioc.run(); });
  s.ioc.run();
  for (std::thread& t : others) t.join();
  s.running = false;
}

void HttpServer::stop() {
  asio::post(m_impl->ioc, [impl = m_impl.get()] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
    impl->retry.cancel();
    impl->ioc.stop();
  });
}

bool HttpServer::running() const { return m_impl->running; }
std::size_t HttpServer::open_connections() const { return m_impl->connections.load(); }
int HttpServer::io_threads() const { return m_impl->threads; }

std::size_t raise_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  return static_cast<std::size_t>(limit.rlim_cur);
}

}  // namespace placedist::serve
