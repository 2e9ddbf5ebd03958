#pragma once
// A run's output files (layers, styles, project, report, placements.csv) that appear in a
// folder whole or not at all. They are written into DIR/.placedist-staging-PID/ (mode 0700;
// each file created exclusively with mode 0600, see atomic_file.hpp), and publish() fsyncs
// them, takes down the folder's manifest, renames them into DIR, removes the earlier set's
// files that this set does not have, and writes the new manifest last (in the staging folder,
// fsync, renamed into DIR, fsync of DIR). The manifest, DIR/placedist-manifest.json, lists each file's name,
// size and SHA-256:
//   - present: every file it lists is in DIR with that content, a complete set;
//   - absent: a publish was interrupted between its first rename and the manifest (or no set
//     was ever published); the next run publishes a whole set.
// A staging folder whose process no longer runs (a killed run) is removed by the next
// OutputSet of the same folder. Staging inside DIR keeps the personal data of placements.csv
// within what the user named, and on the same file system, so that publishing is renames.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace placedist::geo {

inline constexpr const char* kManifestName = "placedist-manifest.json";

struct ManifestEntry {
  std::string name;    // a file name in the folder (no path)
  std::string sha256;  // lower-case hex
  std::uintmax_t size = 0;
};

class OutputSet {
 public:
  // Creates DIR (and parents) and a fresh staging folder in it; removes stale ones.
  explicit OutputSet(std::filesystem::path folder);
  // Unpublished: the staging folder and everything in it is removed.
  ~OutputSet();
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;

  const std::filesystem::path& folder() const { return m_folder; }
  // Where the run writes its files (by their final names).
  const std::filesystem::path& staging() const { return m_staging; }
  // Publishes every regular file in the staging folder as described above. Throws
  // std::runtime_error (the folder then keeps whatever was published, without a manifest).
  std::vector<ManifestEntry> publish();

 private:
  std::filesystem::path m_folder, m_staging;
  bool m_published = false;
};

// The manifest of `folder`, empty when it has none or it cannot be read.
std::vector<ManifestEntry> read_manifest(const std::filesystem::path& folder);
// SHA-256 of a file, lower-case hex. Throws std::runtime_error when it cannot be read.
std::string file_sha256(const std::filesystem::path& path);

}  // namespace placedist::geo
