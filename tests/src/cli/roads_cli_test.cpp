// placedist roads build / route / matrix end to end on Rutland: files in, CSV out, status per row.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <zlib.h>

#include "geo/data_dir.hpp"
#include "geo/io/csv_reader.hpp"

using namespace placedist::geo;

namespace placedist::cli {
namespace {

std::filesystem::path tmp(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("placedist_cli_" + std::to_string(::getpid()) + "_" + name);
}

int run(const std::string& args) {
  std::string cmd = std::string(PLACEDIST_BINARY) + " " + args + " 2>/dev/null";
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

std::vector<std::vector<std::string>> read_csv(const std::filesystem::path& p) {
  CsvReader r(p);
  std::vector<std::vector<std::string>> rows;
  while (r.next()) rows.emplace_back(r.fields().begin(), r.fields().end());
  return rows;
}

void write_gzip(const std::filesystem::path& p, const std::string& text) {
  gzFile gz = gzopen(p.c_str(), "wb");
  gzwrite(gz, text.data(), static_cast<unsigned>(text.size()));
  gzclose(gz);
}

class RoadsCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_net = tmp("rutland.roads");
    ASSERT_EQ(run("roads build " + data_file("roads/uk/rutland-2018-02-27.osm.pbf").string() + " -o " + s_net.string()),
              0);
  }
  static void TearDownTestSuite() { std::filesystem::remove(s_net); }
  static inline std::filesystem::path s_net;
};

TEST_F(RoadsCli, RouteWritesOneRowPerInputRow) {
  auto in = tmp("journeys.csv"), out = tmp("routes.csv");
  std::ofstream(in) << "ref,from_lon,from_lat,to_lon,to_lat\n"
                       "oakham-uppingham,-0.7270,52.6700,-0.7230,52.5870\n"
                       "\"far, away\",-0.7270,52.6700,-3.5,50.7\n"
                       "bad,x,52.6,-0.7,52.6\n";
  EXPECT_EQ(run("route " + in.string() + " --roads " + s_net.string() + " -o " + out.string()), 1);  // rows failed
  auto rows = read_csv(out);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0][5], "road_status");
  EXPECT_EQ(rows[1][5], "ok");
  double miles = std::stod(rows[1][6]);
  EXPECT_GT(miles, 5.7);  // Oakham to Uppingham: 5.7 mi straight, about 6.5 by the A6003
  EXPECT_LT(miles, 8.0);
  EXPECT_EQ(rows[2][0], "far, away");
  EXPECT_EQ(rows[2][5], "outside_network");
  EXPECT_EQ(rows[2][6], "");
  EXPECT_EQ(rows[3][5], "invalid_location");
  std::filesystem::remove(in);
  std::filesystem::remove(out);
}

TEST_F(RoadsCli, MatrixMatchesRoute) {
  auto o = tmp("o.csv"), d = tmp("d.csv"), out = tmp("m.csv"), in = tmp("j.csv"), rout = tmp("r.csv");
  std::ofstream(o) << "id,lon,lat\noakham,-0.7270,52.6700\nuppingham,-0.7230,52.5870\n";
  std::ofstream(d) << "id,lon,lat\nstamford,-0.4800,52.6530\nempingham,-0.5960,52.6660\n";
  EXPECT_EQ(run("matrix " + o.string() + " " + d.string() + " --roads " + s_net.string() + " -o " + out.string()), 0);
  auto rows = read_csv(out);
  ASSERT_EQ(rows.size(), 5u);
  std::ofstream(in) << "from_lon,from_lat,to_lon,to_lat\n-0.7230,52.5870,-0.5960,52.6660\n";
  EXPECT_EQ(run("route " + in.string() + " --roads " + s_net.string() + " -o " + rout.string()), 0);
  auto r = read_csv(rout);
  EXPECT_EQ(rows[4][0], "uppingham");
  EXPECT_EQ(rows[4][1], "empingham");
  EXPECT_EQ(rows[4][3], r[1][5]);  // road_miles
  EXPECT_EQ(rows[4][4], r[1][6]);  // road_minutes
  for (auto p : {o, d, out, in, rout}) std::filesystem::remove(p);
}

// The one CSV reader (geo/io/csv_reader): gzip, a byte-order mark and CRLF as geocode reads them.
TEST_F(RoadsCli, MatrixReadsGzippedInputWithByteOrderMarkAndCrlf) {
  auto o = tmp("o.csv.gz"), d = tmp("d.csv"), out = tmp("m_gz.csv"), plain_o = tmp("o_plain.csv"),
       plain_out = tmp("m_plain.csv");
  write_gzip(o, "\xEF\xBB\xBFid,lon,lat\r\noakham,-0.7270,52.6700\r\nuppingham,-0.7230,52.5870\r\n");
  std::ofstream(plain_o) << "id,lon,lat\noakham,-0.7270,52.6700\nuppingham,-0.7230,52.5870\n";
  std::ofstream(d) << "\xEF\xBB\xBFid,lon,lat\r\nstamford,-0.4800,52.6530\r\n";
  EXPECT_EQ(run("matrix " + o.string() + " " + d.string() + " --roads " + s_net.string() + " -o " + out.string()), 0);
  EXPECT_EQ(
      run("matrix " + plain_o.string() + " " + d.string() + " --roads " + s_net.string() + " -o " + plain_out.string()),
      0);
  auto rows = read_csv(out);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][0], "origin_id");
  EXPECT_EQ(rows[1][0], "oakham");
  EXPECT_EQ(rows[2][1], "stamford");
  EXPECT_EQ(rows[2][2], "ok");
  EXPECT_EQ(rows, read_csv(plain_out));
  for (auto p : {o, d, out, plain_o, plain_out}) std::filesystem::remove(p);
}

TEST_F(RoadsCli, BadArgumentsAreUsageErrors) {
  EXPECT_EQ(run("roads build -o " + tmp("x.roads").string()), 2);
  EXPECT_EQ(run("roads build /nonexistent.osm.pbf -o " + tmp("x.roads").string()), 2);
}

}  // namespace
}  // namespace placedist::cli
