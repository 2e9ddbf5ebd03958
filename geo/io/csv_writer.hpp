#pragma once
// Appends CSV fields to a buffer, quoting only where RFC 4180 requires it.
//
// Excel-safe cells (--excel-safe): a text cell that a spreadsheet would take for a formula (it
// begins with = + - @, a tab or a carriage return) is written as OWASP recommends for CSV
// injection: an apostrophe before it, the whole cell quoted, quotes doubled ("'=HYPERLINK(...)").
// Numbers stay numbers (-0.809452, +3, -1e-3): they cannot run.
#include <span>
#include <string>
#include <string_view>

namespace placedist::geo {

enum class CsvCells { plain, excel_safe };

void append_csv_field(std::string& out, std::string_view field);
void append_csv_field(std::string& out, std::string_view field, CsvCells cells);
// Fields joined by commas (no line ending).
void append_csv_row(std::string& out, std::span<const std::string_view> fields, CsvCells cells);

// True for a cell a spreadsheet would evaluate: = + - @ tab or CR first, and not a number.
bool formula_like(std::string_view field);

}  // namespace placedist::geo
