#pragma once
// An output file that appears whole or not at all: written under a temporary name in
// the same folder and renamed over the target by commit(). Destroyed uncommitted, the
// temporary is removed. "-" writes to standard output, and a target that exists but is not
// a regular file (/dev/null, a named pipe) is written in place: renaming over it would
// replace the device or pipe with a file. The temporary's name is unique to the process and
// the call, so threads writing the same target do not share it. Temporaries are created with
// mode 0600 (O_CREAT|O_EXCL, whatever the umask: they may hold postcodes while they are being
// written), given the umask's usual mode when committed, and removed on failure. A temporary
// left by a killed process (TARGET.tmp.PID.N whose PID no longer runs) is removed by the next
// write of the same target.
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
// The temporary is created empty (mode 0600) before `write` runs; `write` may replace it.
void write_atomically(const std::filesystem::path& target,
                      const std::function<void(const std::filesystem::path& temporary)>& write);

// Removes TARGET.tmp.PID.N files beside `target` whose process no longer runs: the temporaries
// of a killed run. Only that name pattern of that one target; best effort.
void remove_stale_temporaries(const std::filesystem::path& target);
// Removes entries of `folder` named PREFIX + PID (files or whole folders) whose process no
// longer runs, e.g. the ".layers-tmp-" staging folders of a killed run; best effort.
void remove_stale_staging(const std::filesystem::path& folder, std::string_view prefix);

}  // namespace placedist::geo
