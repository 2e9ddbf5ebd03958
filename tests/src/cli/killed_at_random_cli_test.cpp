// `placedist analyse` killed with SIGKILL at random moments (fixed seed), 50 times, while it alternates
// between two synthetic cohorts (real Code-Point 2018 postcodes, fixed seeds) writing into the
// same folder: after every kill the folder's manifest (geo/io/output_set.hpp), when there is one,
// is exactly one of the two complete sets, and every file it lists is there with its SHA-256.
// No manifest means a publish was killed after its first step (or none has finished yet); no
// file is torn even then. A final run completes and leaves no staging folder.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "geo/built_gazetteer.hpp"
#include "geo/data_dir.hpp"
#include "geo/io/output_set.hpp"
#include "src/cli/run_placedist.hpp"

using namespace placedist::geo;

namespace placedist {
namespace {

namespace fs = std::filesystem;

fs::path gazetteer_2018() { return testing::codepoint_2018_gazetteer(); }

pid_t start_analyse(const fs::path& cohort, const fs::path& out, const fs::path& log) {
  const std::string gazetteer = gazetteer_2018().string();
  pid_t pid = ::fork();
  if (pid == 0) {
    if (!std::freopen(log.c_str(), "w", stdout) || !std::freopen(log.c_str(), "a", stderr)) ::_exit(126);
    ::execl(PLACEDIST_BINARY, PLACEDIST_BINARY, "analyse", cohort.c_str(), "--la", "E10000002", "--gazetteer",
            gazetteer.c_str(), "--out", out.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

int finish(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool same_files(const std::vector<ManifestEntry>& a, const std::vector<ManifestEntry>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].name != b[i].name || a[i].sha256 != b[i].sha256 || a[i].size != b[i].size) return false;
  return true;
}

std::vector<fs::path> staging_folders(const fs::path& folder) {
  std::vector<fs::path> found;
  for (const auto& e : fs::directory_iterator(folder))
    if (e.path().filename().string().rfind(".placedist-staging-", 0) == 0) found.push_back(e.path());
  return found;
}

TEST(KilledAtRandom, TheManifestAlwaysDescribesOneCompleteSet) {
  const fs::path work = fs::path(PLACEDIST_TEST_WORK) / ("killed_at_random_" + std::to_string(::getpid()));
  fs::remove_all(work);
  fs::create_directories(work);
  gazetteer_2018();
  const fs::path cohorts[2] = {work / "a.csv", work / "b.csv"};
  ASSERT_EQ(testing::run_placedist("cohort --seed 11 -o " + cohorts[0].string()).exit_code, 0);
  ASSERT_EQ(testing::run_placedist("cohort --seed 12 -o " + cohorts[1].string()).exit_code, 0);

  // The two complete sets, each from a run of its own; how long a run takes sets the range of
  // the kill moments (it is not a limit on anything).
  std::vector<ManifestEntry> sets[2];
  double run_s = 1e9;
  for (int k = 0; k < 2; ++k) {
    const fs::path reference = work / ("reference_" + std::to_string(k));
    const auto started = std::chrono::steady_clock::now();
    ASSERT_EQ(finish(start_analyse(cohorts[k], reference, work / "log")), 1) << testing::slurp(work / "log");
    run_s = std::min(run_s, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    sets[k] = read_manifest(reference);
    ASSERT_GE(sets[k].size(), 15u);  // 6 layers, 6 styles, project, placements.csv, 2 reports
    for (const ManifestEntry& e : sets[k]) EXPECT_EQ(file_sha256(reference / e.name), e.sha256) << e.name;
  }
  ASSERT_FALSE(same_files(sets[0], sets[1]));

  const fs::path out = work / "out";
  std::mt19937_64 random(20170331);
  std::uniform_real_distribution<double> moment(0, run_s);  // some runs end first and publish: both sets appear
  int whole[2] = {0, 0}, publishing = 0, killed = 0, finished = 0;
  // 50 runs killed while running; a run that ends before its moment is checked too (bounded:
  // at most 500 runs).
  for (int i = 0; killed < 50 && i < 500; ++i) {
    SCOPED_TRACE("run " + std::to_string(i));
    const pid_t pid = start_analyse(cohorts[i % 2], out, work / "log");
    ASSERT_GT(pid, 0);
    std::this_thread::sleep_for(std::chrono::duration<double>(moment(random)));
    ::kill(pid, SIGKILL);
    if (finish(pid) == -1)
      ++killed;
    else
      ++finished;
    if (!fs::exists(out / kManifestName)) {
      // Before the first publish, or since a publish was killed between its first step and its
      // manifest (until a run publishes whole): the folder is marked as changing, yet no file
      // in it is torn: each is whole from one of the sets.
      ++publishing;
      if (!fs::exists(out)) continue;  // killed before it made the folder
      for (const auto& e : fs::directory_iterator(out)) {
        if (!e.is_regular_file()) continue;
        const std::string hash = file_sha256(e.path());
        bool from_a_set = false;
        for (const auto& set : sets)
          for (const ManifestEntry& m : set) from_a_set |= m.name == e.path().filename().string() && m.sha256 == hash;
        EXPECT_TRUE(from_a_set) << e.path().filename().string();
      }
      continue;
    }
    const std::vector<ManifestEntry> manifest = read_manifest(out);
    const int which = same_files(manifest, sets[0]) ? 0 : same_files(manifest, sets[1]) ? 1 : -1;
    ASSERT_NE(which, -1) << "the manifest is neither complete set";
    ++whole[which];
    for (const ManifestEntry& e : manifest) ASSERT_EQ(file_sha256(out / e.name), e.sha256) << e.name;
  }
  std::printf("%d runs killed, %d ended first: manifest of set A %d, of set B %d, none (publishing) %d\n", killed,
              finished, whole[0], whole[1], publishing);
  ASSERT_EQ(killed, 50);

  // A run to the end: set A whole, no staging folder left (the killed runs' are removed).
  EXPECT_EQ(finish(start_analyse(cohorts[0], out, work / "log")), 1) << testing::slurp(work / "log");
  const std::vector<ManifestEntry> last = read_manifest(out);
  EXPECT_TRUE(same_files(last, sets[0]));
  for (const ManifestEntry& e : last) EXPECT_EQ(file_sha256(out / e.name), e.sha256) << e.name;
  EXPECT_TRUE(staging_folders(out).empty()) << staging_folders(out).front();
  fs::remove_all(work);
}

}  // namespace
}  // namespace placedist
