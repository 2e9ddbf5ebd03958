#include "geo/io/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
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

// A new file, mode 0600 whatever the umask; throws when it cannot be created.
int create_private(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot write " + path.string() + ": " + std::strerror(errno));
  return fd;
}

// Makes a file's content, or a folder's entries, durable (fsync); false when that fails.
bool sync(const std::filesystem::path& path, bool folder) {
  const int fd = ::open(path.c_str(), (folder ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

std::filesystem::path folder_of(const std::filesystem::path& target) {
  return target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
}

// The mode a file created with the process's umask would have (0666 & ~umask), read without
// changing the umask (which is process-wide); 0644 when /proc does not say.
mode_t usual_mode() {
  static const mode_t mode = [] {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
      if (line.rfind("Umask:", 0) == 0) return static_cast<mode_t>(0666 & ~std::stoul(line.substr(6), nullptr, 8));
    return static_cast<mode_t>(0644);
  }();
  return mode;
}

// A process id in text ("1234") whose process no longer runs.
bool dead_process(std::string_view digits) {
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string_view::npos)
    return false;
  const pid_t pid = static_cast<pid_t>(std::stol(std::string(digits)));
  return pid > 0 && pid != ::getpid() && ::kill(pid, 0) != 0 && errno == ESRCH;
}

}  // namespace

void remove_stale_temporaries(const std::filesystem::path& target) {
  std::error_code ec;
  const std::filesystem::path folder = target.parent_path().empty() ? "." : target.parent_path();
  const std::string prefix = target.filename().string() + ".tmp.";
  for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    std::string_view rest = std::string_view(name).substr(prefix.size());  // PID.N
    const std::size_t dot = rest.find('.');
    if (dot == std::string_view::npos || rest.substr(dot + 1).empty() ||
        rest.substr(dot + 1).find_first_not_of("0123456789") != std::string_view::npos)
      continue;
    if (!dead_process(rest.substr(0, dot)) || !it->is_regular_file(ec)) continue;
    std::error_code ignored;
    std::filesystem::remove(it->path(), ignored);
  }
}

void remove_stale_staging(const std::filesystem::path& folder, std::string_view prefix) {
  std::error_code ec;
  for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= prefix.size() || std::string_view(name).substr(0, prefix.size()) != prefix) continue;
    if (!dead_process(std::string_view(name).substr(prefix.size()))) continue;
    std::error_code ignored;
    std::filesystem::remove_all(it->path(), ignored);
  }
}

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
  remove_stale_temporaries(m_target);
  m_temporary = temporary_name(m_target);
  const int fd = create_private(m_temporary);
  m_stream = ::fdopen(fd, "wb");
  if (!m_stream) {
    const int error = errno;
    ::close(fd);
    std::error_code ignored;
    std::filesystem::remove(m_temporary, ignored);
    m_temporary.clear();
    throw std::runtime_error("cannot write " + m_target.string() + ": " + std::strerror(error));
  }
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
  failed |= std::fflush(m_stream) != 0;
  // Complete now: the mode a file written in place would have had.
  if (!m_in_place) failed |= ::fchmod(::fileno(m_stream), usual_mode()) != 0;
  // On disk before it is named: a crash after the rename never leaves an empty or torn file.
  if (!m_in_place) failed |= ::fsync(::fileno(m_stream)) != 0;
  failed |= std::fclose(m_stream) != 0;
  m_stream = nullptr;
  if (failed)
    throw std::runtime_error("cannot write " + (m_in_place ? m_target : m_temporary).string() + " (disk full?)");
  if (!m_in_place) {
    std::filesystem::rename(m_temporary, m_target);
    sync(folder_of(m_target), true);  // the rename itself (best effort: some file systems refuse)
  }
  m_committed = true;
}

void write_atomically(const std::filesystem::path& target,
                      const std::function<void(const std::filesystem::path& temporary)>& write) {
  remove_stale_temporaries(target);
  const std::filesystem::path temporary = temporary_name(target);
  ::close(create_private(temporary));
  try {
    write(temporary);
    ::chmod(temporary.c_str(), usual_mode());  // complete now: the usual mode
    if (!sync(temporary, false)) throw std::runtime_error("cannot sync " + temporary.string() + " (disk full?)");
    std::filesystem::rename(temporary, target);  // readers see no file or a whole one
    sync(folder_of(target), true);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw;
  }
}

}  // namespace placedist::geo
