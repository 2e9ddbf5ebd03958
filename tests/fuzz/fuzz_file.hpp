#pragma once
// An input of a fuzz target as a file the code under test can open by name: an anonymous memory
// file (memfd), named /proc/self/fd/N, so that no fuzzing run writes to disk or leaves files.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace placedist::fuzz {

class MemoryFile {
 public:
  MemoryFile(const std::uint8_t* data, std::size_t size) : m_fd(::memfd_create("placedist-fuzz", MFD_CLOEXEC)) {
    if (m_fd < 0) std::abort();  // the harness itself failed: nothing to fuzz
    for (std::size_t done = 0; done < size;) {
      ssize_t n = ::write(m_fd, data + done, size - done);
      if (n <= 0) std::abort();
      done += static_cast<std::size_t>(n);
    }
  }
  ~MemoryFile() { ::close(m_fd); }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  std::string path() const { return "/proc/self/fd/" + std::to_string(m_fd); }

 private:
  int m_fd;
};

// A finding that is a wrong answer rather than a crash: abort, so libFuzzer saves the input.
inline void require(bool holds) {
  if (!holds) std::abort();
}

}  // namespace placedist::fuzz
