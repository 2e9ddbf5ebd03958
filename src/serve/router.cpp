#include "src/serve/router.hpp"

#include <httplib.h>

#include <cstdio>
#include <regex>
#include <typeinfo>

#include "src/serve/api_error.hpp"
#include "src/serve/metrics.hpp"

using namespace placedist::geo;

namespace placedist::serve {

namespace {
thread_local int t_route = 0;
}

int current_route() { return t_route; }
void reset_current_route() { t_route = 0; }

std::string mask_digits(std::string text) {
  for (char& c : text)
    if (c >= '0' && c <= '9') c = '#';
  return text;
}

std::string Router::pattern(const std::string& path) const {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '{') {
      std::size_t close = path.find('}', i);
      bool rest = path[close - 1] == '*';
      out += rest ? "(.+)" : "([^/]+)";
      i = close;
    } else if (std::string(".+*?^$()[]|\\").find(path[i]) != std::string::npos) {
      out += '\\';
      out += path[i];
    } else {
      out += path[i];
    }
  }
  return out;
}

Handler Router::wrap(int route, const std::string& label, Handler handler) {
  return [route, label, handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
    t_route = route;
    try {
      handler(req, res);
    } catch (const ApiError& e) {
      write_error(res, e.code(), e.what());
    } catch (const Failure& e) {
      if (group(e.outcome()) != OutcomeGroup::request) {
        std::fprintf(stderr, "placedist serve: %s in %s: %s\n", to_string(e.outcome()), label.c_str(),
                     mask_digits(e.what()).c_str());
        write_error(res, ApiCode::internal, "internal error (logged); please report it");
      } else {
        write_error(res, e.outcome(), e.what());
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "placedist serve: internal error in %s: %s: %s\n", label.c_str(), typeid(e).name(),
                   mask_digits(e.what()).c_str());
      write_error(res, ApiCode::internal, "internal error (logged); please report it");
    } catch (...) {
      std::fprintf(stderr, "placedist serve: internal error in %s: unknown exception\n", label.c_str());
      write_error(res, ApiCode::internal, "internal error (logged); please report it");
    }
  };
}

void Router::get(const std::string& path, Handler handler) {
  std::string documented = path;
  if (auto star = documented.find("*}"); star != std::string::npos) documented.erase(star, 1);
  int id = m_metrics.add_route("GET", documented);
  m_routes.push_back({"get", documented});
  m_server.Get(pattern(path), wrap(id, "GET " + documented, std::move(handler)));
}

void Router::post(const std::string& path, Handler handler) {
  int id = m_metrics.add_route("POST", path);
  m_routes.push_back({"post", path});
  m_server.Post(pattern(path), wrap(id, "POST " + path, std::move(handler)));
}

}  // namespace placedist::serve
