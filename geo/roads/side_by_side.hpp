#pragma once
// Runs work(m) for each metric, each on its own thread when the machine has two cores or more:
// the metrics' hierarchies and labels are independent. An exception thrown by either is
// rethrown here, after both have finished.
#include <exception>
#include <thread>

#include "geo/roads/metric.hpp"

namespace placedist::geo::roads::detail {

template <class Work>
void for_each_metric_side_by_side(Work&& work) {
  static_assert(kMetricCount == 2);
  if (std::thread::hardware_concurrency() < 2) {
    for (int m = 0; m < kMetricCount; ++m) work(m);
    return;
  }
  std::exception_ptr failed;
  std::thread other([&] {
    try {
      work(1);
    } catch (...) {
      failed = std::current_exception();
    }
  });
  try {
    work(0);
  } catch (...) {
    other.join();
    throw;
  }
  other.join();
  if (failed) std::rethrow_exception(failed);
}

}  // namespace placedist::geo::roads::detail
