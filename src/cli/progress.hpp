#pragma once
// A progress line on stderr, drawn only when stderr is a terminal and at most ten times a
// second, so that batch jobs in a pipeline or a log stay clean.
#include <chrono>
#include <cstdint>
#include <string>

namespace placedist::cli {

class Progress {
 public:
  explicit Progress(std::string label);
  ~Progress();
  // done and total in any unit (bytes, rows); total 0 when unknown.
  void update(std::uint64_t done, std::uint64_t total, std::uint64_t rows);
  void finish();
  bool enabled() const { return m_enabled; }

 private:
  std::string m_label;
  bool m_enabled;
  bool m_drawn = false;
  std::chrono::steady_clock::time_point m_start, m_last;
};

// Prints "placedist: message" on stderr, always (for stage messages of long builds).
void note(const std::string& message);

}  // namespace placedist::cli
