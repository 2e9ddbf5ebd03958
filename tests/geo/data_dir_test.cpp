#include "geo/data_dir.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

using namespace placedist::geo;

namespace placedist {

TEST(DataDir, FindsTheSharedDataThroughTheEnvironment) {
  EXPECT_TRUE(std::filesystem::exists(data_dir() / "PROVENANCE.md"));
  EXPECT_TRUE(std::filesystem::exists(data_file("geodesy/ostn15/ostn_east_shift_82140")));
}

TEST(DataDir, AMissingFileNamesTheVariable) {
  try {
    data_file("no/such/file.csv");
    FAIL() << "expected DataMissing";
  } catch (const DataMissing& e) {
    EXPECT_NE(std::string(e.what()).find("PLACEDIST_DATA"), std::string::npos);
  }
}

TEST(DataDir, AnUnsetFolderIsAClearError) {
  std::string saved = std::getenv("PLACEDIST_DATA") ? std::getenv("PLACEDIST_DATA") : "";
  setenv("PLACEDIST_DATA", "/nonexistent/placedist-data", 1);
  EXPECT_THROW(data_dir(), DataMissing);
  setenv("PLACEDIST_DATA", saved.c_str(), 1);
}

}  // namespace placedist
