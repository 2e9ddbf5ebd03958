// `placedist analyse` killed with SIGKILL at 50 random moments (fixed seed) while it alternates
// between two synthetic cohorts (real Code-Point 2018 postcodes, fixed seeds) writing into the
// same folder: after every kill the folder's manifest (geo/io/output_set.hpp), when there is one,
// is exactly one of the two complete sets, and every file it lists is there with its SHA-256.
// No manifest is allowed only while a publish was under way (no file of the set is then missing
// from the staging folder or the folder). A final run completes and leaves no staging folder.
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

fs::path gazetteer_2018() {
  return testing::built_gazetteer(
      "codepoint_2018_analyse",
      {{{GazetteerSource::Kind::codepoint, data_file("postcodes/codepoint_open_2018_07")}}, {}, {}, {}, {}});
}

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
  double run_s = 0;
  for (int k = 0; k < 2; ++k) {
    const fs::path reference = work / ("reference_" + std::to_string(k));
    const auto started = std::chrono::steady_clock::now();
    ASSERT_EQ(finish(start_analyse(cohorts[k], reference, work / "log")), 1) << testing::slurp(work / "log");
    run_s = std::max(run_s, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    sets[k] = read_manifest(reference);
    ASSERT_GE(sets[k].size(), 15u);  // 6 layers, 6 styles, project, placements.csv, 2 reports
    for (const ManifestEntry& e : sets[k]) EXPECT_EQ(file_sha256(reference / e.name), e.sha256) << e.name;
  }
  ASSERT_FALSE(same_files(sets[0], sets[1]));

  const fs::path out = work / "out";
  std::mt19937_64 random(20170331);
  std::uniform_real_distribution<double> moment(0, 1.2 * run_s);
  int whole[2] = {0, 0}, publishing = 0, killed = 0;
  bool published = false;
  for (int i = 0; i < 50; ++i) {
    SCOPED_TRACE("kill " + std::to_string(i));
    const pid_t pid = start_analyse(cohorts[i % 2], out, work / "log");
    ASSERT_GT(pid, 0);
    std::this_thread::sleep_for(std::chrono::duration<double>(moment(random)));
    ::kill(pid, SIGKILL);
    if (finish(pid) == -1) ++killed;
    if (!fs::exists(out / kManifestName)) {
      // Before the first publish, or between a publish's first step and its manifest: then the
      // killed run's set is whole between its staging folder and the folder.
      ++publishing;
      if (!published) continue;
      const fs::path staging = out / (".placedist-staging-" + std::to_string(pid));
      ASSERT_TRUE(fs::is_directory(staging)) << "no manifest, and not publishing";
      for (const ManifestEntry& e : sets[i % 2]) {
        const fs::path where = fs::exists(staging / e.name) ? staging / e.name : out / e.name;
        ASSERT_EQ(file_sha256(where), e.sha256) << e.name;
      }
      continue;
    }
    published = true;
    const std::vector<ManifestEntry> manifest = read_manifest(out);
    const int which = same_files(manifest, sets[0]) ? 0 : same_files(manifest, sets[1]) ? 1 : -1;
    ASSERT_NE(which, -1) << "the manifest is neither complete set";
    ++whole[which];
    for (const ManifestEntry& e : manifest) ASSERT_EQ(file_sha256(out / e.name), e.sha256) << e.name;
  }
  std::printf("50 kills (%d while running): manifest of set A %d, of set B %d, none (publishing) %d\n", killed,
              whole[0], whole[1], publishing);
  EXPECT_GT(killed, 25);
  EXPECT_GT(whole[0] + whole[1], 25);

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
