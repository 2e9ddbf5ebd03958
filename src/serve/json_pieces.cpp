#include "src/serve/json_pieces.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <utility>

#include "geo/io/number_text.hpp"

namespace placedist::serve {

void JsonPieces::text(std::string text) { m_parts.push_back({std::move(text), 0, 0, nullptr, nullptr}); }

void JsonPieces::wait(std::function<bool()> ready) {
  Part part;
  part.ready = std::move(ready);
  m_parts.push_back(std::move(part));
}

void JsonPieces::list(std::size_t count, Item item) { m_parts.push_back({{}, count, 0, std::move(item), nullptr}); }

void JsonPieces::add_cells(std::size_t rows, std::size_t columns, Cells cells) {
  m_parts.push_back({{}, rows, columns, nullptr, std::move(cells)});
}

bool JsonPieces::next(std::string& out, std::size_t target) {
  while (m_part < m_parts.size()) {
    Part& p = m_parts[m_part];
    if (p.ready) {
      if (!p.ready()) return true;
      ++m_part;
      continue;
    }
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

namespace {

constexpr double kScale[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
constexpr unsigned long long kWhole[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000};

// As geo's append_rounded: the digits of the value rounded (half away from zero) to whole
// 10^-D, through integers; D a constant, so that dividing by 10^D is a multiplication (the
// matrices' millions of cells spend most of their text here). Rounded without libm's round(),
// which is a call per cell: below 2^53 the fraction v - trunc(v) is exact, so comparing it with
// one half gives round()'s answer.
template <int D>
char* write_rounded(char* at, double value) {
  if (!std::isfinite(value)) return write_raw(at, "null");
  const double scaled = value * kScale[D];
  if (std::abs(scaled) >= 9e15) {  // beyond exact integers: as geo writes it (rare; at most 352 bytes)
    std::string text;
    geo::append_json_number(text, value, D);
    std::memcpy(at, text.data(), text.size());
    return at + text.size();
  }
  long long signed_whole = static_cast<long long>(scaled);  // toward zero
  const double part = scaled - static_cast<double>(signed_whole);
  signed_whole += static_cast<long long>(part >= 0.5) - static_cast<long long>(part <= -0.5);  // no branch: fractions are random
  if (signed_whole < 0) *at++ = '-', signed_whole = -signed_whole;
  const auto whole = static_cast<unsigned long long>(signed_whole);
  at = std::to_chars(at, at + 24, whole / kWhole[D]).ptr;
  unsigned long long fraction = whole % kWhole[D];
  if (D == 0 || fraction == 0) return at;
  *at++ = '.';
  for (int i = D - 1; i >= 0; --i, fraction /= 10) at[i] = static_cast<char>('0' + fraction % 10);
  return at + D;
}

}  // namespace

char* write_json_number(char* at, double value, int decimals) {
  switch (decimals) {
    case 0: return write_rounded<0>(at, value);
    case 1: return write_rounded<1>(at, value);
    case 2: return write_rounded<2>(at, value);
    case 3: return write_rounded<3>(at, value);
    case 4: return write_rounded<4>(at, value);
    case 5: return write_rounded<5>(at, value);
    case 6: return write_rounded<6>(at, value);
    case 7: return write_rounded<7>(at, value);
    case 8: return write_rounded<8>(at, value);
    default: return write_rounded<9>(at, value);
  }
}

}  // namespace placedist::serve
