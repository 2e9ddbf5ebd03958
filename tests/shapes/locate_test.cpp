// Point location: inside / boundary / outside, separately, on hand-made squares with holes
// (EPSG:27700 metres) and on real council polygons; the grid locator against GEOS.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <thread>

#include "geo/data_dir.hpp"
#include "shapes/boundaries.hpp"
#include "shapes/detail/boundaries_impl.hpp"
#include "shapes/geos_locator.hpp"
#include "shapes/locate.hpp"
#include "tests/shapes/codepoint_csv.hpp"
#include "tests/shapes/shapes_test_util.hpp"

using namespace placedist::geo;
using namespace placedist::shapes;

namespace placedist {
namespace {

std::string square(double x0, double y0, double x1, double y1) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]", x0, y0, x1, y0, x1, y1, x0, y1, x0, y0);
  return buf;
}

// Alpha: a 1 km square with two holes; Gamma fills the first hole, the second stays empty.
// Beta: the 1 km square east of Alpha, sharing its edge x = 1000. Delta: two 100 m squares.
std::string squares_geojson() {
  using testing::feature;
  return testing::bng_feature_collection({
      feature(R"({"code":"A","name":"Alpha"})", R"({"type":"Polygon","coordinates":[)" + square(0, 0, 1000, 1000) +
                                                    "," + square(400, 400, 600, 600) + "," +
                                                    square(700, 700, 800, 800) + "]}"),
      feature(R"({"code":"B","name":"Beta"})",
              R"({"type":"Polygon","coordinates":[)" + square(1000, 0, 2000, 1000) + "]}"),
      feature(R"({"code":"C","name":"Gamma"})",
              R"({"type":"Polygon","coordinates":[)" + square(400, 400, 600, 600) + "]}"),
      feature(R"({"code":"D","name":"Delta"})", R"({"type":"MultiPolygon","coordinates":[[)" +
                                                    square(3000, 0, 3100, 100) + "],[" + square(3200, 0, 3300, 100) +
                                                    "]]}"),
  });
}

class Squares : public ::testing::Test {
 protected:
  static Boundaries load(double tolerance) {
    testing::TempDir dir("locate_squares");
    testing::write_text(dir / "squares.geojson", squares_geojson());
    BoundaryOptions options;
    options.boundary_tolerance_m = tolerance;
    return Boundaries::load(dir / "squares.geojson", options);
  }
};

struct Case {
  double x, y;
  Where where;
  const char* code;  // "" = outside; "?" = either side of a shared edge
};

void expect_cases(const Boundaries& b, const std::vector<Case>& cases) {
  GeosLocator prepared(b, GeosMethod::prepared), simple(b, GeosMethod::simple);
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::Message() << "point (" << c.x << ", " << c.y << ")");
    const LocateResult r = locate(b, {c.x, c.y});
    EXPECT_EQ(to_string(r.where), std::string(to_string(c.where)));
    if (std::string(c.code) != "?") {
      EXPECT_EQ(std::string(r.code), c.code);
      EXPECT_EQ(r.found(), *c.code != '\0');
    } else {
      EXPECT_TRUE(r.found());
    }
    for (GeosLocator* g : {&prepared, &simple}) {
      const LocateResult gr = g->locate({c.x, c.y});
      EXPECT_EQ(gr.where, r.where);
      if (std::string(c.code) != "?") {
        EXPECT_EQ(gr.council, r.council);
      }
    }
  }
}

TEST_F(Squares, Inside) {
  const Boundaries b = load(1.0);
  ASSERT_EQ(b.size(), 4u);
  expect_cases(b, {{200, 200, Where::inside, "A"},
                   {998.9, 500, Where::inside, "A"},  // 1.1 m from the edge: beyond the 1 m tolerance
                   {1500, 500, Where::inside, "B"},
                   {500, 500, Where::inside, "C"},  // Gamma, in Alpha's hole
                   {397, 500, Where::inside, "A"},
                   {3050, 50, Where::inside, "D"},
                   {3250, 50, Where::inside, "D"}});
}

