#include "maps/placements_csv.hpp"

#include "geo/io/atomic_file.hpp"
#include "geo/io/csv_writer.hpp"
#include "geo/io/number_text.hpp"

using namespace placedist::geo;

namespace placedist::maps {

namespace {

void append_cell(std::string& out, const Cell& cell, int decimals, CsvCells cells) {
  switch (cell.kind) {
    case Cell::null: return;
    case Cell::text: append_csv_field(out, cell.text_value, cells); return;
    case Cell::boolean: out.append(cell.boolean_value ? "true" : "false"); return;
    case Cell::real: append_fixed(out, cell.real_value, decimals); return;
  }
}

}  // namespace

std::string placements_csv_header(std::span<const PlacementColumn> columns) {
  std::string header;
  for (const PlacementColumn& column : columns) {
    if (!header.empty()) header.push_back(',');
    header += column.name;
  }
  return header;
}

void append_placement_row(std::string& out, const PlacementRow& row, std::span<const PlacementColumn> columns,
                          CsvCells cells) {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i) out.push_back(',');
    append_cell(out, columns[i].value(row), columns[i].decimals, cells);
  }
  out.push_back('\n');
}

void write_placements_csv(const std::filesystem::path& path, std::span<const PlacementRow> rows,
                          std::span<const ExtraColumn> extras, CsvCells cells) {
  const std::vector<PlacementColumn> columns = placement_columns(extras, in_csv, Disclosure::restricted);
  AtomicFile file(path);
  std::string buffer = placements_csv_header(columns) + '\n';
  for (const PlacementRow& row : rows) {
    append_placement_row(buffer, row, columns, cells);
    if (buffer.size() > (1 << 20)) {
      file.write(buffer);
      buffer.clear();
    }
  }
  file.write(buffer);
  file.commit();
}

}  // namespace placedist::maps
