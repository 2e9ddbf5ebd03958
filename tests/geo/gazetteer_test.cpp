#include "geo/gazetteer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <tuple>

#include "geo/built_gazetteer.hpp"
#include "geo/crs.hpp"
#include "geo/data_dir.hpp"
#include "geo/gazetteer_build.hpp"
#include "geo/gazetteer_format.hpp"
#include "geo/io/csv_reader.hpp"

using namespace placedist::geo;

namespace placedist {
namespace {

namespace fs = std::filesystem;
using testing::built_gazetteer;
using Kind = GazetteerSource::Kind;

const Gazetteer& plain_2025() {  // the 12 areas around Buckinghamshire, uncompressed
  static Gazetteer g = Gazetteer::open(built_gazetteer(
      "plain_2025", {{{Kind::codepoint, data_file("postcodes/codepoint_open_2025_10/plain")}}, {}, {}, {}, {}}));
  return g;
}
const Gazetteer& codepoint_2025() {
  static Gazetteer g = Gazetteer::open(built_gazetteer(
      "codepoint_2025", {{{Kind::codepoint, data_file("postcodes/codepoint_open_2025_10")}}, {}, {}, {}, {}}));
  return g;
}
const Gazetteer& codepoint_2018() {
  static Gazetteer g = Gazetteer::open(built_gazetteer(
      "codepoint_2018", {{{Kind::codepoint, data_file("postcodes/codepoint_open_2018_07")}}, {}, {}, {}, {}}));
  return g;
}
const Gazetteer& onspd_sample() {
  static Gazetteer g = Gazetteer::open(built_gazetteer(
      "onspd_sample", {{{Kind::directory, data_file("postcodes/onspd_sample_postcodes_io/onspd_seed_postcode.csv")}},
                       {},
                       {data_file("postcodes/onspd_sample_postcodes_io/gss_names_districts.json")},
                       {},
                       {}}));
  return g;
}
const Gazetteer& default_sources() {
  static Gazetteer g = Gazetteer::open(built_gazetteer("default", default_gazetteer_options()));
  return g;
}

// Every row of a Code-Point file comes back with its own grid reference and councils.
TEST(Gazetteer, CodePointRoundTrip) {
  const Gazetteer& g = plain_2025();
  std::size_t rows = 0, exact = 0, no_grid = 0;
  CsvReader csv(data_file("postcodes/codepoint_open_2025_10/plain/hp.csv"));
  while (csv.next()) {
    ++rows;
    GeocodeResult r = g.lookup(csv[0]);
    if (csv[1] == "90") {  // no coordinates: placed at the sector centroid instead
      no_grid += r.status == GeocodeStatus::approximate && r.match == PostcodeLevel::sector;
      continue;
    }
    std::string county(csv[7]);
    bool same = r.status == GeocodeStatus::ok && r.match == PostcodeLevel::unit &&
                r.grid.easting == std::stod(std::string(csv[2])) && r.grid.northing == std::stod(std::string(csv[3])) &&
                r.ltla.code == csv[8] && r.utla.code == (county.empty() ? csv[8] : county);
    exact += same;
  }
  EXPECT_EQ(rows, 14130u);
  EXPECT_EQ(exact + no_grid, rows);
  EXPECT_GT(exact, 14000u);
  EXPECT_EQ(plain_2025().unit_count(),
            14130u + 16155 + 10665 + 20463 + 23775 + 6434 + 7795 + 7421 + 7218 + 17053 + 22611 + 12145);
}

TEST(Gazetteer, KnownPostcodesAndCouncilNames) {
  GeocodeResult r = codepoint_2025().lookup("hp20 1aa");
  ASSERT_EQ(r.status, GeocodeStatus::ok);
  EXPECT_EQ(r.grid, (GridRef{482158, 213995}));
  EXPECT_EQ(r.utla.code, "E06000060");
  EXPECT_EQ(r.utla.name, "Buckinghamshire");
  // A Hertfordshire district: the upper tier is the county.
  GeocodeResult herts = codepoint_2025().lookup("HP1 1AB");
  EXPECT_EQ(herts.ltla.code, "E07000096");
  EXPECT_EQ(herts.ltla.name, "Dacorum");
  EXPECT_EQ(herts.utla.code, "E10000015");
}

// Vintages: before April 2020 Buckinghamshire was a county of four districts.
TEST(Gazetteer, VintagesGiveTheirOwnCouncils) {
  GeocodeResult then = codepoint_2018().lookup("HP10 0AA");
  GeocodeResult now = codepoint_2025().lookup("HP10 0AA");
  ASSERT_TRUE(then.located());
  ASSERT_TRUE(now.located());
  EXPECT_EQ(then.utla.code, "E10000002");
  EXPECT_EQ(then.utla.name, "Buckinghamshire");  // "Buckinghamshire County" in Code-Point's list
  EXPECT_EQ(then.ltla.code, "E07000007");
  EXPECT_EQ(then.ltla.name, "Wycombe");
  EXPECT_EQ(now.utla.code, "E06000060");
  EXPECT_EQ(now.ltla.code, "E06000060");
  EXPECT_EQ(then.grid, now.grid);
}

// Sector and district centroids equal the means derived independently from Code-Point 2025
// (postcodes/derived_from_codepoint_2025_10, whole metres), with the same modal district.
TEST(Gazetteer, CentroidsMatchTheDerivedTables) {
  for (auto [file, column] : {std::pair{"postcode_sector_centroids.csv", "sector"},
                              std::pair{"postcode_district_centroids.csv", "district"}}) {
    CsvReader csv(data_file(fs::path("postcodes/derived_from_codepoint_2025_10") / file));
    csv.next();
    std::size_t rows = 0, same_place = 0, same_council = 0;
    while (csv.next()) {
      ++rows;
      GeocodeResult r = codepoint_2025().lookup(csv[0]);
      bool level_ok = r.status == GeocodeStatus::ok && std::string(to_string(r.match)) == column;
      same_place += level_ok && std::abs(r.grid.easting - std::stod(std::string(csv[1]))) <= 0.5 &&
                    std::abs(r.grid.northing - std::stod(std::string(csv[2]))) <= 0.5;
      same_council += r.ltla.code == csv[4];
    }
    EXPECT_EQ(same_place, rows) << file;
    // The modal council differs only where two councils tie (B45 9, L70 2, LE87 2, PE9 3):
    // the derived table and we break ties differently.
    EXPECT_GE(same_council, rows - 4) << file;
    EXPECT_GT(rows, 2800u);
  }
}

TEST(Gazetteer, FallsBackUnitToSectorToDistrict) {
  const Gazetteer& g = codepoint_2025();
  GeocodeResult missing_unit = g.lookup("HP20 1ZZ");  // HP20 1 exists, 1ZZ does not
  EXPECT_EQ(missing_unit.status, GeocodeStatus::approximate);
  EXPECT_EQ(missing_unit.match, PostcodeLevel::sector);
  EXPECT_EQ(missing_unit.grid, g.lookup("HP20 1").grid);
  GeocodeResult missing_sector = g.lookup("HP20 8AA");  // no sector HP20 8
  EXPECT_EQ(missing_sector.status, GeocodeStatus::approximate);
  EXPECT_EQ(missing_sector.match, PostcodeLevel::district);
  EXPECT_EQ(g.lookup("HP20 1").match, PostcodeLevel::sector);
  EXPECT_EQ(g.lookup("HP20").match, PostcodeLevel::district);
  EXPECT_EQ(g.lookup("HP").match, PostcodeLevel::area);
  EXPECT_EQ(g.lookup("HP20").status, GeocodeStatus::ok);
  EXPECT_EQ(g.lookup("HP99 1AA").status, GeocodeStatus::unknown);  // no such district
  EXPECT_EQ(g.lookup("QQ").status, GeocodeStatus::malformed);
  EXPECT_EQ(g.lookup("not a postcode").status, GeocodeStatus::malformed);
  EXPECT_EQ(g.lookup("").status, GeocodeStatus::empty);
  EXPECT_EQ(g.lookup("BFPO 57").status, GeocodeStatus::non_geographic);
}

// The full ONSPD schema, header-driven: every AB1 postcode in the sample was terminated in the 1990s.
TEST(Gazetteer, OnspdTerminatedPostcodes) {
  const Gazetteer& g = onspd_sample();
  std::size_t terminated = 0, live = 0, rows = 0;
  CsvReader csv(data_file("postcodes/onspd_sample_postcodes_io/onspd_seed_postcode.csv"));
  csv.next();
  while (csv.next()) {
    ++rows;
    GeocodeResult r = g.lookup(csv[2]);  // pcds
    terminated += r.status == GeocodeStatus::terminated;
    live += r.status == GeocodeStatus::ok && r.match == PostcodeLevel::unit;
  }
  EXPECT_EQ(rows, 8048u);
  // 3,811 have a doterm; one of them, AB11 3AG, has no grid reference and falls back to its district.
  EXPECT_EQ(terminated, 3810u);
  EXPECT_EQ(g.lookup("AB11 3AG").status, GeocodeStatus::approximate);
  EXPECT_EQ(live + terminated, rows - 2);  // and JE2 4WD has no grid reference at all
  EXPECT_EQ(g.lookup("JE2 4WD").status, GeocodeStatus::no_coordinates);
  GeocodeResult aberdeen = g.lookup("AB10 1AB");
  EXPECT_EQ(aberdeen.ltla.code, "S12000033");
  EXPECT_EQ(aberdeen.ltla.name, "Aberdeen City");
  EXPECT_EQ(aberdeen.utla.code, "S12000033");  // no county (S99999999): the council itself
}

// Code-Point first, then the NSPD: postcodes only the NSPD knows in Great Britain are
// terminated; Northern Ireland (not in Code-Point) stays live; E07 districts get their county.
TEST(Gazetteer, PrecedenceAndInferredTermination) {
  const Gazetteer& g = default_sources();
  EXPECT_EQ(g.lookup("HP20 1AA").status, GeocodeStatus::ok);
  GeocodeResult old = g.lookup("W1M 0AA");
  EXPECT_EQ(old.status, GeocodeStatus::terminated);
  EXPECT_EQ(old.utla.code, "E09000033");
  // Northern Ireland comes on the Irish Grid (NSPD: BT1 1AA at 334316, 374675): its lon/lat are
  // those of the Irish Grid reference, not of the same numbers read as British National Grid.
  GeocodeResult belfast = g.lookup("BT1 1AA");
  EXPECT_EQ(belfast.status, GeocodeStatus::ok);
  EXPECT_EQ(belfast.utla.code, "N09000003");
  LonLat expected = BngTransformer(CrsMethod::helmert).irish_grid_to_wgs84({334316, 374675});
  EXPECT_NEAR(belfast.position.lon, expected.lon, 2e-6);  // within 0.1 m: the grid is kept to 0.1 m
  EXPECT_NEAR(belfast.position.lat, expected.lat, 1e-6);
  EXPECT_NEAR(belfast.position.lat, 54.6024, 0.001);
  EXPECT_GT(g.unit_count(), 2'700'000u);
}

// Issue 13's slips in the outward code, read where Code-Point 2025 puts them (its rows quoted).
TEST(Gazetteer, MendedOutwardSlipsFindTheirUnits) {
  const Gazetteer& g = codepoint_2025();
  for (auto [typed, easting, northing, ltla] :
       std::initializer_list<std::tuple<const char*, double, double, const char*>>{
           {"SWIA 2AA", 530047, 179951, "E09000033"},  // "SW1A 2AA",10,530047,179951,...,"E09000033"
           {"S014 OYG", 442484, 112720, "E06000045"},  // "SO14 0YG",10,442484,112720,...,"E06000045"
           {"C04 ODT", 601355, 226109, "E07000071"},   // "CO4 0DT",10,601355,226109,...,"E07000071"
           {"P06 3LY", 465570, 106054, "E06000044"},   // "PO6 3LY",10,465570,106054,...,"E06000044"
       }) {
    GeocodeResult r = g.lookup(typed);
    EXPECT_EQ(r.status, GeocodeStatus::ok) << typed;
    EXPECT_EQ(r.match, PostcodeLevel::unit) << typed;
    EXPECT_EQ(r.grid, (GridRef{easting, northing})) << typed;
    EXPECT_EQ(r.ltla.code, ltla) << typed;
    EXPECT_STREQ(r.message, "") << typed;  // forced by the format: nothing for the directory to decide
  }
}

// S01 and SO1 are both well-formed (Sheffield is area S): the directory holds SO1 (Southampton's
// old district, terminated: NSPD "SO1 0AA,442004,111235"), so S01 0AA is read as SO1 0AA and says so.
TEST(Gazetteer, DirectoryDecidesBetweenTwoWellFormedReadings) {
  const Gazetteer& g = default_sources();
  Postcode typed = parse_postcode("S01 0AA");
  ASSERT_NE(typed.alternative, 0u);
  Postcode resolved = g.resolve(typed);
  EXPECT_EQ(resolved.normalised(), "SO1 0AA");
  EXPECT_TRUE(resolved.mended);
  EXPECT_EQ(resolved.alternative, 0u);
  EXPECT_EQ(g.parse("S01 0AA").normalised(), "SO1 0AA");
  for (const Postcode& pc : {typed, resolved}) {  // lookup resolves by itself too
    GeocodeResult r = g.lookup(pc);
    EXPECT_EQ(r.status, GeocodeStatus::terminated);
    EXPECT_EQ(r.match, PostcodeLevel::unit);
    EXPECT_EQ(r.grid, (GridRef{442004, 111235}));
    EXPECT_NE(std::string(r.message).find("postcode mended"), std::string::npos) << r.message;
  }
  // Typed right, the reading stands and nothing is said about mending.
  Postcode right = g.parse("SO1 0AA");
  EXPECT_FALSE(right.mended);
  EXPECT_EQ(right.normalised(), "SO1 0AA");
  EXPECT_EQ(std::string(g.lookup(right).message).find("mended"), std::string::npos);
  // Live Sheffield postcode typed right: S10 has no O/0 reading, S1 0AA none either.
  EXPECT_EQ(g.parse("S10 1AA").normalised(), "S10 1AA");
  // Neither reading in the directory: kept as typed, unknown.
  EXPECT_EQ(g.parse("E01 1AA").normalised(), "E01 1AA");
  EXPECT_EQ(g.lookup("E01 1AA").status, GeocodeStatus::unknown);
}

// A district, sector or area whose units are all terminated comes back terminated, located at
// the centroid of its last units (NSPD: 2,655 AB1 units, 761 W1M units, none live).
TEST(Gazetteer, PartialPostcodesOfTerminatedUnitsAreTerminated) {
  const Gazetteer& g = default_sources();
  for (const char* typed : {"AB1", "W1M", "AB1 0", "W1M 0", "SO1"}) {
    GeocodeResult r = g.lookup(typed);
    EXPECT_EQ(r.status, GeocodeStatus::terminated) << typed;
    EXPECT_TRUE(r.located()) << typed;
    EXPECT_TRUE(r.terminated) << typed;
    EXPECT_NE(std::string(r.message).find("only terminated postcodes"), std::string::npos) << typed;
  }
  EXPECT_EQ(g.lookup("AB1").match, PostcodeLevel::district);
  EXPECT_EQ(g.lookup("AB1 0").match, PostcodeLevel::sector);
  EXPECT_EQ(g.lookup("AB1").utla.code, "S12000033");  // Aberdeen City
  // Live ones stay ok with no message.
  for (const char* typed : {"AB10", "HP20", "HP20 1", "HP"}) {
    EXPECT_EQ(g.lookup(typed).status, GeocodeStatus::ok) << typed;
    EXPECT_STREQ(g.lookup(typed).message, "") << typed;
  }
}

TEST(Gazetteer, BritishForcesAreNonGeographic) {
  const Gazetteer& g = codepoint_2025();
  for (const char* typed : {"BF1 3AD", "BFPO 57", "GIR0AA", "BX1 1LT"}) {
    GeocodeResult r = g.lookup(typed);
    EXPECT_EQ(r.status, GeocodeStatus::non_geographic) << typed;
    EXPECT_FALSE(r.located()) << typed;
  }
  EXPECT_EQ(g.lookup("\"HP20 1AA,\"").status, GeocodeStatus::ok);
  EXPECT_EQ(g.lookup("HP20 1AA.").grid, g.lookup("HP20 1AA").grid);
}

TEST(Gazetteer, RefusesForeignTruncatedAndOtherVersionFiles) {
  fs::path dir = fs::path(PLACEDIST_TEST_WORK);
  fs::create_directories(dir);
  fs::path source = built_gazetteer(
      "plain_2025", {{{Kind::codepoint, data_file("postcodes/codepoint_open_2025_10/plain")}}, {}, {}, {}, {}});
  std::string bytes;
  {
    std::ifstream in(source, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto write = [&](const std::string& name, const std::string& content) {
    fs::path path = dir / name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  };
  EXPECT_THROW(Gazetteer::open(dir / "no-such-file.pdg"), GazetteerError);
  EXPECT_THROW(Gazetteer::open(write("foreign.pdg", "postcode,easting\nHP20 1AA,1\n")), GazetteerError);
  EXPECT_THROW(Gazetteer::open(write("truncated.pdg", bytes.substr(0, bytes.size() / 2))), GazetteerError);
  std::string other = bytes;
  other[8] = static_cast<char>(detail::kGazetteerVersion + 1);
  try {
    Gazetteer::open(write("other-version.pdg", other));
    FAIL() << "a file of another version was accepted";
  } catch (const GazetteerError& e) {
    EXPECT_NE(std::string(e.what()).find("version"), std::string::npos);
  }
}

}  // namespace
}  // namespace placedist
