// Issue 13 at the command line: damaged CSV refused (exit 2, nothing written) or read leniently,
// Excel-safe cells, mended postcodes in pc_normalised, damaged own files refused (exit 3) and
// caught by --verify.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

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

}  // namespace
}  // namespace placedist
