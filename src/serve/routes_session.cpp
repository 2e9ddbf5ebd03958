// POST /v1/session: the map page's way to the token-protected routes without keeping the token
// in script reach. Sent with `Authorization: Bearer TOKEN` (access.hpp checks it before this
// runs), it answers with the HttpOnly SameSite=Strict cookie `placedist_session`.
#include "src/serve/access.hpp"
#include "src/serve/router.hpp"
#include "src/serve/routes.hpp"

namespace placedist::serve {

void add_session_routes(Router& router, const Access& access) {
  router.post("/v1/session", [&access](const Request&, Response& res) {
    if (!access.token_required()) {
      res.set_content("{\"status\":\"ok\",\"cookie\":false}", "application/json");
      return;
    }
    res.set_header("Set-Cookie", access.session_cookie());
    res.set_header("Cache-Control", "no-store");
    res.set_content("{\"status\":\"ok\",\"cookie\":true}", "application/json");
  });
}

}  // namespace placedist::serve
