// geo::OutputSet: a folder's set of outputs staged privately and published whole, with a
// manifest of names, sizes and SHA-256 written last.
#include "geo/io/output_set.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace placedist::geo {
namespace {

namespace fs = std::filesystem;

fs::path fresh(const std::string& name) {
  fs::path p = fs::path(PLACEDIST_TEST_WORK) / (name + "_" + std::to_string(::getpid()));
  fs::remove_all(p);
  return p;
}

void put(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

unsigned mode_of(const fs::path& path) {
  struct stat st {};
  ::lstat(path.c_str(), &st);
  return st.st_mode & 0777;
}

TEST(OutputSet, PublishesTheStagedFilesAndAManifestOfTheirSha256) {
  const fs::path dir = fresh("output_set");
  {
    OutputSet set(dir);
    EXPECT_EQ(set.staging().parent_path(), dir);
    EXPECT_EQ(set.staging().filename().string(), ".placedist-staging-" + std::to_string(::getpid()));
    EXPECT_EQ(mode_of(set.staging()), 0700u);
    put(set.staging() / "b.txt", "abc");
    put(set.staging() / "a.txt", "");
    EXPECT_FALSE(fs::exists(dir / "a.txt"));  // nothing before publish
    const auto entries = set.publish();
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_FALSE(fs::exists(set.staging()));
  }
  const auto manifest = read_manifest(dir);
  ASSERT_EQ(manifest.size(), 2u);
  EXPECT_EQ(manifest[0].name, "a.txt");  // sorted by name
  // The published SHA-256 test vectors (FIPS 180-2): "" and "abc".
  EXPECT_EQ(manifest[0].sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(manifest[1].name, "b.txt");
  EXPECT_EQ(manifest[1].sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(manifest[1].size, 3u);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 3);  // a, b, manifest
  fs::remove_all(dir);
}

TEST(OutputSet, ANewSetReplacesTheEarlierOneAndRemovesItsFilesThatItLacks) {
  const fs::path dir = fresh("output_set_replace");
  {
    OutputSet first(dir);
    put(first.staging() / "layer.geojson", "1");
    put(first.staging() / "road.geojson", "2");
    first.publish();
  }
  put(dir / "notes.txt", "the user's own");  // not in any set: left alone
  {
    OutputSet second(dir);
    put(second.staging() / "layer.geojson", "3");
    second.publish();
  }
  const auto manifest = read_manifest(dir);
  ASSERT_EQ(manifest.size(), 1u);
  EXPECT_EQ(manifest[0].name, "layer.geojson");
  EXPECT_EQ(file_sha256(dir / "layer.geojson"), manifest[0].sha256);
  EXPECT_FALSE(fs::exists(dir / "road.geojson"));
  EXPECT_TRUE(fs::exists(dir / "notes.txt"));
  fs::remove_all(dir);
}

TEST(OutputSet, AnUnpublishedSetLeavesTheFolderAsItWas) {
  const fs::path dir = fresh("output_set_unpublished");
  {
    OutputSet first(dir);
    put(first.staging() / "report.md", "old");
    first.publish();
  }
  const auto before = read_manifest(dir);
  {
    OutputSet failed(dir);
    put(failed.staging() / "report.md", "new");
  }  // an exception on the way: never published
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 2);
  const auto after = read_manifest(dir);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].sha256, before[0].sha256);
  EXPECT_EQ(file_sha256(dir / "report.md"), before[0].sha256);
  fs::remove_all(dir);
}

TEST(OutputSet, AStagingFolderOfAProcessThatIsGoneIsRemovedAndALiveOnesIsNot) {
  const fs::path dir = fresh("output_set_stale");
  fs::create_directories(dir);
  // A process id that no longer runs: a child that has exited and been reaped.
  pid_t gone = ::fork();
  if (gone == 0) ::_exit(0);
  int status = 0;
  ::waitpid(gone, &status, 0);
  const fs::path stale = dir / (".placedist-staging-" + std::to_string(gone));
  const fs::path live = dir / ".placedist-staging-1";  // init: always running
  fs::create_directories(stale);
  put(stale / "placements.csv", "personal");
  fs::create_directories(live);
  {
    OutputSet set(dir);
    EXPECT_FALSE(fs::exists(stale));
    EXPECT_TRUE(fs::exists(live));
  }
  fs::remove_all(dir);
}

TEST(OutputSet, AManifestThatIsNotOneReadsAsNone) {
  const fs::path dir = fresh("output_set_bad_manifest");
  fs::create_directories(dir);
  EXPECT_TRUE(read_manifest(dir).empty());
  put(dir / kManifestName, "{\"files\": [{\"name\": \"a\"}]}");
  EXPECT_TRUE(read_manifest(dir).empty());
  put(dir / kManifestName, "{\"files\": [");
  EXPECT_TRUE(read_manifest(dir).empty());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace placedist::geo
