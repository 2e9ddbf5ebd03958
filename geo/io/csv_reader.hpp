#pragma once
// Streaming CSV reader (RFC 4180): quoted fields with doubled quotes and embedded line
// breaks, CRLF or LF endings, a UTF-8 byte-order mark, blank lines skipped. Reads plain
// or gzip-compressed files (zlib decides by the magic bytes), standard input ("-") and text
// held in memory (an HTTP body: no temporary file). Fields are views valid until the next call
// to next().
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace placedist::geo {

class CsvError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class CsvReader {
 public:
  explicit CsvReader(const std::filesystem::path& path);  // "-" reads standard input
  // Reads a copy of `text` (plain, not gzip); position() and file_size() count its bytes.
  static CsvReader from_text(std::string_view text);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next non-blank record; false at the end of the input.
  bool next();

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

  void* m_gz = nullptr;  // null when reading from memory
  std::string m_buffer;
  std::size_t m_begin = 0;  // start of unread data in m_buffer
  std::size_t m_end = 0;    // end of valid data in m_buffer
  bool m_eof = false;
  bool m_first = true;
  std::uint64_t m_line = 1;
  std::uint64_t m_record_line = 0;
  std::uint64_t m_file_size = 0;
  std::string m_unescaped;
  std::string_view m_raw;
  std::vector<std::string_view> m_fields;
};

}  // namespace placedist::geo
