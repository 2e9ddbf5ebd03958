// Issue 13 at the command line: damaged CSV refused (exit 2, nothing written) or read leniently,
// Excel-safe cells, mended postcodes in pc_normalised, damaged own files refused (exit 3) and
// caught by --verify.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "geo/built_gazetteer.hpp"
#include "geo/data_dir.hpp"
#include "geo/gazetteer_format.hpp"
#include "tests/src/cli/run_placedist.hpp"

using namespace placedist::geo;

namespace placedist {
namespace {

namespace fs = std::filesystem;
using testing::CliRun;
using testing::slurp;

fs::path plain_gazetteer() {
  return testing::built_gazetteer(
      "plain_2025",
      {{{GazetteerSource::Kind::codepoint, data_file("postcodes/codepoint_open_2025_10/plain")}}, {}, {}, {}, {}});
}

fs::path work(const std::string& name) {
  fs::create_directories(PLACEDIST_TEST_WORK);
  return fs::path(PLACEDIST_TEST_WORK) / ("reliability_" + std::to_string(::getpid()) + "_" + name);
}

std::string geocode(const fs::path& input, const std::string& flags, const fs::path& output, int* exit_code) {
  CliRun run = testing::run_placedist("geocode " + input.string() + " --gazetteer " + plain_gazetteer().string() +
                                      " -o " + output.string() + " " + flags);
  *exit_code = run.exit_code;
  return run.err;
}

TEST(ReliabilityCli, UnclosedQuoteRefusesTheFileAndWritesNothing) {
  fs::path input = work("unclosed.csv"), output = work("unclosed_out.csv");
  std::ofstream(input) << "id,postcode\n1,HP20 1AA\n2,\"MK9 1AA\n3,SL1 1AA\n";
  int exit_code = 0;
  std::string err = geocode(input, "", output, &exit_code);
  EXPECT_EQ(exit_code, 2) << err;
  EXPECT_NE(err.find(input.string() + ": line 3: a quoted field begins on this row and is never closed"),
            std::string::npos)
      << err;
  EXPECT_FALSE(fs::exists(output));
  EXPECT_EQ(err.find("MK9"), std::string::npos) << "postcodes must not be logged";

  // --lenient: that row is bad_row, the others geocoded, and the broken quote not carried on.
  err = geocode(input, "--lenient", output, &exit_code);
  EXPECT_EQ(exit_code, 1) << err;  // a row failed
  EXPECT_EQ(
      slurp(output),
      "id,postcode,pc_normalised,match,status,easting,northing,lon,lat,ltla_code,ltla_name,utla_code,"
      "utla_name,error\n"
      "1,HP20 1AA,HP20 1AA,unit,ok,482158,213995,-0.809452,51.818560,E06000060,Buckinghamshire,E06000060,"
      "Buckinghamshire,\n"
      "2,MK9 1AA,,none,bad_row,,,,,,,,,line 3: a quoted field begins on this row and is never closed\n"
      "3,SL1 1AA,SL1 1AA,unit,ok,498325,179765,-0.584601,51.508272,E06000039,Slough,E06000039,Slough,\n");  // Code-Point:
                                                                                                            // "SL1
                                                                                                            // 1AA",10,498325,179765
  EXPECT_NE(err.find("bad_row 1"), std::string::npos) << err;
}

TEST(ReliabilityCli, NotUtf8RefusedOrLenient) {
  fs::path input = work("latin1.csv"), output = work("latin1_out.csv");
  std::ofstream(input) << "id,postcode,name\n1,HP20 1AA,Caf\xE9\n2,MK9 1AA,Tea\n";
  int exit_code = 0;
  std::string err = geocode(input, "", output, &exit_code);
  EXPECT_EQ(exit_code, 2) << err;
  EXPECT_NE(err.find("line 2: text that is not UTF-8"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(output));
  err = geocode(input, "--lenient", output, &exit_code);
  EXPECT_EQ(exit_code, 1) << err;
  std::string out = slurp(output);
  EXPECT_NE(out.find(",bad_row,,,,,,,,,line 2: text that is not UTF-8"), std::string::npos) << out;
  EXPECT_NE(out.find("2,MK9 1AA,Tea,MK9 1AA,unit,ok,"), std::string::npos) << out;
}

TEST(ReliabilityCli, ExcelSafeEscapesFormulasAndKeepsNumbers) {
  fs::path input = work("formula.csv"), output = work("formula_out.csv");
  std::ofstream(input) << "id,postcode,note,x\n=HYPERLINK(\"http://evil\"),HP20 1AA,@SUM(1),-0.5\n";
  int exit_code = 0;
  std::string err = geocode(input, "--excel-safe", output, &exit_code);
  EXPECT_EQ(exit_code, 0) << err;
  EXPECT_EQ(slurp(output),
            "id,postcode,note,x,pc_normalised,match,status,easting,northing,lon,lat,ltla_code,ltla_name,utla_code,"
            "utla_name,error\n"
            "\"'=HYPERLINK(\"\"http://evil\"\")\",HP20 1AA,\"'@SUM(1)\",-0.5,HP20 1AA,unit,ok,482158,213995,"
            "-0.809452,51.818560,E06000060,Buckinghamshire,E06000060,Buckinghamshire,\n");
  // Without the flag the cells go out as written (the default keeps input rows byte for byte).
  err = geocode(input, "", output, &exit_code);
  EXPECT_NE(slurp(output).find("\n=HYPERLINK(\"http://evil\"),HP20 1AA,@SUM(1),-0.5,"), std::string::npos);
}

TEST(ReliabilityCli, MendedAndNonGeographicPostcodesAreNormalised) {
  fs::path input = work("slips.csv"), output = work("slips_out.csv");
  std::ofstream(input) << "postcode\nMKI0 OAA\n\"HP20 1AA,\"\nBF1 3AD\nGIR0AA\n";
  int exit_code = 0;
  std::string err = geocode(input, "", output, &exit_code);
  std::string out = slurp(output);
  EXPECT_NE(out.find("\nMKI0 OAA,MK10 0AA,unit,ok,490172,237850,"), std::string::npos) << out;
  EXPECT_NE(out.find("\n\"HP20 1AA,\",HP20 1AA,unit,ok,482158,213995,"), std::string::npos) << out;
  EXPECT_NE(out.find("\nBF1 3AD,BF1 3AD,none,non_geographic,"), std::string::npos) << out;
  EXPECT_NE(out.find("\nGIR0AA,GIR 0AA,none,non_geographic,"), std::string::npos) << out;
}

void flip(const fs::path& path, std::uint64_t offset) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(offset));
  char c = static_cast<char>(f.get());
  f.seekp(static_cast<std::streamoff>(offset));
  f.put(static_cast<char>(c ^ 0xFF));
}

TEST(ReliabilityCli, DamagedGazetteerRefusedOrCaughtByVerify) {
  fs::path copy = work("damaged.pdg");
  fs::copy_file(plain_gazetteer(), copy, fs::copy_options::overwrite_existing);
  CliRun good = testing::run_placedist("gazetteer info --verify " + copy.string());
  EXPECT_EQ(good.exit_code, 0) << good.err;
  EXPECT_NE(good.err.find("every section's checksum verified"), std::string::npos) << good.err;

  detail::FileHeader header;
  std::ifstream(copy, std::ios::binary).read(reinterpret_cast<char*>(&header), sizeof header);
  flip(copy, header.sections[detail::kUnits].offset + 1);  // a unit's easting: opens, --verify catches it
  CliRun info = testing::run_placedist("gazetteer info " + copy.string());
  EXPECT_EQ(info.exit_code, 0) << info.err;
  CliRun verify = testing::run_placedist("gazetteer info --verify " + copy.string());
  EXPECT_EQ(verify.exit_code, 3);
  EXPECT_NE(verify.err.find("gazetteer " + copy.string() + ": damaged units section (checksum mismatch)"),
            std::string::npos)
      << verify.err;

  fs::copy_file(plain_gazetteer(), copy, fs::copy_options::overwrite_existing);
  flip(copy, offsetof(detail::FileHeader, sections) + 16 * detail::kDistricts);  // the districts' offset
  CliRun refused = testing::run_placedist("distance 'HP20 1AA' 'MK9 1AA' --gazetteer " + copy.string());
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_NE(refused.err.find("gazetteer " + copy.string() + ": damaged header"), std::string::npos) << refused.err;
  fs::remove(copy);
}

TEST(ReliabilityCli, DamagedRoadNetworkRefusedOrCaughtByVerify) {
  fs::path network = work("monaco.pdr");
  CliRun build = testing::run_placedist("roads build " + data_file("roads/test_extracts/monaco.osm.pbf").string() +
                                        " -o " + network.string());
  ASSERT_EQ(build.exit_code, 0) << build.err;
  CliRun good = testing::run_placedist("roads info --verify " + network.string());
  EXPECT_EQ(good.exit_code, 0) << good.err;
  flip(network, 40);  // inside the source text: loads, --verify names section 0
  EXPECT_EQ(testing::run_placedist("roads info " + network.string()).exit_code, 0);
  CliRun verify = testing::run_placedist("roads info --verify " + network.string());
  EXPECT_EQ(verify.exit_code, 3);
  EXPECT_NE(verify.err.find("road network " + network.string() + ": damaged section 0 (checksum mismatch)"),
            std::string::npos)
      << verify.err;
  flip(network, 40);
  flip(network, 17);  // the format version
  CliRun refused = testing::run_placedist("roads info " + network.string());
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_NE(refused.err.find("road network " + network.string() + ": file format version"), std::string::npos)
      << refused.err;
  fs::remove(network);
}

// The Monaco network of the tests above, built once per test process.
const fs::path& monaco_network() {
  static const fs::path network = [] {
    fs::path path = work("monaco_lenient.pdr");
    CliRun build = testing::run_placedist("roads build " + data_file("roads/test_extracts/monaco.osm.pbf").string() +
                                          " -o " + path.string());
    EXPECT_EQ(build.exit_code, 0) << build.err;
    return path;
  }();
  return network;
}

// A road point moved off the globe (latitude 91 degrees): refused at open, naming the file, so
// that no query does arithmetic on it (a fuzzed file overflowed the snapper's int).
TEST(ReliabilityCli, RoadPointOffTheGlobeRefused) {
  fs::path copy = work("monaco_off_globe.pdr");
  fs::copy_file(monaco_network(), copy, fs::copy_options::overwrite_existing);
  // Sections after the 24-byte header: zero bytes up to where a uint64 byte count ends on a
  // 64-byte line, the count, then the bytes padded to 8. The junctions (lon, lat int32 pairs)
  // are the fourth, after the source, profile and build time.
  std::fstream f(copy, std::ios::in | std::ios::out | std::ios::binary);
  std::uint64_t offset = 24, bytes = 0;
  auto to_count = [&] { offset += (64 - (offset + 8) % 64) % 64; };
  for (int section = 0; section < 3; ++section) {
    to_count();
    f.seekg(static_cast<std::streamoff>(offset));
    f.read(reinterpret_cast<char*>(&bytes), sizeof bytes);
    offset += 8 + (bytes + 7) / 8 * 8;
  }
  to_count();
  f.seekg(static_cast<std::streamoff>(offset));
  f.read(reinterpret_cast<char*>(&bytes), sizeof bytes);
  ASSERT_GE(bytes, 8u);
  const std::int32_t lat = 910'000'000;  // degrees * 1e7
  f.seekp(static_cast<std::streamoff>(offset + 8 + 4));
  f.write(reinterpret_cast<const char*>(&lat), sizeof lat);
  f.close();
  CliRun refused = testing::run_placedist("roads info " + copy.string());
  EXPECT_EQ(refused.exit_code, 3) << refused.err;
  EXPECT_NE(
      refused.err.find("road network " + copy.string() + ": corrupt: a junction or road point lies off the globe"),
      std::string::npos)
      << refused.err;
  fs::remove(copy);
}

// The road commands read damaged CSV as geocode does: refused (exit 2, nothing written), or with
// --lenient the damaged row gets status bad_row and the rows after it are read as usual.
TEST(ReliabilityCli, RouteAndMatrixRefuseADamagedFileOrReadItLeniently) {
  fs::path input = work("journeys.csv"), output = work("journeys_out.csv");
  const std::string journey = "7.4246,43.7384,7.4167,43.7311";  // across Monaco
  std::ofstream(input) << "id,from_lon,from_lat,to_lon,to_lat\n1," << journey << "\n2,\"" << journey << "\n3,"
                       << journey << "\n";
  const std::string route =
      "route " + input.string() + " --roads " + monaco_network().string() + " -o " + output.string();
  CliRun refused = testing::run_placedist(route);
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_NE(refused.err.find("line 3: a quoted field begins on this row and is never closed"), std::string::npos)
      << refused.err;
  EXPECT_FALSE(fs::exists(output));

  CliRun lenient = testing::run_placedist(route + " --lenient");
  EXPECT_EQ(lenient.exit_code, 1) << lenient.err;  // a row failed
  std::istringstream rows(slurp(output));
  std::string header, first, damaged, third, extra;
  std::getline(rows, header);
  std::getline(rows, first);
  std::getline(rows, damaged);
  std::getline(rows, third);
  EXPECT_FALSE(std::getline(rows, extra)) << extra;
  EXPECT_EQ(header,
            "id,from_lon,from_lat,to_lon,to_lat,road_status,road_miles,road_minutes,shortest_road_miles,"
            "from_snap_m,to_snap_m");
  ASSERT_TRUE(first.starts_with("1," + journey + ",ok,")) << first;
  // The damaged record is its first line alone, re-encoded (the broken quote is not carried on).
  EXPECT_EQ(damaged, "2,\"" + journey + "\",,,,bad_row,,,,,") << damaged;
  EXPECT_EQ(third, "3" + first.substr(1)) << third;  // the same journey, the same figures

  // matrix: a damaged origin gets bad_row in each of its cells.
  fs::path places = work("places.csv"), matrix_out = work("matrix_out.csv");
  std::ofstream(places) << "id,lon,lat\na,7.4246,43.7384\nb,\"7.4167,43.7311\nc,7.4167,43.7311\n";
  const std::string matrix = "matrix " + places.string() + " " + places.string() + " --roads " +
                             monaco_network().string() + " -o " + matrix_out.string();
  EXPECT_EQ(testing::run_placedist(matrix).exit_code, 2);
  EXPECT_FALSE(fs::exists(matrix_out));
  CliRun lenient_matrix = testing::run_placedist(matrix + " --lenient");
  EXPECT_EQ(lenient_matrix.exit_code, 1) << lenient_matrix.err;
  std::string cells = slurp(matrix_out);
  EXPECT_NE(cells.find("\na,a,ok,"), std::string::npos) << cells;
  EXPECT_NE(cells.find("\na,c,ok,"), std::string::npos) << cells;
  EXPECT_NE(cells.find("\nb,a,bad_row,"), std::string::npos) << cells;
  EXPECT_NE(cells.find("\na,b,bad_row,"), std::string::npos) << cells;
  EXPECT_NE(cells.find("\nc,a,ok,"), std::string::npos) << cells;
  fs::remove(output);
  fs::remove(matrix_out);
}

// coverage reads damaged CSV as geocode does (one output row per input row, status bad_row).
TEST(ReliabilityCli, CoverageRefusesADamagedFileOrReadsItLeniently) {
  fs::path input = work("homes.csv"), output = work("homes_out.csv"), providers = work("providers.csv");
  std::ofstream(providers) << "urn,name,type,postcode,places\nSC000001,Home A,Children's home,MK9 1AA,4\n";
  std::ofstream(input) << "id,postcode\n1,HP20 1AA\n2,\"MK9 1AA\n3,SL1 1AA\n";
  const std::string coverage = "coverage " + input.string() + " --providers " + providers.string() + " --gazetteer " +
                               plain_gazetteer().string() + " -o " + output.string();
  CliRun refused = testing::run_placedist(coverage);
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_NE(refused.err.find("line 3: a quoted field begins on this row and is never closed"), std::string::npos)
      << refused.err;
  EXPECT_FALSE(fs::exists(output));
  CliRun lenient = testing::run_placedist(coverage + " --lenient");
  EXPECT_EQ(lenient.exit_code, 1) << lenient.err;
  // The one provider (MK9 1AA) is 15.2 DfE miles from HP20 1AA and 37.4 from SL1 1AA (`placedist distance`).
  EXPECT_EQ(slurp(output),
            "id,postcode,pc_normalised,match,status,providers_within,places_within,providers_without_places,"
            "at_least_min_places,message\n"
            "1,HP20 1AA,HP20 1AA,unit,ok,1,4,0,true,\n"
            "2,MK9 1AA,,none,bad_row,,,,,line 3: a quoted field begins on this row and is never closed\n"
            "3,SL1 1AA,SL1 1AA,unit,ok,0,0,0,false,\n");
  fs::remove(output);
}

}  // namespace
}  // namespace placedist
