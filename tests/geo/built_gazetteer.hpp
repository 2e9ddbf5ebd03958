#pragma once
// Gazetteers built from real data for the tests, once per test binary build: each test runs
// in its own process, so the file is kept in the build tree and rebuilt when the test
// binary is newer than it.
#include <filesystem>
#include <string>

#include "geo/data_dir.hpp"
#include "geo/gazetteer.hpp"
#include "geo/gazetteer_build.hpp"

namespace placedist::testing {

inline std::filesystem::path built_gazetteer(const std::string& name, geo::GazetteerBuildOptions options) {
  namespace fs = std::filesystem;
  fs::path path = fs::path(PLACEDIST_TEST_WORK) / (name + ".pdg");
  std::error_code ec;
  auto built = fs::last_write_time(path, ec);
  if (ec || built < fs::last_write_time("/proc/self/exe")) {
    options.output = path;
    geo::build_gazetteer(options);
  }
  return path;
}

// Code-Point Open July 2018 alone: the Buckinghamshire County era of the analyse tests.
inline std::filesystem::path codepoint_2018_gazetteer() {
  return built_gazetteer(
      "codepoint_2018_analyse",
      {{{geo::GazetteerSource::Kind::codepoint, geo::data_file("postcodes/codepoint_open_2018_07")}}, {}, {}, {}, {}});
}

}  // namespace placedist::testing
