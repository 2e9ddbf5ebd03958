#include "src/serve/http_server.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <array>
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
#include <cstdio>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "geo/io/ascii_case.hpp"

namespace placedist::serve {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";

// The 503 for a connection past the cap, serialised once: written without buffering, then closed.
std::string busy_answer(const Response& res) {
  http::response<http::string_body> message;
  message.version(11);
  message.result(static_cast<unsigned>(res.status));
  message.set(http::field::server, "placedist");
  message.set(http::field::content_type, res.content_type);
  message.set(http::field::retry_after, "1");
  message.keep_alive(false);
  message.body() = res.body;
  message.prepare_payload();
  std::ostringstream text;
  text << message;
  return text.str();
}

}  // namespace

// Sessions point at it; destroying the io_context destroys the handlers that keep them alive
// (so `connections` is declared before it: it outlives them).
//
// One io_context run by all the I/O threads, each connection on a strand: when the OS takes a
// thread off its core (wrk or a build shares the 2 cores), only the connection that thread is
// answering waits, and the other threads carry on with the rest. One io_context per thread
// (tried in s21) cost ~1 µs less per request but left every connection of a preempted thread
// waiting: p99 at 64 connections 24-144 ms against 11-15 ms, alternating at load 4-8.
struct HttpServer::Impl {
  TransportLimits limits;
  HeadCheck head_check;
  Handle handle;
  Done done;
  Refuse refuse;
  std::string busy_answer;  // the whole 503 written to a connection past the cap
  std::atomic<std::size_t> connections{0};
  std::atomic<std::size_t> body_bytes{0};  // reserved by requests with bodies (see TransportLimits)
  std::unique_ptr<asio::io_context> ioc;   // made once the number of threads is known
  std::optional<tcp::acceptor> acceptor;   // destroyed before the io_context
  std::optional<asio::steady_timer> retry;
  std::atomic<bool> running{false};
  int threads = 1;

  void accept();
  void take(tcp::socket socket);
  asio::any_io_executor connection_executor();
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(HttpServer::Impl* server, tcp::socket socket)
      : m_server(server),
        m_stream(std::move(socket)),
        m_timer(m_stream.get_executor()),
        m_buffer(m_server->limits.max_header_bytes + 64 * 1024) {
    m_server->connections.fetch_add(1, std::memory_order_relaxed);
    beast::error_code ignored;
    m_stream.non_blocking(true, ignored);  // answers are first written at once (send)
  }
  ~Session() {
    release_body();
    m_server->connections.fetch_sub(1, std::memory_order_relaxed);
  }

  void start() {
    asio::dispatch(m_stream.get_executor(), [self = shared_from_this()] {
      self->m_deadline = Clock::now() + self->limits().idle_timeout;
      self->watch();
      self->read_first();
    });
  }

 private:
  const TransportLimits& limits() const { return m_server->limits; }

  // The transport's own refusals, in the service's error shape and status (HttpServer::Refuse);
  // the connection closes after them.
  Response refuse(Outcome code, std::string_view message) const {
    Response res = m_server->refuse(code, message);
    res.close = true;
    return res;
  }

  // Waits (idle timeout) for the first byte of the next request, at once after the answer: every
  // request then comes through the reactor (epoll) in the order it arrived. Reading it a turn
  // later instead (s27) saved a system call (the read at once nearly always finds nothing yet)
  // and gave 10% more answers a second at 1,000 connections, but served some connections out
  // of turn (those whose next request was already in when their late read ran, the others a
  // turn behind them): p99 27 ms against 19-20 ms, p50 10.4 against 11.4-11.9 ms.
  // A request already in the buffer (pipelined) waits its turn behind the other connections'
  // work: a client sending many at once neither holds the thread nor deepens the stack (an
  // answer can be written within its request's turn).
  void read_first(Clock::time_point now = Clock::now()) {
    if (m_buffer.size() > 0)
      return asio::post(m_stream.get_executor(), [self = shared_from_this()] { self->read_head(); });
    expires_after(limits().idle_timeout, now);
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
    expires_after(limits().head_timeout, m_started);
    parse_head();
  }

