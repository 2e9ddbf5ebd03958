#pragma once
// Who may ask (issue 12): GET /v1/health, GET / and GET /static/* are open; everything else
// needs the token when one is configured, as `Authorization: Bearer TOKEN` (scheme in any case,
// RFC 6750) or as the HttpOnly SameSite=Strict cookie `placedist_session` that POST /v1/session
// gives in exchange for the token (the map page asks for it on a 401). Host must name the bound
// address (on loopback also localhost, 127.0.0.1 and [::1]) or a --server-name, else 421; an
// Origin, when sent, must be this server's own (its authority equal to Host) or the --cors one,
// else 403. CORS headers only for the --cors origin.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/serve/http_message.hpp"
#include "src/serve/options.hpp"

namespace placedist::serve {

inline constexpr const char* kSessionCookie = "placedist_session";

class Access {
 public:
  explicit Access(const ServeOptions& options);

  // The answer refusing a request by its head (421, 403, 401, a CORS preflight's 204), or
  // nullopt. `open_route`: the route needs no token (health, the page, its files).
  std::optional<Response> check(const Request& head, bool open_route) const;

  bool host_allowed(std::string_view host_header) const;
  bool origin_allowed(std::string_view origin, std::string_view host_header) const;
  bool authorised(const Request& head) const;  // token configured: bearer or cookie right
  bool token_required() const { return !m_token.empty(); }
  // Adds the CORS headers an answer to the --cors origin needs.
  void add_cors(const Request& req, Response& res) const;

  // The Set-Cookie value POST /v1/session answers with (the cookie is a random per-process
  // secret, not the token itself, so a leaked cookie dies with the process); `Secure` with
  // --behind-tls.
  std::string session_cookie() const;

 private:
  std::string m_token;
  std::string m_session;             // hex, random per process
  std::vector<std::string> m_hosts;  // lower-case, no port; empty: any (wildcard bind, no --server-name)
  std::string m_cors;
  bool m_secure_cookie = false;  // --behind-tls
};

// Whether the token file may be used: false (with the reason) when group or others may read
// or write it, as ssh refuses private keys.
bool token_file_private(const std::string& path, std::string& why);

}  // namespace placedist::serve
