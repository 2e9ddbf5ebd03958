#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "geo/io/atomic_file.hpp"
#include "geo/io/csv_reader.hpp"
#include "geo/io/csv_writer.hpp"

using namespace placedist::geo;

namespace placedist {
namespace {

namespace fs = std::filesystem;

fs::path write_temp(const std::string& name, const std::string& bytes) {
  fs::path path = fs::temp_directory_path() / ("placedist_csv_" + std::to_string(::getpid()) + "_" + name);
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

std::vector<std::vector<std::string>> read_all(const fs::path& path) {
  std::vector<std::vector<std::string>> rows;
  CsvReader csv(path);
  while (csv.next()) rows.emplace_back(csv.fields().begin(), csv.fields().end());
  return rows;
}

TEST(CsvReader, BomCrlfQuotesBlankLinesAndEmbeddedNewlines) {
  auto path = write_temp("mixed.csv",
                         "\xEF\xBB\xBFid,postcode,note\r\n"
                         "1,HP20 1AA,plain\r\n"
                         "\r\n"
                         "2,\"HP20, 1AB\",\"said \"\"hi\"\"\"\r\n"
                         "3,\"MK9\n1AA\",\n"
                         "4,,\n"
                         "5,SL1 1AA");  // no final line ending
  auto rows = read_all(path);
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"id", "postcode", "note"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"2", "HP20, 1AB", "said \"hi\""}));
  EXPECT_EQ(rows[3], (std::vector<std::string>{"3", "MK9\n1AA", ""}));
  EXPECT_EQ(rows[4], (std::vector<std::string>{"4", "", ""}));
  EXPECT_EQ(rows[5], (std::vector<std::string>{"5", "SL1 1AA"}));
  fs::remove(path);
}

TEST(CsvReader, RawRecordAndLineNumbers) {
  auto path = write_temp("raw.csv", "a,b\n\n\"x\ny\",2\nlast,3\n");
  CsvReader csv(path);
  ASSERT_TRUE(csv.next());
  EXPECT_EQ(csv.line(), 1u);
  ASSERT_TRUE(csv.next());
  EXPECT_EQ(csv.raw(), "\"x\ny\",2");
  EXPECT_EQ(csv.line(), 3u);
  ASSERT_TRUE(csv.next());
  EXPECT_EQ(csv.line(), 5u);
  EXPECT_FALSE(csv.next());
  fs::remove(path);
}

TEST(CsvReader, ReadsGzipAndRecordsLongerThanItsBuffer) {
  std::string big(3 << 20, 'x');  // one field larger than the reader's initial buffer
  fs::path path = fs::temp_directory_path() / ("placedist_csv_" + std::to_string(::getpid()) + ".csv.gz");
  gzFile gz = gzopen(path.c_str(), "wb");
  std::string text = "h\n" + big + "\nend\n";
  gzwrite(gz, text.data(), static_cast<unsigned>(text.size()));
  gzclose(gz);
  auto rows = read_all(path);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1][0].size(), big.size());
  EXPECT_EQ(rows[2][0], "end");
  fs::remove(path);
}

TEST(CsvReader, ReadsTextInMemoryAsAFile) {
  CsvReader csv = CsvReader::from_text("\xEF\xBB\xBFid,name\r\n\r\n1,\"a, \"\"b\"\"\"\r\n2,c");
  std::vector<std::vector<std::string>> rows;
  while (csv.next()) rows.emplace_back(csv.fields().begin(), csv.fields().end());
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"id", "name"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"1", "a, \"b\""}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"2", "c"}));
  EXPECT_EQ(csv.line(), 4u);
  CsvReader empty = CsvReader::from_text("");
  EXPECT_FALSE(empty.next());
}

TEST(CsvReader, MissingFileIsAnError) { EXPECT_THROW(CsvReader("/nonexistent/x.csv"), CsvError); }

TEST(CsvWriter, QuotesOnlyWhenNeeded) {
  std::string out;
  append_csv_field(out, "plain");
  out += ',';
  append_csv_field(out, "Kingston upon Hull, City of");
  out += ',';
  append_csv_field(out, "say \"x\"");
  EXPECT_EQ(out, "plain,\"Kingston upon Hull, City of\",\"say \"\"x\"\"\"");
}

TEST(AtomicFile, AppearsOnlyOnCommit) {
  fs::path target = fs::temp_directory_path() / ("placedist_atomic_" + std::to_string(::getpid()) + ".txt");
  {
    AtomicFile file(target);
    file.write("half");
    EXPECT_FALSE(fs::exists(target));
  }  // abandoned: neither the target nor the temporary remains
  EXPECT_FALSE(fs::exists(target));
  {
    AtomicFile file(target);
    file.write("whole");
    file.commit();
  }
  std::ifstream in(target);
  std::string text;
  in >> text;
  EXPECT_EQ(text, "whole");
  fs::remove(target);
}

// Renaming over /dev/null would replace the device with a file: special files are written in place.
TEST(AtomicFile, WritesSpecialFilesInPlace) {
  {
    AtomicFile sink("/dev/null");
    sink.write("discarded");
    sink.commit();
  }
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
  EXPECT_THROW(AtomicFile{fs::temp_directory_path()}, std::runtime_error);  // braces: clang reads () as a declaration
}

}  // namespace
}  // namespace placedist
