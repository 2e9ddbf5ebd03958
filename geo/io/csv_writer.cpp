#include "geo/io/csv_writer.hpp"

#include <charconv>

namespace placedist::geo {

namespace {
bool needs_quotes(std::string_view field) {
  for (char c : field)  // a plain loop: find_first_of calls memchr once per character
    if (c == ',' || c == '"' || c == '\r' || c == '\n') return true;
  return false;
}

void append_quoted(std::string& out, std::string_view prefix, std::string_view field) {
  out.push_back('"');
  out.append(prefix);
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

// A decimal number as placedist and spreadsheets write them: sign, digits, point, exponent.
bool is_number(std::string_view field) {
  for (char c : field)
    if (!((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E')) return false;
  std::string_view digits = field.starts_with('+') ? field.substr(1) : field;
  double value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return error == std::errc() && end == digits.data() + digits.size() && !digits.empty();
}
}  // namespace

bool formula_like(std::string_view field) {
  if (field.empty()) return false;
  char c = field.front();
  if (c == '\t' || c == '\r' || c == '=' || c == '@') return true;
  return (c == '+' || c == '-') && !is_number(field);
}

void append_csv_field(std::string& out, std::string_view field) {
  if (!needs_quotes(field)) {
    out.append(field);
    return;
  }
  append_quoted(out, {}, field);
}

void append_csv_field(std::string& out, std::string_view field, CsvCells cells) {
  if (cells == CsvCells::excel_safe && formula_like(field))
    append_quoted(out, "'", field);
  else
    append_csv_field(out, field);
}

void append_csv_row(std::string& out, std::span<const std::string_view> fields, CsvCells cells) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out.push_back(',');
    append_csv_field(out, fields[i], cells);
  }
}

}  // namespace placedist::geo
