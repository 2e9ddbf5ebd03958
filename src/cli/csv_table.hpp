#pragma once
// Minimal RFC 4180 CSV reading and writing for the row-per-query commands (route, matrix):
// quoted fields with commas, doubled quotes and line breaks; a header row; CRLF or LF.
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace placedist::cli {

using CsvRow = std::vector<std::string>;

class CsvReader {
 public:
  explicit CsvReader(std::istream& in) : m_in(in) {}
  // The next record, or nullopt at the end of input.
  std::optional<CsvRow> next();

 private:
  std::istream& m_in;
};

void write_csv_row(std::ostream& out, const CsvRow& row);

// Index of a header column (exact name), or -1.
int csv_column(const CsvRow& header, const std::string& name);

}  // namespace placedist::cli