  // Gives the parser what the buffer holds and reads more only while the head is incomplete, so
  // that a head that came in one read (nearly all) goes on to its answer within that read's
  // completion: Beast's async_read_header queues one more turn of the scheduler when it has
  // nothing to read. The parser checks the head's size limit; the buffer's own bound ends it too.
  void parse_head() {
    beast::error_code ec;
    if (m_buffer.size() > 0) {
      m_buffer.consume(m_parser->put(m_buffer.data(), ec));
      if (ec != http::error::need_more) return on_head(ec);
    }
    const std::size_t room = std::min<std::size_t>(4096, m_buffer.max_size() - m_buffer.size());
    if (room == 0) return on_head(http::error::buffer_overflow);
    m_stream.async_read_some(m_buffer.prepare(room), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      self->m_buffer.commit(n);
      if (ec == asio::error::eof && self->m_parser->got_some()) self->m_parser->put_eof(ec);  // partial_message
      if (ec) return self->on_head(ec);
      self->parse_head();
    });
  }

  void on_head(beast::error_code ec) {
    if (ec == http::error::body_limit)  // a Content-Length over the limit, seen in the head
      return send(refuse(Outcome::payload_too_large, "the request body is larger than the limit (--max-body-bytes)"));
    if (ec == http::error::header_limit || ec == http::error::buffer_overflow)
      return send(refuse(Outcome::header_too_large, "the request line and headers are larger than allowed"));
    if (ec == beast::error::timeout || ec == http::error::end_of_stream || ec == asio::error::eof ||
        ec == asio::error::connection_reset || ec == asio::error::operation_aborted)
      return close();
    if (ec) return send(refuse(Outcome::bad_request, "the request could not be read"));
    const auto& head = m_parser->get();
    m_request = Request{};
    m_request.method = std::string(head.method_string());
    m_request.target = std::string(head.target());
    m_head_only = head.method() == http::verb::head;
    m_keep_alive = head.keep_alive();
    m_version = head.version();
    if (!parse_target(m_request.target, m_request.path, m_request.params) || m_request.path.empty() ||
        m_request.path[0] != '/')
      return send(refuse(Outcome::bad_request, "the request target could not be read"));
    for (const auto& field : head)
      m_request.headers.emplace_back(geo::ascii_lower({field.name_string().data(), field.name_string().size()}),
                                     std::string(field.value()));
    if (auto encoding = head.find(http::field::content_encoding);
        encoding != head.end() && !beast::iequals(encoding->value(), "identity"))
      return send(refuse(Outcome::unsupported_encoding, "request bodies must not be compressed (Content-Encoding)"));
    if (auto length = m_parser->content_length(); length && *length > limits().max_body_bytes)
      return send(refuse(Outcome::payload_too_large, "the request body is larger than the limit (--max-body-bytes)"));
    if (std::optional<Response> refusal = m_server->head_check(m_request)) {
      if (!m_parser->is_done()) refusal->close = true;
      return send(std::move(*refusal));
    }
    if (m_parser->is_done()) return dispatch();
    if (!reserve_body(m_parser->content_length().value_or(limits().max_body_bytes))) {
      Response busy = refuse(Outcome::busy, "too many request bodies at once; try again shortly");
      busy.set_header("Retry-After", "1");
      return send(std::move(busy));
    }
    if (auto expect = head.find(http::field::expect);
        expect != head.end() && beast::iequals(expect->value(), "100-continue")) {
      expires_after(limits().request_timeout);
      return asio::async_write(m_stream, asio::buffer(kContinue, sizeof kContinue - 1),
                               [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                 if (ec) return self->close();
                                 self->read_body();
                               });
    }
    read_body();
  }

  void read_body() {
    expires_after(limits().request_timeout);
    http::async_read(m_stream, m_buffer, *m_parser, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec == http::error::body_limit)
        return self->send(
            self->refuse(Outcome::payload_too_large, "the request body is larger than the limit (--max-body-bytes)"));
      if (self->m_timed_out)
        return self->send(self->refuse(Outcome::request_timeout, "the request body did not arrive in time"));
      if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset)
        return self->close();
      if (ec) return self->send(self->refuse(Outcome::bad_request, "the request body could not be read"));
      self->dispatch();
    });
  }

  void dispatch() {
    m_deadline = Clock::time_point::max();  // the handler takes its time (heavy routes: their own limits)
    m_request.body = std::move(m_parser->get().body());
    m_parser.reset();
    auto self = shared_from_this();
    // A light route answers within handle(), on this connection's strand: dispatch writes the
    // answer there and then (post queued it for another turn of the scheduler); a heavy
    // one answers from a worker, and dispatch posts it to the strand.
    m_server->handle(std::move(m_request), [self](Response res) {
      asio::dispatch(self->m_stream.get_executor(),
                     [self, res = std::move(res)]() mutable { self->send(std::move(res)); });
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
    if (res.stream) return send_stream(std::move(res), close_after);
    // The head written here into one reused string, and the body beside it in the same write
    // (one sendmsg): Beast's serializer walked the fields buffer by buffer for every answer.
    m_head.clear();
    m_head += "HTTP/1.1 ";
    m_head += std::to_string(res.status);
    m_head += ' ';
    const auto reason = http::obsolete_reason(static_cast<http::status>(res.status));
    m_head.append(reason.data(), reason.size());
    m_head += "\r\nServer: placedist\r\n";
    if (!res.content_type.empty()) add_field("Content-Type", res.content_type);
    for (const auto& [name, value] : res.headers) add_field(name, value);
    if (close_after) m_head += "Connection: close\r\n";
    // 204/304: no body, and no Content-Length of 0 either (a 304 would claim the resource is
    // empty); the handler's ETag and other headers go out as set. HEAD: the length, no body.
    const bool body_allowed = res.status != 204 && res.status != 304;
    if (body_allowed) {
      m_head += "Content-Length: ";
      m_head += std::to_string(res.body.size());
      m_head += "\r\n";
    }
    m_head += "\r\n";
    m_body = body_allowed && !m_head_only ? std::move(res.body) : std::string();
    res.body.clear();
    m_answer = std::move(res);
    // Counted as it is handed to the socket, before the client can have it: a client that then
    // scrapes /metrics on another connection finds it counted (counted after the write, the count
    // waited for the writing thread, which the OS may take off its core in between).
    const Clock::time_point now = Clock::now();
    count(now);
    // Tried at once (the socket is non-blocking): an answer that fits the socket's send buffer,
    // as nearly all do, is written here and the connection goes on to its next request, with no
    // trip through the scheduler (async_write queues its completion even when its first send
    // wrote everything). The rest of a larger one is written asynchronously, within the deadline.
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(m_head), asio::buffer(m_body)};
    beast::error_code ec;
    const std::size_t written = m_stream.write_some(buffers, ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) ec = {};
    if (ec || written == m_head.size() + m_body.size()) {
      m_body = std::string();
      return sent(ec, close_after, now);
    }
    beast::buffers_suffix<std::array<asio::const_buffer, 2>> rest(buffers);
    rest.consume(written);
    expires_after(limits().request_timeout);
    asio::async_write(m_stream, rest, [self = shared_from_this(), close_after](beast::error_code ec, std::size_t) {
      self->m_body = std::string();
      self->sent(ec, close_after);
    });
  }

  // A header line; CR and LF in the value are dropped (a handler's value never splits the head).
  void add_field(std::string_view name, std::string_view value) {
    m_head.append(name.data(), name.size());
    m_head += ": ";
    for (char c : value)
      if (c != '\r' && c != '\n') m_head += c;
    m_head += "\r\n";
  }

  template <class Message>
  void set_head(Message& message, const Response& res, bool close_after) const {
    message.version(11);
    message.result(static_cast<unsigned>(res.status));
    message.set(http::field::server, "placedist");
    if (!res.content_type.empty()) message.set(http::field::content_type, res.content_type);
    for (const auto& [name, value] : res.headers) message.insert(name, value);
    message.keep_alive(!close_after);
  }

  // A streamed answer: the head, then each piece as one chunk as it is written, so that the
  // answer never sits in memory whole (HTTP/1.0 has no chunks: gathered into one body).
  void send_stream(Response res, bool close_after) {
    if (m_version < 11) {
      std::string body, piece;
      try {
        for (bool more = true; more;) {
          piece.clear();
          more = res.stream(piece);
          body += piece;
        }
      } catch (const std::exception&) {
        return close();
      }
      res.stream = nullptr;
      res.body = std::move(body);
      return send(std::move(res));
    }
    m_producer = std::move(res.stream);
    res.stream = nullptr;
    auto message = std::make_shared<http::response<http::empty_body>>();
    set_head(*message, res, close_after);
    message->chunked(true);
    m_answer = std::move(res);
    auto serializer = std::make_shared<http::response_serializer<http::empty_body>>(*message);
    expires_after(limits().request_timeout);
    http::async_write_header(
        m_stream, *serializer,
        [self = shared_from_this(), message, serializer, close_after](beast::error_code ec, std::size_t) {
          if (ec || self->m_head_only) return self->sent(ec, close_after);
          self->write_piece(close_after);
        });
  }

  void write_piece(bool close_after) {
    bool more = true;
    m_piece.clear();
    try {
      while (more && m_piece.empty()) more = m_producer(m_piece);
    } catch (const std::exception&) {
      m_producer = nullptr;
      return close();  // the head is out: an incomplete chunked body tells the client
    }
    expires_after(limits().request_timeout);  // per piece: a slow reader holds one piece
    auto self = shared_from_this();
    if (!more) {
      m_producer = nullptr;
      auto last = [self, close_after](beast::error_code ec, std::size_t) {
        if (ec) return self->sent(ec, close_after);
        asio::async_write(self->m_stream, http::make_chunk_last(),
                          [self, close_after](beast::error_code ec2, std::size_t) { self->sent(ec2, close_after); });
      };
      if (m_piece.empty()) return last({}, 0);
      return asio::async_write(m_stream, http::make_chunk(asio::buffer(m_piece)), std::move(last));
    }
    asio::async_write(m_stream, http::make_chunk(asio::buffer(m_piece)),
                      [self, close_after](beast::error_code ec, std::size_t) {
                        if (ec) return self->sent(ec, close_after);
                        self->write_piece(close_after);
                      });
  }

  // After an answer is written (or failed to be).
  void sent(beast::error_code ec, bool close_after, Clock::time_point now = Clock::now()) {
    count(now);
    m_counted = false;
    m_producer = nullptr;
    m_piece = std::string();
    if (ec) return close();
    if (close_after) return linger();
    m_head_only = false;
    read_first(now);
  }

  // The answer and its time since the head came, once (HttpServer::Done): a whole answer as it is
  // handed to the socket, a streamed one once written.
  void count(Clock::time_point now) {
    if (m_counted) return;
    m_counted = true;
    m_server->done(m_answer, std::chrono::duration<double>(now - m_started).count());
  }

  // Closes after an answer the client may still be sending to: stop sending, then read and
  // discard briefly (bounded) so that the client sees the answer rather than a reset.
  void linger() {
    beast::error_code ignored;
    m_stream.shutdown(tcp::socket::shutdown_send, ignored);
    m_buffer.clear();
    expires_after(std::chrono::seconds(2));
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
    m_stream.shutdown(tcp::socket::shutdown_both, ignored);
    m_stream.close(ignored);
    m_timer.cancel();
  }

  // Deadlines. Each phase (idle, head, body, answer, linger) sets one; a single timer per
  // connection enforces it, and is re-armed only when it fires before the deadline it finds or
  // when a deadline comes sooner than it would fire: a request costs no timer operation (Beast's
  // tcp_stream armed and cancelled one for every read and write). Past the deadline the socket is
  // closed, which ends whatever read or write is waiting.
  void expires_after(std::chrono::milliseconds timeout, Clock::time_point now = Clock::now()) {
    const Clock::time_point deadline = now + timeout;
    const bool sooner = deadline < m_timer.expiry();
    m_deadline = deadline;
    if (sooner) watch();  // replaces the wait (the old one completes as aborted)
  }

  void watch() {
    m_timer.expires_at(m_deadline);
    m_timer.async_wait([weak = weak_from_this()](beast::error_code ec) {
      std::shared_ptr<Session> self = weak.lock();  // the timer keeps no connection alive
      if (!self || ec == asio::error::operation_aborted || !self->m_stream.is_open()) return;
      if (Clock::now() < self->m_deadline) return self->watch();
      self->m_timed_out = true;
      self->close();
    });
  }

  HttpServer::Impl* m_server;
  tcp::socket m_stream;
  asio::steady_timer m_timer;  // enforces m_deadline (watch)
  Clock::time_point m_deadline = Clock::time_point::max();
  bool m_timed_out = false;  // the deadline passed: the socket was closed
  beast::flat_buffer m_buffer;
  std::optional<http::request_parser<http::string_body>> m_parser;
  Request m_request;
  Response m_answer;
  std::function<bool(std::string&)> m_producer;  // of the streamed answer being written
  std::string m_piece;                           // its piece being written
  std::string m_head;                            // the head of the answer being written (reused)
  std::string m_body;                            // its body
  unsigned m_version = 11;                       // of the request: 10 is HTTP/1.0
  Clock::time_point m_started;
  bool m_keep_alive = true;
  bool m_head_only = false;
  bool m_counted = false;  // the answer being written has been counted (count)
  std::size_t m_drained = 0;
  std::size_t m_reserved = 0;  // bytes of the body budget this request holds
};

}  // namespace

