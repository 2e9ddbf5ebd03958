// tools/pg-test-cluster: a throwaway PostgreSQL + PostGIS on a unix socket takes a real layer
// through GDAL (ogr2ogr) and gives it back. The harness PostGIS output tests will use.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <string>

#include "geo/data_dir.hpp"
#include "src/cli/run_placedist.hpp"

using namespace placedist::geo;

namespace placedist {
namespace {

using testing::capture;

TEST(PgTestCluster, StartsWritesReadsBackAndStops) {
  std::string tool = std::string(PLACEDIST_TEST_DIR) + "/../tools/pg-test-cluster";
  int code = 0;
  std::string env = capture(tool + " start", &code);
  ASSERT_EQ(code, 0) << "tools/setup installs postgresql-15-postgis-3";
  std::smatch m;
  ASSERT_TRUE(std::regex_search(env, m, std::regex("PLACEDIST_PG_DIR='([^']+)'")));
  std::string dir = m[1];
  // The exports, then GDAL writes the layer and psql reads it back.
  std::filesystem::path script =
      std::filesystem::path(PLACEDIST_TEST_WORK) / ("pg_" + std::to_string(::getpid()) + ".sh");
  std::filesystem::create_directories(script.parent_path());
  {
    std::ofstream sh(script);
    sh << env << "ogr2ogr -f PostgreSQL \"PG:dbname=$PGDATABASE host=$PGHOST port=$PGPORT user=$PGUSER\" "
       << data_file("boundaries/ons_ultra_generalised_500m/boundaries_utla21.geojson").string() << " -nln councils\n"
       << "psql -qAt -c 'SELECT count(*) FROM councils' "
          "-c \"SELECT utla21_name FROM councils WHERE utla21_code = 'E06000060'\" "
          "-c 'SELECT ST_SRID(wkb_geometry) FROM councils LIMIT 1'\n";
  }
  std::string out = capture("bash -e " + script.string() + " 2>&1", &code);
  std::filesystem::remove(script);
  int stopped = 0;
  capture(tool + " stop " + dir, &stopped);
  EXPECT_EQ(code, 0) << out;
  EXPECT_EQ(out, "217\nBuckinghamshire\n4326\n");
  EXPECT_EQ(stopped, 0);
  EXPECT_FALSE(std::filesystem::exists(dir));
}

}  // namespace
}  // namespace placedist
