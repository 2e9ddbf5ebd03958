#pragma once
// An output file that appears whole or not at all: written under a temporary name in
// the same folder and renamed over the target by commit(). Destroyed uncommitted, the
// temporary is removed. "-" writes to standard output, and a target that exists but is not
// a regular file (/dev/null, a named pipe) is written in place: renaming over it would
// replace the device or pipe with a file. The temporary's name is unique to the process and
// the call, so threads writing the same target do not share it.
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string_view>

namespace placedist::geo {

class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::FILE* stream() { return m_stream; }
  void write(std::string_view bytes);
  // Flushes, checks for write errors and renames into place. Throws std::runtime_error.
  void commit();
  const std::filesystem::path& temporary_path() const { return m_temporary; }

 private:
  std::filesystem::path m_target;
  std::filesystem::path m_temporary;
  std::FILE* m_stream = nullptr;
  bool m_stdout = false;
  bool m_in_place = false;
  bool m_committed = false;
};

// For writers that take a path rather than a stream (GDAL): `write` writes the file at the
// path it is given, which is then renamed over `target`; on an exception it is removed.
void write_atomically(const std::filesystem::path& target,
                      const std::function<void(const std::filesystem::path& temporary)>& write);

}  // namespace placedist::geo