// Each connection on a strand when several threads run the io_context; with one, the strand
// would only cost a lock and a queue per completion.
asio::any_io_executor HttpServer::Impl::connection_executor() {
  return threads > 1 ? asio::any_io_executor(asio::make_strand(*ioc)) : asio::any_io_executor(ioc->get_executor());
}

void HttpServer::Impl::accept() {
  acceptor->async_accept(connection_executor(), [self = this](beast::error_code ec, tcp::socket socket) {
    if (!self->acceptor->is_open()) return;
    if (ec) {
      // Out of file descriptors or similar: wait a little rather than spin.
      self->retry->expires_after(std::chrono::milliseconds(50));
      self->retry->async_wait([self](beast::error_code) { self->accept(); });
      return;
    }
    self->take(std::move(socket));
    // The rest of a burst (a client opening hundreds at once) in this turn, up to 256: one
    // accept per turn waited behind every request queued meanwhile, so the last of 1,000
    // connections opened together waited ~0.2 s for its first answer.
    for (int more = 0; more < 256; ++more) {
      tcp::socket next(self->connection_executor());
      self->acceptor->accept(next, ec);  // non-blocking (bind): would_block once none is waiting
      if (ec) break;
      self->take(std::move(next));
    }
    self->accept();
  });
}

// A new connection: served, or past the cap answered 503 at once and closed.
void HttpServer::Impl::take(tcp::socket socket) {
  beast::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  if (connections.load(std::memory_order_relaxed) >= limits.max_connections) {
    socket.non_blocking(true, ignored);
    socket.write_some(asio::buffer(busy_answer), ignored);
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  } else {
    std::make_shared<Session>(this, std::move(socket))->start();
  }
}

