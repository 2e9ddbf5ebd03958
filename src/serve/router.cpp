#include "src/serve/router.hpp"

#include <cstdio>
#include <typeinfo>

#include "src/serve/api_error.hpp"
#include "src/serve/metrics.hpp"

using namespace placedist::geo;

namespace placedist::serve {

namespace {
thread_local int t_route = 0;

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 1;  // paths start with '/'
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

// Whether `path` matches a route's segments; when it does and `matches` is given, fills it ([0]
// the path, then the {segments}). Nothing is allocated for a route that does not match: every
// request is tried against the routes in turn.
bool matches_route(const std::vector<std::string>& segments, const std::string& path,
                   std::vector<std::string>* matches) {
  if (path.empty() || path[0] != '/') return false;
  if (matches) {
    if (!matches_route(segments, path, nullptr)) return false;
    matches->clear();
    matches->push_back(path);
  }
  std::size_t at = 1;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (at > path.size()) return false;
    const std::string& segment = segments[i];
    if (segment == "{*}") {
      if (at >= path.size()) return false;
      if (matches) matches->push_back(path.substr(at));
      return true;
    }
    std::size_t slash = path.find('/', at);
    std::size_t end = slash == std::string::npos ? path.size() : slash;
    std::string_view part(path.data() + at, end - at);
    if (segment == "{}") {
      if (part.empty()) return false;
      if (matches) matches->emplace_back(part);
    } else if (part != segment) {
      return false;
    }
    bool last = i + 1 == segments.size();
    if (last != (slash == std::string::npos)) return false;
    at = end + 1;
  }
  return true;
}
}  // namespace

int current_route() { return t_route; }
void reset_current_route() { t_route = 0; }

std::string mask_digits(std::string text) {
  for (char& c : text)
    if (c >= '0' && c <= '9') c = '#';
  return text;
}

void Router::add(const char* method, const std::string& path, Handler handler, Work work, ErrorStyle style) {
  std::string documented = path;
  if (auto star = documented.find("*}"); star != std::string::npos) documented.erase(star, 1);
  Entry entry;
  entry.method = method;
  for (const std::string& segment : split_path(path)) {
    if (segment.size() >= 2 && segment.front() == '{')
      entry.segments.push_back(segment.back() == '}' && segment[segment.size() - 2] == '*' ? "{*}" : "{}");
    else
      entry.segments.push_back(segment);
  }
  entry.label = std::string(method) + " " + documented;
  entry.metric_id = m_metrics.add_route(method, documented);
  entry.work = work;
  entry.style = style;
  entry.handler = std::move(handler);
  m_entries.push_back(std::move(entry));
  m_routes.push_back({std::string(method) == "GET" ? "get" : "post", documented});
}

void Router::get(const std::string& path, Handler handler, Work work, ErrorStyle style) {
  add("GET", path, std::move(handler), work, style);
}
void Router::post(const std::string& path, Handler handler, Work work, ErrorStyle style) {
  add("POST", path, std::move(handler), work, style);
}

Router::Match Router::match(const std::string& method, const std::string& path,
                            std::vector<std::string>& matches) const {
  Match out;
  const std::string_view wanted = method == "HEAD" ? std::string_view("GET") : std::string_view(method);
  for (std::size_t i = 0; i < m_entries.size(); ++i) {
    const Entry& entry = m_entries[i];
    if (entry.method != wanted) {
      if (!out.path_known && matches_route(entry.segments, path, nullptr)) out.path_known = true;
      continue;
    }
    if (matches_route(entry.segments, path, &matches)) {
      out.index = static_cast<int>(i);
      out.path_known = true;
      out.work = entry.work;
      out.style = entry.style;
      return out;
    }
  }
  matches.clear();
  return out;
}

Router::Match Router::at(int index) const {
  const Entry& entry = m_entries.at(static_cast<std::size_t>(index));
  Match out;
  out.index = index;
  out.path_known = true;
  out.work = entry.work;
  out.style = entry.style;
  return out;
}

void Router::handle(int index, const Request& req, Response& res) const {
  const Entry& entry = m_entries.at(static_cast<std::size_t>(index));
  t_route = entry.metric_id;
  set_current_error_code("");
  const std::string& label = entry.label;
  try {
    entry.handler(req, res);
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
  res.route = entry.metric_id;
  res.error_code = current_error_code();
  if (entry.style == ErrorStyle::postcodes_io && *res.error_code && res.status >= 400 &&
      res.body.rfind("{\"code\":", 0) == 0)
    rewrite_as_postcodes_io_error(res);
  set_current_error_code("");
  t_route = 0;
}

}  // namespace placedist::serve
