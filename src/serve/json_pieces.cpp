#include "src/serve/json_pieces.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <utility>

#include "geo/io/number_text.hpp"

namespace placedist::serve {

void JsonPieces::text(std::string text) { m_parts.push_back({std::move(text), 0, 0, nullptr, nullptr}); }

void JsonPieces::list(std::size_t count, Item item) { m_parts.push_back({{}, count, 0, std::move(item), nullptr}); }

void JsonPieces::add_cells(std::size_t rows, std::size_t columns, Cells cells) {
  m_parts.push_back({{}, rows, columns, nullptr, std::move(cells)});
}

bool JsonPieces::next(std::string& out, std::size_t target) {
  while (m_part < m_parts.size()) {
    Part& p = m_parts[m_part];
    if (!p.item && !p.cells) {
      out += p.text;
      p.text = std::string();
      ++m_part;
      if (out.size() >= target) return m_part < m_parts.size();
      continue;
    }
    if (!m_opened) out.push_back('['), m_opened = true;
    if (p.item) {
      for (; m_row < p.rows; ++m_row) {
        if (m_row) out.push_back(',');
        p.item(out, m_row);
        if (out.size() >= target) {
          ++m_row;
          break;
        }
      }
    } else {
      next_cells(p, out, target);
    }
    if (m_row < p.rows) return true;
    out.push_back(']');
    p = Part{};  // the figures its writer holds (captured) may go now
    ++m_part, m_row = 0, m_column = 0, m_opened = false;
    if (out.size() >= target) return m_part < m_parts.size();
  }
  return false;
}

// Rows of cells until the piece holds `target` bytes, written through a pointer into room made
// for them beforehand: past the target by one cell and its brackets at most.
void JsonPieces::next_cells(Part& p, std::string& out, std::size_t target) {
  const std::size_t used = out.size(), end = std::max(used, target);
  out.resize(end + kMaxCellBytes + 8);
  char* const start = out.data();
  char* at = start + used;
  char* const limit = start + end;
  for (; m_row < p.rows; ++m_row, m_column = 0) {
    if (m_column == 0) {
      if (m_row) *at++ = ',';
      *at++ = '[';
    }
    at = p.cells(at, limit, m_row, m_column);
    if (m_column < p.columns) break;  // the piece filled inside a row
    *at++ = ']';
    if (at >= limit) {
      ++m_row, m_column = 0;
      break;
    }
  }
  out.resize(static_cast<std::size_t>(at - start));
}

std::string JsonPieces::all() {
  std::string out, piece;
  for (bool more = true; more;) {
    piece.clear();
    more = next(piece);
    out += piece;
  }
  return out;
}

char* write_json_number_beyond(char* at, double value, int decimals) {
  std::string text;
  geo::append_json_number(text, value, decimals);
  std::memcpy(at, text.data(), text.size());
  return at + text.size();
}

char* write_json_number(char* at, double value, int decimals) {
  switch (decimals) {
    case 0: return write_json_fixed<0>(at, value);
    case 1: return write_json_fixed<1>(at, value);
    case 2: return write_json_fixed<2>(at, value);
    case 3: return write_json_fixed<3>(at, value);
    case 4: return write_json_fixed<4>(at, value);
    case 5: return write_json_fixed<5>(at, value);
    case 6: return write_json_fixed<6>(at, value);
    case 7: return write_json_fixed<7>(at, value);
    case 8: return write_json_fixed<8>(at, value);
    default: return write_json_fixed<9>(at, value);
  }
}

}  // namespace placedist::serve
