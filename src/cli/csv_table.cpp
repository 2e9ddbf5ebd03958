#include "src/cli/csv_table.hpp"

namespace placedist::cli {

std::optional<CsvRow> CsvReader::next() {
  CsvRow row;
  std::string field;
  bool quoted = false, any = false, was_quoted = false;
  int c;
  while ((c = m_in.get()) != EOF) {
    any = true;
    if (quoted) {
      if (c == '"') {
        if (m_in.peek() == '"')
          field += static_cast<char>(m_in.get());
        else
          quoted = false;
      } else {
        field += static_cast<char>(c);
      }
    } else if (c == '"' && field.empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c == '\n') {
      if (!field.empty() && field.back() == '\r' && !was_quoted) field.pop_back();
      row.push_back(std::move(field));
      return row;
    } else if (c == '\r' && m_in.peek() == '\n') {
      continue;
    } else {
      field += static_cast<char>(c);
    }
  }
  if (!any) return std::nullopt;
  row.push_back(std::move(field));
  return row;
}

void write_csv_row(std::ostream& out, const CsvRow& row) {
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i) out << ',';
    const std::string& f = row[i];
    if (f.find_first_of(",\"\r\n") == std::string::npos) {
      out << f;
      continue;
    }
    out << '"';
    for (char ch : f) {
      if (ch == '"') out << '"';
      out << ch;
    }
    out << '"';
  }
  out << '\n';
}

int csv_column(const CsvRow& header, const std::string& name) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

}  // namespace placedist::cli
