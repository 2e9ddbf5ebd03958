// The two executables (src/cli/commands.hpp): placedist, the front, runs roads/route/matrix
// without GDAL and hands every other command line to placedist-full. Users must not be able to
// tell: same standard output, standard error and exit status for the same arguments.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "geo/data_dir.hpp"
#include "src/cli/run_placedist.hpp"

namespace placedist {
namespace {

namespace fs = std::filesystem;

const fs::path kFront = PLACEDIST_BINARY;
const fs::path kFull = kFront.parent_path() / "placedist-full";

struct Answer {
  std::string out, err;
  int status;  // waitpid's: exit code or signal
  bool operator==(const Answer&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Answer& a) {
  return os << "status " << a.status << "\nstdout:\n" << a.out << "\nstderr:\n" << a.err;
}

// Runs `program` with argv[0] "placedist" (as a user on PATH would) and `arguments`.
Answer run(const fs::path& program, const std::vector<std::string>& arguments, const std::string& environment = {}) {
  fs::path work = fs::path(PLACEDIST_TEST_WORK);
  fs::create_directories(work);
  const fs::path out = work / ("front_out_" + std::to_string(::getpid()));
  const fs::path err = work / ("front_err_" + std::to_string(::getpid()));
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600), 1);
    ::dup2(::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600), 2);
    std::vector<char*> argv{const_cast<char*>("placedist")};
    for (const std::string& a : arguments) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    if (!environment.empty()) ::putenv(const_cast<char*>(environment.c_str()));
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  int status = -1;
  ::waitpid(pid, &status, 0);
  Answer answer{testing::slurp(out), testing::slurp(err), status};
  fs::remove(out);
  fs::remove(err);
  return answer;
}

TEST(Front, LoadsNoGdalWhileTheFullProgramDoes) {
  // What the dynamic loader maps for each (ldd's own mechanism).
  Answer front = run(kFront, {}, "LD_TRACE_LOADED_OBJECTS=1");
  Answer full = run(kFull, {}, "LD_TRACE_LOADED_OBJECTS=1");
  EXPECT_NE(full.out.find("libgdal"), std::string::npos) << full;
  for (const char* library : {"libgdal", "libproj", "libgeos", "libcrypto", "libboost"})
    EXPECT_EQ(front.out.find(library), std::string::npos) << library << " in\n" << front.out;
}

TEST(Front, AnswersEveryCommandLineAsTheFullProgramDoes) {
  const std::string nowhere = (fs::path(PLACEDIST_TEST_WORK) / "no_such_file").string();
  const std::vector<std::vector<std::string>> lines = {
      // run by the front
      {"--version"},
      {"roads"},
      {"roads", "--help"},
      {"roads", "build", "--help"},
      {"roads", "info", "--help"},
      {"route", "--help"},
      {"matrix", "-h"},
      {"roads", "bild"},
      {"roads", "build"},
      {"roads", "build", "-o"},
      {"roads", "build", nowhere + ".osm.pbf", "-o", nowhere + ".roads"},
      {"roads", "info", nowhere},
      {"roads", "info", nowhere, "analyse"},
      {"route", nowhere, "--roads", nowhere},
      {"matrix", nowhere, "--roads", nowhere},
      {"route", "--snap-radius", "far", "x.csv", "--roads", "x.roads"},
      // handed over before parsing
      {},
      {"--help"},
      {"--bogus"},
      {"geocode", "--help"},
      {"serve", "--help"},
      {"analyse", "--help"},
      {"distance", "--no-such-option"},
      {"gazetteer", "build", "--gazetteer", nowhere, nowhere},
      // handed over after parsing: edge layers are read through GDAL
      {"roads", "build", "--edges", nowhere + ".gpkg", "-o", nowhere + ".roads"},
  };
  for (const auto& line : lines) {
    std::string shown;
    for (const std::string& a : line) shown += " " + a;
    Answer full = run(kFull, line);
    EXPECT_EQ(run(kFront, line), full) << "placedist" << shown;
    EXPECT_TRUE(WIFEXITED(full.status)) << shown;
  }
}

TEST(Front, HandsRoadsBuildWithEdgeLayersToTheFullProgram) {
  const fs::path work = fs::path(PLACEDIST_TEST_WORK);
  const fs::path via_front = work / "front_motorways.roads", direct = work / "full_motorways.roads";
  const std::string layer = geo::data_file("roads/uk/os_open_roads_gb_motorways.fgb").string();
  Answer front = run(kFront, {"roads", "build", "--edges", layer, "-o", via_front.string()});
  Answer full = run(kFull, {"roads", "build", "--edges", layer, "-o", direct.string()});
  ASSERT_EQ(front.status, 0) << front;
  ASSERT_EQ(full.status, 0) << full;
  EXPECT_NE(front.err.find("6648 features (0 skipped)"), std::string::npos) << front;
  EXPECT_EQ(fs::file_size(via_front), fs::file_size(direct));
  // Everything roads info tells but the file name and the build time.
  auto described = [](const fs::path& file) {
    std::string text = run(kFront, {"roads", "info", file.string()}).out;
    text.erase(0, text.find('\n'));
    std::size_t built = text.find("built: ");
    return text.erase(built, text.find('\n', built) - built);
  };
  EXPECT_EQ(described(via_front), described(direct));
  EXPECT_NE(described(direct).find("junctions: 6151"), std::string::npos) << described(direct);
  fs::remove(via_front);
  fs::remove(direct);
}

TEST(Front, TellsWhenThereIsNoFullProgramBesideIt) {
  // A copy of the front alone (e.g. copied to a PATH directory without its sibling).
  const fs::path alone_dir = fs::path(PLACEDIST_TEST_WORK) / ("front_alone_" + std::to_string(::getpid()));
  fs::create_directories(alone_dir);
  const fs::path alone = alone_dir / "placedist";
  fs::copy_file(kFront, alone, fs::copy_options::overwrite_existing);
  Answer roads = run(alone, {"--version"});
  EXPECT_EQ(roads, (Answer{"placedist 0.1.0\n", "", 0}));
  Answer other = run(alone, {"geocode", "--help"});
  EXPECT_EQ(WEXITSTATUS(other.status), 70) << other;
  EXPECT_EQ(other.out, "");
  EXPECT_NE(other.err.find("cannot run " + (alone_dir / "placedist-full").string()), std::string::npos) << other;
  fs::remove_all(alone_dir);
}

}  // namespace
}  // namespace placedist
