#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <tuple>

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

// Issue 13: `1,"HP20 1AA\n2,MK9 3EP` was one row, the second child silently gone.
TEST(CsvReader, UnclosedQuoteRefusesTheFileNamingItsLine) {
  auto path = write_temp("unclosed.csv", "id,postcode\n1,HP20 1AA\n2,\"MK9 3EP\n3,SL1 1AA\n4,HP1 1AB\n");
  CsvReader csv(path);
  ASSERT_TRUE(csv.next());
  ASSERT_TRUE(csv.next());
  EXPECT_EQ(csv[1], "HP20 1AA");
  try {
    csv.next();
    ADD_FAILURE() << "an unclosed quote was read";
  } catch (const CsvError& e) {
    EXPECT_EQ(std::string(e.what()), path.string() + ": line 3: a quoted field begins on this row and is never closed");
    EXPECT_EQ(e.outcome(), Outcome::invalid_value);  // a request outcome: exit 2
  }
  // The issue's own example, from memory: the field began on line 1.
  CsvReader text = CsvReader::from_text("1,\"HP20 1AA\n2,MK9 3EP");
  try {
    text.next();
    ADD_FAILURE() << "an unclosed quote was read";
  } catch (const CsvError& e) {
    EXPECT_EQ(std::string(e.what()), "the CSV text: line 1: a quoted field begins on this row and is never closed");
  }
}

TEST(CsvReader, LenientReadsOnAfterTheLineWhereTheQuoteBegan) {
  // Line 3's quote never closes: the quote on line 4 closes it as far as RFC 4180 goes, and the one
  // after SL1 1AA opens a field that runs to the end.
  CsvReader csv = CsvReader::from_text(
      "id,postcode,note\n1,HP20 1AA,a\n2,\"MK9 3EP,b\n3,\"SL1 1AA\",c\n4,HP1 1AB,d\n\n5,MK9 1AA,e\n");
  csv.set_lenient(true);
  std::vector<std::tuple<std::string, std::string, std::string, std::uint64_t>> rows;
  while (csv.next())
    rows.emplace_back(std::string(csv[0]), csv.size() > 1 ? std::string(csv[1]) : "", csv.problem(), csv.line());
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[1], std::make_tuple("1", "HP20 1AA", "", 2u));
  EXPECT_EQ(rows[2], std::make_tuple("2", "MK9 3EP,b", "line 3: a quoted field begins on this row and is never closed",
                                     3u));                      // that line alone, with a problem
  EXPECT_EQ(rows[3], std::make_tuple("3", "SL1 1AA", "", 4u));  // and the rows after it as written
  EXPECT_EQ(rows[4], std::make_tuple("4", "HP1 1AB", "", 5u));
  EXPECT_EQ(rows[5], std::make_tuple("5", "MK9 1AA", "", 7u));  // line numbers still count blank lines
  CsvReader last = CsvReader::from_text("id\n1\n\"2\n");        // the last line, no line feed after the quote's
  last.set_lenient(true);
  ASSERT_TRUE(last.next() && last.next() && last.next());
  EXPECT_EQ(last[0], "2");
  EXPECT_EQ(last.problem(), "line 3: a quoted field begins on this row and is never closed");
  EXPECT_FALSE(last.next());
}

TEST(CsvReader, NulBytesAndBytesThatAreNotUtf8) {
  std::string nul = std::string("id,postcode\n1,HP20 1AA\n2,MK9") + '\0' + "3EP\n3,SL1 1AA\n";
  std::string latin1 = "id,name\n1,Caf\xE9\n2,Caf\xC3\xA9\n3,Tea\n";  // Windows-1252, then UTF-8
  for (auto [text, message, outcome] : std::initializer_list<std::tuple<std::string, const char*, Outcome>>{
           {nul, "the CSV text: line 3: a NUL byte (a spreadsheet or UTF-16 file rather than CSV text?)",
            Outcome::invalid_value},
           {latin1, "the CSV text: line 2: text that is not UTF-8 (save the file as CSV UTF-8)", Outcome::invalid_utf8},
       }) {
    CsvReader strict = CsvReader::from_text(text);
    try {
      while (strict.next()) {}
      ADD_FAILURE() << message;
    } catch (const CsvError& e) {
      EXPECT_EQ(std::string(e.what()), message);
      EXPECT_EQ(e.outcome(), outcome);
    }
    CsvReader lenient = CsvReader::from_text(text);
    lenient.set_lenient(true);
    std::size_t rows = 0, damaged = 0;
    while (lenient.next()) ++rows, damaged += !lenient.problem().empty();
    EXPECT_EQ(rows, 4u);  // the header and three rows, one damaged
    EXPECT_EQ(damaged, 1u);
  }
  // Valid UTF-8 everywhere (names, the pound sign, a BOM) reads as before.
  CsvReader fine = CsvReader::from_text("\xEF\xBB\xBFname\nB\xC3\xA9 \xC2\xA3\xE2\x82\xAC\xF0\x9F\x8F\xA0\n");
  ASSERT_TRUE(fine.next());
  ASSERT_TRUE(fine.next());
  EXPECT_EQ(fine[0], "B\xC3\xA9 \xC2\xA3\xE2\x82\xAC\xF0\x9F\x8F\xA0");
  EXPECT_TRUE(fine.problem().empty());
}

// OWASP "CSV Injection": = + - @ tab CR first, apostrophe before, quoted; numbers stay numbers.
TEST(CsvWriter, ExcelSafeCellsEscapeFormulasNotNumbers) {
  auto safe = [](std::string_view field) {
    std::string out;
    append_csv_field(out, field, CsvCells::excel_safe);
    return out;
  };
  EXPECT_EQ(safe("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  EXPECT_EQ(safe("+44 1296 383000"), "\"'+44 1296 383000\"");
  EXPECT_EQ(safe("-2+3"), "\"'-2+3\"");
  EXPECT_EQ(safe("@SUM(A1)"), "\"'@SUM(A1)\"");
  EXPECT_EQ(safe("\tx"), "\"'\tx\"");
  EXPECT_EQ(safe("\rx"), "\"'\rx\"");
  EXPECT_EQ(safe("-0.809452"), "-0.809452");  // a negative longitude stays a number
  EXPECT_EQ(safe("+3"), "+3");
  EXPECT_EQ(safe("-1e-3"), "-1e-3");
  EXPECT_EQ(safe("HP20 1AA"), "HP20 1AA");
  EXPECT_EQ(safe("a=b"), "a=b");  // only the first character matters
  EXPECT_EQ(safe(""), "");
  std::string plain;
  append_csv_field(plain, "=1+1", CsvCells::plain);
  EXPECT_EQ(plain, "=1+1");
  std::string row;
  std::vector<std::string_view> fields = {"1", "=cmd|' /C calc'!A0", "-1.5", "x,y"};
  append_csv_row(row, fields, CsvCells::excel_safe);
  EXPECT_EQ(row, "1,\"'=cmd|' /C calc'!A0\",-1.5,\"x,y\"");
}

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