HttpServer::HttpServer(TransportLimits limits, HeadCheck head_check, Handle handle, Done done, Refuse refuse)
    : m_impl(std::make_unique<Impl>()) {
  m_impl->limits = limits;
  m_impl->head_check = std::move(head_check);
  m_impl->handle = std::move(handle);
  m_impl->done = std::move(done);
  m_impl->refuse = std::move(refuse);
  m_impl->busy_answer = busy_answer(m_impl->refuse(Outcome::busy, "too many open connections; try again shortly"));
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  m_impl->threads = limits.io_threads > 0 ? limits.io_threads : cores;
  m_impl->ioc = std::make_unique<asio::io_context>(m_impl->threads);
  m_impl->acceptor.emplace(*m_impl->ioc);
  m_impl->retry.emplace(*m_impl->ioc);
}

HttpServer::~HttpServer() = default;

int HttpServer::bind(const std::string& address, int port) {
  Impl& s = *m_impl;
  beast::error_code ec;
  auto ip = asio::ip::make_address(address == "localhost" ? "127.0.0.1" : address, ec);
  if (ec) throw std::runtime_error("cannot bind to " + address + ": not an IP address");
  tcp::endpoint endpoint(ip, static_cast<unsigned short>(port));
  s.acceptor->open(endpoint.protocol(), ec);
  if (!ec) s.acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor->bind(endpoint, ec);
  if (!ec) s.acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) s.acceptor->non_blocking(true, ec);  // accept() takes a burst without waiting (Impl::accept)
  if (ec) throw std::runtime_error("cannot bind to " + address + ":" + std::to_string(port) + ": " + ec.message());
  return s.acceptor->local_endpoint().port();
}

void HttpServer::run() {
  Impl& s = *m_impl;
  s.accept();
  s.running = true;
  std::vector<std::thread> others;
  for (int i = 1; i < s.threads; ++i) others.emplace_back([&s] { s.ioc->run(); });
  s.ioc->run();
  for (std::thread& t : others) t.join();
  s.running = false;
}

void HttpServer::stop() {
  asio::post(*m_impl->ioc, [impl = m_impl.get()] {
    beast::error_code ignored;
    impl->acceptor->close(ignored);
    impl->retry->cancel();
    impl->ioc->stop();
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