TEST_F(Squares, Boundary) {
  const Boundaries b = load(1.0);
  expect_cases(b, {{1000, 500, Where::boundary, "?"},  // exactly on the shared edge
                   {1000.4, 500, Where::boundary, "B"},
                   {999.6, 500, Where::boundary, "A"},
                   {0, 500, Where::boundary, "A"},
                   {-0.8, 500, Where::boundary, "A"},  // just outside, within the tolerance
                   {400.5, 500, Where::boundary, "C"},
                   {399.5, 500, Where::boundary, "A"},
                   {700.5, 750, Where::boundary, "A"},  // in the empty hole, near its edge
                   {1000, 1000, Where::boundary, "?"},  // a shared corner
                   {3100.9, 50, Where::boundary, "D"}});
}

TEST_F(Squares, Outside) {
  const Boundaries b = load(1.0);
  expect_cases(b, {{750, 750, Where::outside, ""},  // Alpha's empty hole
                   {-5, 500, Where::outside, ""},
                   {3150, 50, Where::outside, ""},  // between Delta's parts
                   {5000, 5000, Where::outside, ""},
                   {-1.01, 500, Where::outside, ""},
                   {1e9, -1e9, Where::outside, ""}});
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(locate(b, {nan, 500}).where, Where::outside);
  EXPECT_EQ(locate(b, {500, nan}).where, Where::outside);
  EXPECT_EQ(locate(b, {inf, -inf}).where, Where::outside);
}

TEST_F(Squares, ToleranceIsConfigurable) {
  const Boundaries exact = load(0.0);
  expect_cases(exact, {{1000.4, 500, Where::inside, "B"},
                       {999.6, 500, Where::inside, "A"},
                       {1000, 500, Where::boundary, "?"},
                       {0, 500, Where::boundary, "A"},
                       {-0.8, 500, Where::outside, ""}});
  const Boundaries wide = load(10.0);
  expect_cases(wide,
               {{991, 500, Where::boundary, "A"}, {989, 500, Where::inside, "A"}, {-9, 500, Where::boundary, "A"}});
}

TEST(Where, StableCodes) {
  for (Where w : {Where::inside, Where::boundary, Where::outside}) EXPECT_EQ(parse_where(to_string(w)), w);
  EXPECT_STREQ(to_string(Where::boundary), "boundary");
  EXPECT_FALSE(parse_where("Inside").has_value());
}

// Real polygons, real postcodes (Code-Point Open 2025): Aylesbury in Bucks, Milton Keynes not.
class RealCouncils : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_rows = new std::vector<testing::CodePointRow>();
    testing::read_codepoint(data_file("postcodes/codepoint_open_2025_10/plain/hp.csv"), *s_rows);
    testing::read_codepoint(data_file("postcodes/codepoint_open_2025_10/plain/mk.csv"), *s_rows);
  }
  static void TearDownTestSuite() { delete s_rows; }
  static const testing::CodePointRow& first_with_prefix(const std::string& prefix) {
    for (const auto& r : *s_rows)
      if (r.postcode.rfind(prefix, 0) == 0) return r;
    throw std::runtime_error("no postcode with that prefix");
  }
  static std::vector<testing::CodePointRow>* s_rows;
};
std::vector<testing::CodePointRow>* RealCouncils::s_rows = nullptr;

TEST_F(RealCouncils, AylesburyInsideBucksMiltonKeynesOutside) {
  for (const char* file : {"boundaries/geography_bits/utla_bgc_bucks_and_neighbours_dissolved.geojson",
                           "boundaries/ons_ultra_generalised_500m/boundaries_utla21.geojson"}) {
    SCOPED_TRACE(file);
    const Boundaries b = Boundaries::load(data_file(file));
    const auto& aylesbury = first_with_prefix("HP20 ");  // Aylesbury town centre sector
    ASSERT_EQ(aylesbury.district, "E06000060");
    const LocateResult a = locate(b, aylesbury.at);
    EXPECT_EQ(a.code, "E06000060");
    EXPECT_EQ(a.name, "Buckinghamshire");
    EXPECT_EQ(a.where, Where::inside);

    const auto& mk = first_with_prefix("MK9 ");  // Central Milton Keynes
    ASSERT_EQ(mk.district, "E06000042");
    const LocateResult m = locate(b, mk.at);
    EXPECT_EQ(m.code, "E06000042");
    EXPECT_EQ(m.where, Where::inside);
    EXPECT_NE(m.council, static_cast<std::int32_t>(*b.find("E06000060")));
  }
}

