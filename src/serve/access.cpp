#include "src/serve/access.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <random>

#include "geo/io/ascii_case.hpp"
#include "src/serve/api_error.hpp"

namespace placedist::serve {

namespace {

// Compares in time independent of where the strings first differ.
bool same_secret(std::string_view given, std::string_view expected) {
  if (expected.empty()) return false;
  unsigned char diff = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < given.size(); ++i)
    diff |= static_cast<unsigned char>(given[i] ^ expected[i % expected.size()]);
  return diff == 0;
}

// "host:port", "[v6]:port", "host": the host, lower-case.
std::string host_part(std::string_view authority) {
  if (!authority.empty() && authority.front() == '[') {
    std::size_t close = authority.find(']');
    return geo::ascii_lower(authority.substr(0, close == std::string_view::npos ? authority.size() : close + 1));
  }
  return geo::ascii_lower(authority.substr(0, authority.find(':')));
}

bool wildcard(const std::string& bind) { return bind == "0.0.0.0" || bind == "::" || bind == "[::]"; }

std::string random_hex(std::size_t bytes) {
  std::random_device device;  // /dev/urandom on Linux
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes; ++i) {
    unsigned value = device() & 0xFFu;
    out.push_back(digits[value >> 4]);
    out.push_back(digits[value & 15]);
  }
  return out;
}

Response refusal(ApiCode code, std::string_view message) {
  Response res;
  write_error(res, code, message);  // the one mapping of outcomes to statuses (api_error.cpp)
  res.error_code = to_string(code);
  return res;
}

}  // namespace

Access::Access(const ServeOptions& options)
    : m_token(options.token),
      m_session(random_hex(32)),
      m_cors(options.cors_origin),
      m_secure_cookie(options.behind_tls) {
  for (const std::string& name : options.server_names) m_hosts.push_back(host_part(name));
  if (!wildcard(options.bind)) {
    std::string bound = geo::ascii_lower(options.bind);
    if (bound.find(':') != std::string::npos && bound.front() != '[') bound = "[" + bound + "]";
    m_hosts.push_back(bound);
    if (is_loopback(options.bind))
      for (const char* name : {"localhost", "127.0.0.1", "[::1]"}) m_hosts.emplace_back(name);
  } else if (!m_hosts.empty() || !options.server_names.empty()) {
    // A wildcard bind answers whatever names were given.
  }
}

bool Access::host_allowed(std::string_view host_header) const {
  if (host_header.empty()) return false;
  if (m_hosts.empty()) return true;
  std::string host = host_part(host_header);
  return std::find(m_hosts.begin(), m_hosts.end(), host) != m_hosts.end();
}

bool Access::origin_allowed(std::string_view origin, std::string_view host_header) const {
  if (!m_cors.empty() && origin == m_cors) return true;
  std::size_t scheme = origin.find("://");
  if (scheme == std::string_view::npos) return false;  // "null" and the like
  std::string_view authority = origin.substr(scheme + 3);
  if (authority.find('/') != std::string_view::npos) return false;
  return geo::equals_ignoring_ascii_case(authority, host_header);
}

bool Access::authorised(const Request& head) const {
  if (m_token.empty()) return true;
  const std::string auth = head.get_header_value("Authorization");
  if (auth.size() > 7 && geo::starts_with_ignoring_ascii_case(auth, "bearer ")) {
    std::string_view given = std::string_view(auth).substr(7);
    while (!given.empty() && given.front() == ' ') given.remove_prefix(1);
    if (same_secret(given, m_token)) return true;
  }
  // Cookie: a=b; placedist_session=...; c=d (several Cookie headers are joined by the client).
  for (const auto& [name, value] : head.headers) {
    if (name != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      std::size_t semi = rest.find(';');
      std::string_view pair = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      std::size_t eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == kSessionCookie &&
          same_secret(pair.substr(eq + 1), m_session))
        return true;
    }
  }
  return false;
}

std::optional<Response> Access::check(const Request& head, bool open_route) const {
  const std::string host = head.get_header_value("Host");
  if (!host_allowed(host))
    return refusal(ApiCode::misdirected,
                   "this server does not answer for that host name (Host); see --server-name");
  if (head.has_header("origin")) {
    const std::string origin = head.get_header_value("Origin");
    if (!origin_allowed(origin, host))
      return refusal(ApiCode::forbidden_origin, "requests from that origin are not allowed (see --cors)");
    if (head.method == "OPTIONS" && !m_cors.empty() && origin == m_cors) {
      Response preflight;
      preflight.status = 204;
      preflight.set_header("Access-Control-Allow-Methods", "GET, POST, HEAD");
      preflight.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type");
      preflight.set_header("Access-Control-Max-Age", "600");
      add_cors(head, preflight);
      return preflight;
    }
  }
  if (!open_route && !authorised(head)) {
    Response res =
        refusal(ApiCode::unauthorized,
                "a bearer token is required (Authorization: Bearer TOKEN, or the cookie of POST /v1/session)");
    add_cors(head, res);
    return res;
  }
  return std::nullopt;
}

void Access::add_cors(const Request& req, Response& res) const {
  if (m_cors.empty() || req.get_header_value("Origin") != m_cors) return;
  res.set_header("Access-Control-Allow-Origin", m_cors);
  res.set_header("Vary", "Origin");
}

std::string Access::session_cookie() const {
  return std::string(kSessionCookie) + "=" + m_session + "; Path=/; HttpOnly; SameSite=Strict" +
         (m_secure_cookie ? "; Secure" : "");
}

bool token_file_private(const std::string& path, std::string& why) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    why = "cannot read the token file " + path;
    return false;
  }
  if (info.st_mode & (S_IRWXG | S_IRWXO)) {
    why = "the token file " + path + " is accessible by group or others; chmod 600 it";
    return false;
  }
  return true;
}

}  // namespace placedist::serve
