#include "geo/io/csv_reader.hpp"

#include <algorithm>

#include <zlib.h>

#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <string>

#include "geo/io/utf8_text.hpp"

namespace placedist::geo {

namespace {
constexpr std::size_t kChunk = 1 << 20;
}

CsvReader::CsvReader(const std::filesystem::path& path) {
  if (path == "-") {
    m_name = "standard input";
    m_gz = gzdopen(dup(STDIN_FILENO), "rb");
  } else {
    m_name = path.string();
    std::error_code ec;
    m_file_size = std::filesystem::file_size(path, ec);
    if (ec) throw CsvError("cannot read " + path.string() + ": " + ec.message(), Outcome::unreadable);
    m_gz = gzopen(path.c_str(), "rb");
  }
  if (!m_gz) throw CsvError("cannot open " + path.string() + ": " + std::strerror(errno), Outcome::unreadable);
  gzbuffer(static_cast<gzFile>(m_gz), 256 * 1024);
  // A small file gets a small buffer (it grows by doubling if gzip text is longer): zero-filling
  // 2 MB for a few rows cost 770 page faults a file (the fuzz targets opened 100 files a second).
  const std::uint64_t known = m_file_size > 0 ? m_file_size + 4096 : 2 * kChunk;
  m_buffer.resize(static_cast<std::size_t>(std::min<std::uint64_t>(known, 2 * kChunk)));
}

CsvReader CsvReader::from_text(std::string_view text) { return CsvReader(InMemory{}, text); }

CsvReader::CsvReader(InMemory, std::string_view text)
    : m_buffer(text), m_end(text.size()), m_eof(true), m_name("the CSV text") {
  m_file_size = text.size();
  if (text.starts_with("\xEF\xBB\xBF")) m_begin = 3;
  m_first = false;
}

CsvReader::~CsvReader() {
  if (m_gz) gzclose(static_cast<gzFile>(m_gz));
}

std::uint64_t CsvReader::position() const {
  return m_gz ? static_cast<std::uint64_t>(gzoffset(static_cast<gzFile>(m_gz))) : m_begin;
}

// Moves unread bytes to the front and reads more; false when nothing more could be read.
bool CsvReader::fill() {
  if (m_eof) return false;
  if (m_begin > 0) {
    std::memmove(m_buffer.data(), m_buffer.data() + m_begin, m_end - m_begin);
    m_end -= m_begin;
    m_begin = 0;
  }
  if (m_buffer.size() - m_end < kChunk) m_buffer.resize(m_buffer.size() * 2);
  int got = gzread(static_cast<gzFile>(m_gz), m_buffer.data() + m_end, static_cast<unsigned>(m_buffer.size() - m_end));
  if (got < 0) {
    int code = 0;
    throw CsvError(m_name + ": read error: " + gzerror(static_cast<gzFile>(m_gz), &code), Outcome::unreadable);
  }
  if (got == 0) {
    m_eof = true;
    return false;
  }
  m_end += static_cast<std::size_t>(got);
  if (m_first && m_end >= 3 && std::memcmp(m_buffer.data(), "\xEF\xBB\xBF", 3) == 0) m_begin = 3;
  if (m_end >= 3 || m_eof) m_first = false;
  return true;
}

bool CsvReader::next() {
  m_problem.clear();
  for (;;) {
    // Find the end of the record: a line feed outside quotes. Note whether any byte needs a
    // closer look (NUL, non-ASCII).
    std::size_t scan = m_begin;
    bool quoted = false;
    bool suspect = false;
    std::size_t lines = 0;
    for (;;) {
      const char* data = m_buffer.data();
      while (scan < m_end) {
        char c = data[scan];
        if (c == '"') {
          quoted = !quoted;
        } else if (c == '\n') {
          if (!quoted) break;
          ++lines;
        } else if (c == 0 || static_cast<unsigned char>(c) >= 0x80) {
          suspect = true;
        }
        ++scan;
      }
      if (scan < m_end) break;
      std::size_t offset = scan - m_begin;
      bool more = fill();  // may move the unread bytes to the front
      scan = m_begin + offset;
      if (!more) break;
    }
    if (m_begin >= m_end) return false;
    m_record_line = m_line;
    if (quoted) {
      // The input ended inside a quoted field, which would swallow every row after it. Its quote
      // opened on this record's first line (or was closed by a quote on a later row, which then
      // opened the field that never closes): name that line, and when lenient make it the record
      // alone, reading on from the next line.
      damaged("line " + std::to_string(m_line) + ": a quoted field begins on this row and is never closed");
      const void* line_end = std::memchr(m_buffer.data() + m_begin, '\n', m_end - m_begin);
      scan = line_end ? static_cast<std::size_t>(static_cast<const char*>(line_end) - m_buffer.data()) : m_end;
      lines = 0;
    }
    std::size_t end = scan;  // at '\n' or at m_end
    std::size_t next_begin = scan < m_end ? scan + 1 : m_end;
    std::size_t record_end = end;
    if (record_end > m_begin && m_buffer[record_end - 1] == '\r') --record_end;
    m_line += lines + (scan < m_end ? 1 : 0);
    bool blank = record_end == m_begin;
    if (!blank) {
      if (suspect) check_bytes(m_begin, record_end);
      split(m_begin, record_end);
    }
    m_begin = next_begin;
    if (!blank) return true;
  }
}

void CsvReader::damaged(std::string problem) {
  if (!m_lenient) throw CsvError(m_name + ": " + problem);
  if (m_problem.empty()) m_problem = std::move(problem);
}

void CsvReader::check_bytes(std::size_t begin, std::size_t end) {
  std::string_view record(m_buffer.data() + begin, end - begin);
  auto line_of = [&](std::size_t at) {
    std::size_t feeds = 0;
    for (std::size_t i = 0; i < at; ++i) feeds += record[i] == '\n';
    return std::to_string(m_record_line + feeds);
  };
  if (std::size_t nul = record.find('\0'); nul != std::string_view::npos)
    damaged("line " + line_of(nul) + ": a NUL byte (a spreadsheet or UTF-16 file rather than CSV text?)");
  if (std::size_t bad = first_invalid_utf8(record); bad != std::string_view::npos) {
    std::string problem = "line " + line_of(bad) + ": text that is not UTF-8 (save the file as CSV UTF-8)";
    if (!m_lenient) throw CsvError(m_name + ": " + problem, Outcome::invalid_utf8);
    if (m_problem.empty()) m_problem = std::move(problem);
  }
}

void CsvReader::split(std::size_t begin, std::size_t end) {
  const char* data = m_buffer.data();
  m_raw = std::string_view(data + begin, end - begin);
  m_fields.clear();
  m_unescaped.clear();
  m_unescaped.reserve(end - begin);  // views into it must stay valid: never reallocate below
  std::size_t i = begin;
  for (;;) {
    if (i < end && data[i] == '"') {
      // Quoted field: copy out, turning "" into ".
      std::size_t start = m_unescaped.size();
      ++i;
      while (i < end) {
        if (data[i] == '"') {
          if (i + 1 < end && data[i + 1] == '"') {
            m_unescaped.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        m_unescaped.push_back(data[i++]);
      }
      // Text after the closing quote up to the delimiter is kept (lenient, as most readers).
      while (i < end && data[i] != ',') m_unescaped.push_back(data[i++]);
      m_fields.emplace_back(m_unescaped.data() + start, m_unescaped.size() - start);
    } else {
      std::size_t start = i;
      while (i < end && data[i] != ',') ++i;
      m_fields.emplace_back(data + start, i - start);
    }
    if (i >= end) break;
    ++i;  // past the comma
    if (i == end) {
      m_fields.emplace_back();
      break;
    }
  }
}

}  // namespace placedist::geo
