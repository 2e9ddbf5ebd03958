#pragma once
// Streaming CSV reader (RFC 4180): quoted fields with doubled quotes and embedded line
// breaks, CRLF or LF endings, a UTF-8 byte-order mark, blank lines skipped. Reads plain
// or gzip-compressed files (zlib decides by the magic bytes), standard input ("-") and text
// held in memory (an HTTP body: no temporary file). Fields are views valid until the next call
// to next().
//
// Damage is never read silently: a quoted field still open at the end of the input (which
// would swallow every row after it), a NUL byte or bytes that are not UTF-8 throw a CsvError
// naming the line. When lenient, the record comes back with problem() saying what is wrong
// instead: a record with an unclosed quote is its first line alone, and reading goes on from the
// next line.
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "geo/outcome.hpp"

namespace placedist::geo {

// The input cannot be read (outcome unreadable) or is damaged (invalid_value, invalid_utf8):
// request-group outcomes, since the input is the user's (exit 2, HTTP 400).
class CsvError : public Failure {
 public:
  explicit CsvError(const std::string& message, Outcome outcome = Outcome::invalid_value) : Failure(outcome, message) {}
};

class CsvReader {
 public:
  explicit CsvReader(const std::filesystem::path& path);  // "-" reads standard input
  // Reads a copy of `text` (plain, not gzip); position() and file_size() count its bytes.
  static CsvReader from_text(std::string_view text);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next non-blank record; false at the end of the input. Throws CsvError on damage
  // unless lenient.
  bool next();
  // Lenient: damaged records come back with a problem() rather than stopping the file.
  void set_lenient(bool lenient) { m_lenient = lenient; }
  // What is wrong with the current record ("line 4: a quoted field begins on this row and is
  // never closed"); empty when nothing is. Only lenient readers return damaged records.
  const std::string& problem() const { return m_problem; }

  std::size_t size() const { return m_fields.size(); }
  std::string_view operator[](std::size_t i) const { return m_fields[i]; }
  const std::vector<std::string_view>& fields() const { return m_fields; }
  // The record exactly as written, without its line ending (for pass-through output).
  std::string_view raw() const { return m_raw; }
  // 1-based line on which the current record starts.
  std::uint64_t line() const { return m_record_line; }
  // Bytes consumed from the file so far and its size on disk (0 when unknown, e.g. a pipe);
  // for gzip files both count compressed bytes.
  std::uint64_t position() const;
  std::uint64_t file_size() const { return m_file_size; }

 private:
  struct InMemory {};
  CsvReader(InMemory, std::string_view text);
  bool fill();
  void split(std::size_t begin, std::size_t end);
  // Checks a record for NUL bytes and UTF-8; sets m_problem or throws.
  void check_bytes(std::size_t begin, std::size_t end);
  void damaged(std::string problem);

  void* m_gz = nullptr;  // null when reading from memory
  std::string m_buffer;
  std::size_t m_begin = 0;  // start of unread data in m_buffer
  std::size_t m_end = 0;    // end of valid data in m_buffer
  bool m_eof = false;
  bool m_first = true;
  std::uint64_t m_line = 1;
  std::uint64_t m_record_line = 0;
  std::uint64_t m_file_size = 0;
  std::string m_name;  // the file, for messages
  bool m_lenient = false;
  std::string m_problem;
  std::string m_unescaped;
  std::string_view m_raw;
  std::vector<std::string_view> m_fields;
};

}  // namespace placedist::geo
