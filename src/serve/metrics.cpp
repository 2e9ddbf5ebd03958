#include "src/serve/metrics.hpp"

#include <cstdio>

namespace placedist::serve {

Metrics::Metrics() { add_route("", "unmatched"); }

int Metrics::add_route(const std::string& method, const std::string& path) {
  m_routes.push_back(std::make_unique<Route>());
  m_routes.back()->method = method;
  m_routes.back()->path = path;
  return static_cast<int>(m_routes.size() - 1);
}

void Metrics::record(int route, int status, double seconds) {
  if (route < 0 || route >= static_cast<int>(m_routes.size())) route = 0;
  Route& r = *m_routes[route];
  std::size_t s = 0;
  while (s + 1 < kStatuses.size() && kStatuses[s] != status) ++s;
  r.by_status[s].fetch_add(1, std::memory_order_relaxed);
  std::size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  r.buckets[b].fetch_add(1, std::memory_order_relaxed);
  r.micros_sum.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void Metrics::record_error(const std::string& code) {
  std::lock_guard lock(m_errors_mutex);
  ++m_errors[code];
}

std::string Metrics::render() const {
  std::string out;
  char line[512];
  auto labels = [](const Route& r) {
    return "route=\"" + r.path + "\",method=\"" + (r.method.empty() ? std::string("any") : r.method) + "\"";
  };
  out += "# HELP placedist_http_requests_total HTTP requests answered, by route and status.\n";
  out += "# TYPE placedist_http_requests_total counter\n";
  for (const auto& r : m_routes) {
    for (std::size_t s = 0; s < kStatuses.size(); ++s) {
      std::uint64_t n = r->by_status[s].load(std::memory_order_relaxed);
      if (n == 0) continue;
      std::string status = kStatuses[s] ? std::to_string(kStatuses[s]) : "other";
      std::snprintf(line, sizeof line, "placedist_http_requests_total{%s,status=\"%s\"} %llu\n", labels(*r).c_str(),
                    status.c_str(), static_cast<unsigned long long>(n));
      out += line;
    }
  }
  out += "# HELP placedist_http_request_duration_seconds Time from reading the request to handing back the response.\n";
  out += "# TYPE placedist_http_request_duration_seconds histogram\n";
  for (const auto& r : m_routes) {
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += r->buckets[b].load(std::memory_order_relaxed);
      std::string le = b < kBuckets.size() ? std::to_string(kBuckets[b]) : "+Inf";
      if (b < kBuckets.size()) {
        std::snprintf(line, sizeof line, "%g", kBuckets[b]);
        le = line;
      }
      std::snprintf(line, sizeof line, "placedist_http_request_duration_seconds_bucket{%s,le=\"%s\"} %llu\n",
                    labels(*r).c_str(), le.c_str(), static_cast<unsigned long long>(cumulative));
      out += line;
    }
    std::snprintf(line, sizeof line, "placedist_http_request_duration_seconds_sum{%s} %.6f\n", labels(*r).c_str(),
                  r->micros_sum.load(std::memory_order_relaxed) / 1e6);
    out += line;
    std::snprintf(line, sizeof line, "placedist_http_request_duration_seconds_count{%s} %llu\n", labels(*r).c_str(),
                  static_cast<unsigned long long>(cumulative));
    out += line;
  }
  out += "# HELP placedist_http_errors_total Error responses by their stable code.\n";
  out += "# TYPE placedist_http_errors_total counter\n";
  {
    std::lock_guard lock(m_errors_mutex);
    for (const auto& [code, n] : m_errors) {
      std::snprintf(line, sizeof line, "placedist_http_errors_total{code=\"%s\"} %llu\n", code.c_str(),
                    static_cast<unsigned long long>(n));
      out += line;
    }
  }
  out += "# HELP placedist_postcodes_looked_up_total Postcodes looked up, single and bulk.\n";
  out += "# TYPE placedist_postcodes_looked_up_total counter\n";
  std::snprintf(line, sizeof line, "placedist_postcodes_looked_up_total %llu\n",
                static_cast<unsigned long long>(m_postcodes.load(std::memory_order_relaxed)));
  out += line;
  return out;
}

}  // namespace placedist::serve
