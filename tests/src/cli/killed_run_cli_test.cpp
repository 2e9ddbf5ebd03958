// `placedist analyse` killed with SIGKILL in the middle of a run on a large synthetic cohort
// (100,000 children, real Code-Point 2018 postcodes, fixed seed): nothing is created outside the
// output folder the user named (TMPDIR and the working directory stay empty), the temporaries
// left inside it are private to the user (files 0600, staging folders 0700), and the next run
// completes and removes them. Nothing here prints a postcode.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "geo/built_gazetteer.hpp"
#include "geo/data_dir.hpp"
#include "src/cli/run_placedist.hpp"

using namespace placedist::geo;

namespace placedist {
namespace {

namespace fs = std::filesystem;

fs::path gazetteer_2018() { return testing::codepoint_2018_gazetteer(); }

// A temporary of a run: a staging folder (.placedist-staging-PID, geo/io/output_set.hpp) or a
// file NAME.tmp.PID.N.
bool staging_name(const std::string& name) { return name.rfind(".placedist-staging-", 0) == 0; }
bool temporary_name(const std::string& name) { return staging_name(name) || name.find(".tmp.") != std::string::npos; }

std::vector<fs::path> temporaries(const fs::path& folder) {
  std::vector<fs::path> found;
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
    if (temporary_name(it->path().filename().string())) found.push_back(it->path());
  return found;
}

std::vector<std::string> entries(const fs::path& folder) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
    names.push_back(it->path().lexically_relative(folder).string());
  return names;
}

unsigned mode_of(const fs::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}

// Starts `placedist analyse` with TMPDIR and the working directory given; its output to `log`.
pid_t start_analyse(const fs::path& cohort, const fs::path& out, const fs::path& tmpdir, const fs::path& cwd,
                    const fs::path& log) {
  const std::string gazetteer = gazetteer_2018().string();
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(cwd.c_str()) != 0) ::_exit(126);
    ::setenv("TMPDIR", tmpdir.c_str(), 1);
    if (!std::freopen(log.c_str(), "w", stdout) || !std::freopen(log.c_str(), "a", stderr)) ::_exit(126);
    ::execl(PLACEDIST_BINARY, PLACEDIST_BINARY, "analyse", cohort.c_str(), "--la", "E10000002", "--gazetteer",
            gazetteer.c_str(), "--out", out.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

TEST(KilledRun, LeavesNothingOutsideTheOutputFolderAndTheNextRunRemovesItsTemporaries) {
  const fs::path work = fs::path(PLACEDIST_TEST_WORK) / ("killed_run_" + std::to_string(::getpid()));
  fs::remove_all(work);
  const fs::path tmpdir = work / "tmp", cwd = work / "cwd", out = work / "out", cohort = work / "cohort.csv",
                 log = work / "analyse.log";
  fs::create_directories(tmpdir);
  fs::create_directories(cwd);
  gazetteer_2018();  // built before the timed run
  ASSERT_EQ(testing::run_placedist("cohort --children 100000 --seed 7 -o " + cohort.string()).exit_code, 0);

  // Kill it as soon as a temporary appears in the output folder (or after a while, when none did).
  pid_t pid = start_analyse(cohort, out, tmpdir, cwd, log);
  ASSERT_GT(pid, 0);
  std::vector<std::pair<fs::path, unsigned>> seen;  // temporaries and their modes at the kill
  const auto started = std::chrono::steady_clock::now();
  bool exited = false;
  while (std::chrono::steady_clock::now() - started < std::chrono::seconds(300)) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      break;
    }
    std::vector<fs::path> now = temporaries(out);
    if (!now.empty()) {
      ::kill(pid, SIGSTOP);  // hold it still while the modes are read
      for (const fs::path& p : temporaries(out)) seen.emplace_back(p, mode_of(p));
      if (!seen.empty()) break;
      ::kill(pid, SIGCONT);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!exited) {
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFSIGNALED(status));
  }
  ASSERT_FALSE(exited) << "the run ended before a temporary was seen; log:\n" << testing::slurp(log);
  ASSERT_FALSE(seen.empty());

  // Inside the output folder: only private temporaries.
  for (const auto& [path, mode] : seen) {
    SCOPED_TRACE(path.filename().string());
    if (staging_name(path.filename().string()))
      EXPECT_EQ(mode & 0777, 0700u);
    else
      EXPECT_EQ(mode & 0777, 0600u);
  }
  std::vector<fs::path> left = temporaries(out);
  EXPECT_FALSE(left.empty()) << "a killed run cannot have cleaned up";
  // Nothing outside it.
  EXPECT_TRUE(entries(tmpdir).empty()) << entries(tmpdir).front();
  EXPECT_TRUE(entries(cwd).empty()) << entries(cwd).front();

  // The next run completes and removes what the killed one left.
  pid = start_analyse(cohort, out, tmpdir, cwd, log);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_LE(WEXITSTATUS(status), 1) << testing::slurp(log);  // 1: some rows fail, deliberately
  EXPECT_TRUE(temporaries(out).empty()) << temporaries(out).front();
  for (const char* name : {"placements.csv", "report.md", "report.json", "placements.geojson"})
    EXPECT_TRUE(fs::exists(out / name)) << name;
  EXPECT_TRUE(entries(tmpdir).empty());
  EXPECT_TRUE(entries(cwd).empty());
  fs::remove_all(work);
}

}  // namespace
}  // namespace placedist
