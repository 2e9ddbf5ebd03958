// The pieces a streamed answer is written in (json_pieces.hpp): the same JSON whatever the piece
// size, pieces of about the size asked for, and numbers written as geo writes them.
#include "src/serve/json_pieces.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>

#include "geo/io/number_text.hpp"

namespace placedist::serve {
namespace {

std::string number(double value, int decimals) {
  char buffer[JsonPieces::kMaxCellBytes];
  return {buffer, write_json_number(buffer, value, decimals)};
}

TEST(JsonPieces, NumbersAreWrittenAsGeoWritesThem) {
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> small(-1000, 1000), large(-1e7, 1e7);
  for (int decimals = 0; decimals <= 9; ++decimals) {
    for (int k = 0; k < 20'000; ++k) {
      for (double v : {small(random), large(random), std::round(small(random)), small(random) / 1000}) {
        std::string expected;
        geo::append_json_number(expected, v, decimals);
        ASSERT_EQ(number(v, decimals), expected) << v << " to " << decimals;
      }
    }
  }
  // Halves and their neighbours after scaling, where rounding without libm could differ.
  for (int decimals = 0; decimals <= 3; ++decimals)
    for (int k = -3000; k <= 3000; ++k)
      for (double v : {(k + 0.5) / std::pow(10, decimals), std::nextafter((k + 0.5) / std::pow(10, decimals), 0.0),
                       std::nextafter((k + 0.5) / std::pow(10, decimals), 1e9)}) {
        std::string expected;
        geo::append_json_number(expected, v, decimals);
        ASSERT_EQ(number(v, decimals), expected) << v << " to " << decimals;
      }
  EXPECT_EQ(number(2.345, 2), "2.35");  // no further digits: rounded at the place asked for
  EXPECT_EQ(number(1.5, 2), "1.50");    // a fraction keeps its places
  EXPECT_EQ(number(3.0, 2), "3");       // a whole number has none
  EXPECT_EQ(number(-0.004, 2), "0");    // no negative zero
  EXPECT_EQ(number(-1.25, 1), "-1.3");  // half away from zero
  EXPECT_EQ(number(std::numeric_limits<double>::quiet_NaN(), 1), "null");
  EXPECT_EQ(number(std::numeric_limits<double>::infinity(), 1), "null");
  std::string huge;
  geo::append_json_number(huge, 1e300, 2);
  EXPECT_EQ(number(1e300, 2), huge);  // beyond exact integers: geo's own digits
}

// text, a list and a grid, with cells whose text differs in length.
JsonPieces example(std::size_t rows, std::size_t columns) {
  JsonPieces pieces;
  pieces.text("{\"names\":");
  pieces.list(rows, [](std::string& out, std::size_t i) { out += "\"n" + std::to_string(i) + "\""; });
  pieces.text(",\"grid\":");
  pieces.grid(rows, columns, [](char* at, std::size_t i, std::size_t j) {
    return (i + j) % 5 == 0 ? write_raw(at, "null") : write_json_number(at, double(i) * 1000 + j / 7.0, 2);
  });
  pieces.text("}");
  return pieces;
}

TEST(JsonPieces, TheSameJsonInPiecesOfAnySize) {
  const std::size_t rows = 37, columns = 53;
  const std::string whole = example(rows, columns).all();
  const nlohmann::json parsed = nlohmann::json::parse(whole);
  ASSERT_EQ(parsed["names"].size(), rows);
  ASSERT_EQ(parsed["grid"].size(), rows);
  for (std::size_t i = 0; i < rows; ++i) {
    ASSERT_EQ(parsed["grid"][i].size(), columns);
    for (std::size_t j = 0; j < columns; ++j) {
      if ((i + j) % 5 == 0)
        EXPECT_TRUE(parsed["grid"][i][j].is_null());
      else
        EXPECT_NEAR(parsed["grid"][i][j].get<double>(), double(i) * 1000 + j / 7.0, 0.005);
    }
  }
  for (std::size_t target : {1, 2, 3, 7, 10, 64, 100, 1000}) {
    JsonPieces pieces = example(rows, columns);
    std::string joined, piece;
    std::size_t count = 0;
    for (bool more = true; more; ++count) {
      piece.clear();
      more = pieces.next(piece, target);
      // A piece ends at the first item that reaches the target: one cell (and brackets) past it.
      EXPECT_LT(piece.size(), target + 20) << "target " << target;
      joined += piece;
    }
    EXPECT_EQ(joined, whole) << "target " << target;
    EXPECT_GE(count, whole.size() / (target + 20)) << "target " << target;
  }
}

TEST(JsonPieces, EmptyListsAndOneColumnGrids) {
  JsonPieces pieces;
  pieces.list(0, [](std::string&, std::size_t) {});
  pieces.text(",");
  pieces.grid(3, 1, [](char* at, std::size_t i, std::size_t) { return write_json_number(at, double(i), 0); });
  EXPECT_EQ(pieces.all(), "[],[[0],[1],[2]]");
}

}  // namespace
}  // namespace placedist::serve