// The grid locator and GEOS (prepared) agree on every point: random points over England,
// and points within a few metres of the vertices, where inside/boundary/outside all occur.
TEST(GridAgainstGeos, AgreesOnRealCounties) {
  const Boundaries b = Boundaries::load(data_file("boundaries/ons_ultra_generalised_500m/boundaries_utla21.geojson"));
  ASSERT_EQ(b.size(), 217u);
  GeosLocator geos(b);
  std::mt19937_64 rng(20251020);
  std::uniform_real_distribution<double> e(80000, 660000), n(5000, 680000), jitter(-3, 3);
  std::vector<GridRef> points;
  for (int i = 0; i < 20000; ++i) points.push_back({e(rng), n(rng)});
  for (std::size_t k = 0; k < b.size(); k += 3)
    for (const Polygon& p : b.polygons(k))
      for (const auto& ring : p.rings)
        for (std::size_t v = 0; v < ring.size(); v += 7)
          points.push_back({ring[v].easting + jitter(rng), ring[v].northing + jitter(rng)});
  std::size_t counts[3] = {0, 0, 0}, mismatches = 0;
  for (GridRef p : points) {
    const LocateResult fast = locate(b, p), slow = geos.locate(p);
    ++counts[static_cast<int>(fast.where)];
    if (fast.where != slow.where || fast.council != slow.council) ++mismatches;
  }
  EXPECT_EQ(mismatches, 0u);
  EXPECT_GT(counts[0], 5000u);  // each outcome is well represented
  EXPECT_GT(counts[1], 100u);
  EXPECT_GT(counts[2], 5000u);
}

// The grid only short-cuts: any cell size gives the same answers, from cells far smaller
// than an edge (almost all mixed) to cells of 50 km (few uniform).
TEST(GridAgainstGeos, CellSizeDoesNotChangeAnswers) {
  const Boundaries b =
      Boundaries::load(data_file("boundaries/geography_bits/utla_bgc_bucks_and_neighbours_dissolved.geojson"));
  const auto& rings = b.impl().rings;
  const shapes::detail::GridLocator fine(rings, 1.0, 100.0), coarse(rings, 1.0, 50000.0);
  EXPECT_GT(fine.mixed_cell_count(), 10000u);
  EXPECT_LT(coarse.cell_count(), 100u);
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> e(390000, 560000), n(130000, 310000), jitter(-2, 2);
  std::vector<GridRef> points;
  for (int i = 0; i < 50000; ++i) points.push_back({e(rng), n(rng)});
  for (const auto& council : rings)
    for (const auto& ring : council)
      for (std::size_t v = 0; v < ring.size(); v += 5)
        points.push_back({ring[v].easting + jitter(rng), ring[v].northing + jitter(rng)});
  std::size_t differ = 0, boundary = 0;
  for (GridRef p : points) {
    const LocateResult r = locate(b, p);
    boundary += r.where == Where::boundary;
    for (const shapes::detail::GridLocator* g : {&fine, &coarse}) {
      const shapes::detail::LocateHit h = g->locate(p.easting, p.northing);
      differ += h.council != r.council || h.where != r.where;
    }
  }
  EXPECT_EQ(differ, 0u);
  EXPECT_GT(boundary, 100u);
}

// Shared read-only between threads, with one GeosLocator per thread.
TEST(GridAgainstGeos, ThreadsShareOneBoundaries) {
  const Boundaries b =
      Boundaries::load(data_file("boundaries/geography_bits/utla_bgc_bucks_and_neighbours_dissolved.geojson"));
  std::vector<GridRef> points;
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> e(440000, 540000), n(150000, 260000);
  for (int i = 0; i < 4000; ++i) points.push_back({e(rng), n(rng)});
  std::vector<std::int32_t> expected;
  for (GridRef p : points) expected.push_back(locate(b, p).council);
  std::size_t bad[2] = {0, 0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t)
    threads.emplace_back([&, t] {
      GeosLocator g(b);
      for (std::size_t i = 0; i < points.size(); ++i)
        if (locate(b, points[i]).council != expected[i] || g.locate(points[i]).council != expected[i]) ++bad[t];
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad[0] + bad[1], 0u);
}

}  // namespace
}  // namespace placedist
