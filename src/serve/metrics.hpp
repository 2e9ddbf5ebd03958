#pragma once
// Request counters and latency histograms for /metrics, in the Prometheus text exposition
// format (version 0.0.4). Latencies are seconds. Routes are registered before the server
// starts; recording is lock-free (atomics) except for error codes, which are rare.
#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace placedist::serve {

class Metrics {
 public:
  // Upper bounds of the latency buckets, seconds.
  static constexpr std::array<double, 12> kBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                      0.01,   0.025,   0.05,   0.1,   0.5,    2.5};
  Metrics();

  // Returns the id to record under; id 0 is "unmatched" (no route). Not thread-safe: call
  // before serving.
  int add_route(const std::string& method, const std::string& path);

  void record(int route, int status, double seconds);
  void record_error(const std::string& code);
  void add_postcodes(std::uint64_t n) { m_postcodes.fetch_add(n, std::memory_order_relaxed); }

  std::string render() const;

 private:
  static constexpr std::array<int, 9> kStatuses = {200, 400, 401, 404, 413, 500, 501, 503, 0};  // 0: other
  struct Route {
    std::string method, path;
    std::array<std::atomic<std::uint64_t>, kStatuses.size()> by_status{};
    std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets{};  // last: +Inf
    std::atomic<std::uint64_t> micros_sum{0};
  };
  std::vector<std::unique_ptr<Route>> m_routes;
  std::atomic<std::uint64_t> m_postcodes{0};
  mutable std::mutex m_errors_mutex;
  std::map<std::string, std::uint64_t> m_errors;
};

}  // namespace placedist::serve
