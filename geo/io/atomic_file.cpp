#include "geo/io/atomic_file.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace placedist::geo {
namespace {

std::filesystem::path temporary_name(const std::filesystem::path& target) {
  static std::atomic<unsigned> counter{0};
  std::filesystem::path name = target;
  name += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  return name;
}

}  // namespace

AtomicFile::AtomicFile(std::filesystem::path target) : m_target(std::move(target)) {
  if (m_target == "-") {
    m_stdout = true;
    m_stream = stdout;
    return;
  }
  std::error_code ec;
  auto status = std::filesystem::status(m_target, ec);
  if (!ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    if (std::filesystem::is_directory(status)) throw std::runtime_error(m_target.string() + " is a directory");
    m_in_place = true;
    m_stream = std::fopen(m_target.c_str(), "wb");
    if (!m_stream) throw std::runtime_error("cannot write " + m_target.string() + ": " + std::strerror(errno));
    return;
  }
  std::filesystem::path folder = m_target.parent_path();
  if (!folder.empty()) std::filesystem::create_directories(folder);
  m_temporary = temporary_name(m_target);
  m_stream = std::fopen(m_temporary.c_str(), "wb");
  if (!m_stream) throw std::runtime_error("cannot write " + m_temporary.string() + ": " + std::strerror(errno));
  std::setvbuf(m_stream, nullptr, _IOFBF, 1 << 20);
}

AtomicFile::~AtomicFile() {
  if (m_stdout) {
    std::fflush(stdout);
    return;
  }
  if (m_stream) std::fclose(m_stream);
  if (!m_committed && !m_temporary.empty()) {
    std::error_code ignored;
    std::filesystem::remove(m_temporary, ignored);
  }
}

void AtomicFile::write(std::string_view bytes) {
  if (!bytes.empty()) std::fwrite(bytes.data(), 1, bytes.size(), m_stream);
}

void AtomicFile::commit() {
  if (m_stdout) {
    if (std::fflush(stdout) != 0) throw std::runtime_error("cannot write to standard output");
    m_committed = true;
    return;
  }
  bool failed = std::ferror(m_stream) != 0;
  failed |= std::fclose(m_stream) != 0;
  m_stream = nullptr;
  if (failed)
    throw std::runtime_error("cannot write " + (m_in_place ? m_target : m_temporary).string() + " (disk full?)");
  if (!m_in_place) std::filesystem::rename(m_temporary, m_target);
  m_committed = true;
}

void write_atomically(const std::filesystem::path& target,
                      const std::function<void(const std::filesystem::path& temporary)>& write) {
  const std::filesystem::path temporary = temporary_name(target);
  try {
    write(temporary);
    std::filesystem::rename(temporary, target);  // readers see no file or a whole one
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw;
  }
}

}  // namespace placedist::geo
