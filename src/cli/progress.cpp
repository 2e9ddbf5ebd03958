#include "src/cli/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace placedist::cli {

Progress::Progress(std::string label)
    : m_label(std::move(label)),
      m_enabled(::isatty(STDERR_FILENO) == 1),
      m_start(std::chrono::steady_clock::now()),
      m_last(m_start) {}

Progress::~Progress() { finish(); }

void Progress::update(std::uint64_t done, std::uint64_t total, std::uint64_t rows) {
  if (!m_enabled) return;
  auto now = std::chrono::steady_clock::now();
  if (now - m_last < std::chrono::milliseconds(100)) return;
  m_last = now;
  double seconds = std::chrono::duration<double>(now - m_start).count();
  double rate = seconds > 0 ? rows / seconds : 0;
  if (total > 0) {
    double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
    int filled = static_cast<int>(fraction * 30);
    std::fprintf(stderr, "\r%s [%.*s%*s] %3.0f%%  %llu rows  %.0f rows/s ", m_label.c_str(), filled,
                 "##############################", 30 - filled, "", fraction * 100,
                 static_cast<unsigned long long>(rows), rate);
  } else {
    std::fprintf(stderr, "\r%s %llu rows  %.0f rows/s ", m_label.c_str(), static_cast<unsigned long long>(rows), rate);
  }
  m_drawn = true;
}

void Progress::finish() {
  if (m_drawn) std::fprintf(stderr, "\r\033[K");
  m_drawn = false;
}

void note(const std::string& message) { std::fprintf(stderr, "placedist: %s\n", message.c_str()); }

}  // namespace placedist::cli
