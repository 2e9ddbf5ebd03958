#pragma once
// A JSON answer written in pieces (Response::stream): fixed text, lists and grids whose items are
// written only when their piece is due, so that a large answer (a million-cell matrix) never sits
// in memory as text; only the figures it is written from do. Grid cells are written straight
// into the piece's bytes (no std::string per number): a matrix's text costs about as much as
// its search.
#include <charconv>
#include <cmath>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace placedist::serve {

class JsonPieces {
 public:
  static constexpr std::size_t kPieceBytes = 64 * 1024;
  static constexpr std::size_t kMaxCellBytes = 352;  // the most one grid cell may write

  using Item = std::function<void(std::string& out, std::size_t index)>;
  // Writes the cells of `row` from `column` on (a comma before each but the row's first) at
  // `at`, until the row ends or `at` reaches `limit`; advances `column` past the cells written
  // and returns the end. Made by grid() from a writer of one cell.
  using Cells = std::function<char*(char* at, const char* limit, std::size_t row, std::size_t& column)>;

  void text(std::string text);              // written as given
  void list(std::size_t count, Item item);  // [item(0),item(1),...]
  // [[cell(0,0),cell(0,1),...],...]; columns > 0. `cell(at, row, column)` writes one cell at
  // `at` (at most kMaxCellBytes) and returns the end; it is called inline, a row's cells in one
  // loop (no indirect call per cell: a million-cell matrix spends most of its text here).
  template <class Cell>
  void grid(std::size_t rows, std::size_t columns, Cell cell) {
    add_cells(rows, columns, [cell = std::move(cell), columns](char* at, const char* limit, std::size_t row,
                                                               std::size_t& column) mutable {
      while (column < columns) {
        if (column) *at++ = ',';
        at = cell(at, row, column++);
        if (at >= limit) break;
      }
      return at;
    });
  }

  // Appends the next piece, about `target` bytes (one item more at most), to `out`; false once
  // the answer is complete.
  bool next(std::string& out, std::size_t target = kPieceBytes);
  // The whole answer in one string (small answers, tests).
  std::string all();

 private:
  struct Part {
    std::string text;
    std::size_t rows = 0, columns = 0;  // columns 0: a list of `rows` items
    Item item;
    Cells cells;
  };
  void add_cells(std::size_t rows, std::size_t columns, Cells cells);
  void next_cells(Part& p, std::string& out, std::size_t target);
  std::vector<Part> m_parts;
  std::size_t m_part = 0;
  std::size_t m_row = 0, m_column = 0;  // the next item of the current part
  bool m_opened = false;                // its '[' is written
};

// Text that needs no JSON escaping (a status code, "null"), as is.
inline char* write_raw(char* at, std::string_view text) {
  for (char c : text) *at++ = c;
  return at;
}
// The same text as geo::append_json_number (rounded to `decimals`, no ".0", null when not
// finite), written at `at`; at most JsonPieces::kMaxCellBytes.
char* write_json_number(char* at, double value, int decimals);
// Values beyond exact integers once scaled, as geo writes them (rare; at most 352 bytes).
char* write_json_number_beyond(char* at, double value, int decimals);

// write_json_number with D decimals known at compile time, inline (a matrix writes millions):
// the digits of the value rounded (half away from zero) to whole 10^-D through integers, so that
// dividing by 10^D is a multiplication. Rounded by comparing the exact fraction v - trunc(v)
// (exact below 2^53) with one half, with no branch (the fractions are random: a branch
// mispredicted half the time) and no call to libm's round().
template <int D>
inline char* write_json_fixed(char* at, double value) {
  static_assert(D >= 0 && D <= 9);
  constexpr double kScale[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
  constexpr unsigned long long kWhole[] = {1,      10,      100,      1000,      10000,
                                           100000, 1000000, 10000000, 100000000, 1000000000};
  if (!std::isfinite(value)) return write_raw(at, "null");
  const double scaled = value * kScale[D];
  if (std::abs(scaled) >= 9e15) return write_json_number_beyond(at, value, D);
  long long signed_whole = static_cast<long long>(scaled);  // toward zero
  const double part = scaled - static_cast<double>(signed_whole);
  signed_whole += static_cast<long long>(part >= 0.5) - static_cast<long long>(part <= -0.5);
  if (signed_whole < 0) *at++ = '-', signed_whole = -signed_whole;
  const auto whole = static_cast<unsigned long long>(signed_whole);
  at = std::to_chars(at, at + 24, whole / kWhole[D]).ptr;
  unsigned long long fraction = whole % kWhole[D];
  if (D == 0 || fraction == 0) return at;
  *at++ = '.';
  for (int i = D - 1; i >= 0; --i, fraction /= 10) at[i] = static_cast<char>('0' + fraction % 10);
  return at + D;
}

}  // namespace placedist::serve
