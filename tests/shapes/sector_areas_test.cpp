// Sector areas from real units (Code-Point Open 2025, area HP: live units only) clipped to
// Buckinghamshire and its neighbours: they tile the land exactly, and each unit lies in its
// own sector's area.
#include "shapes/sector_areas.hpp"
#include "shapes/sector_areas_file.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <unistd.h>

#include "geo/data_dir.hpp"
#include "shapes/locate.hpp"
#include "tests/shapes/codepoint_csv.hpp"

using namespace placedist;
using namespace placedist::shapes;

namespace {

bool in_ring(const std::vector<geo::GridRef>& ring, geo::GridRef p) {
  bool inside = false;
  for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    const geo::GridRef a = ring[i], b = ring[j];
    if ((a.northing > p.northing) != (b.northing > p.northing) &&
        p.easting < (b.easting - a.easting) * (p.northing - a.northing) / (b.northing - a.northing) + a.easting)
      inside = !inside;
  }
  return inside;
}

bool in_area(const MultiPolygon& m, geo::GridRef p) {
  for (const Polygon& polygon : m) {
    bool inside = false;  // even-odd over the exterior and its holes
    for (const auto& ring : polygon.rings) inside ^= in_ring(ring, p);
    if (inside) return true;
  }
  return false;
}

struct Built {
  std::vector<SectorPoint> units;
  Boundaries land;
  std::vector<SectorArea> areas;
};

// The HP units' areas on Buckinghamshire and its neighbours, built once for every test here.
const Built& hp_areas() {
  static const Built built = [] {
    std::vector<placedist::testing::CodePointRow> rows;
    placedist::testing::read_codepoint(geo::data_file("postcodes/codepoint_open_2025_10/plain/hp.csv"), rows);
    std::vector<SectorPoint> units;
    for (const auto& r : rows) units.push_back({r.postcode.substr(0, r.postcode.size() - 2), r.at});
    Boundaries land =
        Boundaries::load(geo::data_file("boundaries/geography_bits/utla_bgc_bucks_and_neighbours_dissolved.geojson"));
    std::vector<SectorArea> areas = build_sector_areas(units, land);
    return Built{std::move(units), std::move(land), std::move(areas)};
  }();
  return built;
}

double total_area(const MultiPolygon& m) {
  double sum = 0;
  for (const Polygon& p : m)
    for (const auto& ring : p.rings)
      for (std::size_t i = 0; i + 1 < ring.size(); ++i)
        sum += (ring[i].easting * ring[i + 1].northing - ring[i + 1].easting * ring[i].northing) / 2;
  return sum;  // exteriors counter-clockwise, holes clockwise: the holes subtract
}

}  // namespace

TEST(SectorAreas, TileTheLandAndHoldTheirOwnUnits) {
  const std::vector<SectorPoint>& units = hp_areas().units;
  ASSERT_GT(units.size(), 14000u);
  const Boundaries& land = hp_areas().land;
  const std::vector<SectorArea>& areas = hp_areas().areas;
  ASSERT_GT(areas.size(), 60u);  // 78 sectors in HP; those wholly off this land have none

  // They tile the land: no overlap, no gap (the Voronoi frame is the land's envelope).
  double sum = 0, land_area = 0;
  for (const SectorArea& a : areas) sum += a.area_m2;
  for (std::size_t i = 0; i < land.size(); ++i) land_area += land.area_m2(i);
  EXPECT_NEAR(sum / land_area, 1.0, 1e-6);

  // Each unit on land lies in its own sector's area and in no other (units at a shared point
  // count under the first, so those are skipped).
  std::map<std::string, const SectorArea*> by_sector;
  for (const SectorArea& a : areas) by_sector[a.sector] = &a;
  struct Box { double x0 = 1e18, y0 = 1e18, x1 = -1e18, y1 = -1e18; };
  std::vector<Box> boxes(areas.size());
  for (std::size_t a = 0; a < areas.size(); ++a)
    for (const Polygon& polygon : areas[a].polygons)
      for (const geo::GridRef& p : polygon.rings.front()) {
        boxes[a].x0 = std::min(boxes[a].x0, p.easting), boxes[a].x1 = std::max(boxes[a].x1, p.easting);
        boxes[a].y0 = std::min(boxes[a].y0, p.northing), boxes[a].y1 = std::max(boxes[a].y1, p.northing);
      }
  std::map<std::pair<double, double>, int> at_point;
  for (const SectorPoint& u : units) ++at_point[{u.at.easting, u.at.northing}];
  std::size_t checked = 0, misplaced = 0;
  for (std::size_t i = 0; i < units.size(); i += 7) {  // every 7th unit keeps the test short
    const SectorPoint& u = units[i];
    if (at_point[{u.at.easting, u.at.northing}] > 1 || locate(land, u.at).council < 0) continue;
    auto own = by_sector.find(u.sector);
    ASSERT_NE(own, by_sector.end()) << "a sector on land without an area";
    std::size_t holding = 0;
    bool in_own = false;
    for (std::size_t a = 0; a < areas.size(); ++a) {
      const Box& b = boxes[a];
      if (u.at.easting < b.x0 || u.at.easting > b.x1 || u.at.northing < b.y0 || u.at.northing > b.y1) continue;
      if (in_area(areas[a].polygons, u.at)) ++holding, in_own |= &areas[a] == own->second;
    }
    misplaced += !(in_own && holding == 1);
    ++checked;
  }
  EXPECT_GT(checked, 1000u);
  EXPECT_EQ(misplaced, 0u);
}

// The cache file gives back exactly what was written, and nothing for another key, a cut file or
// a file that is not ours (the caller then rebuilds).
TEST(SectorAreas, TheFileGivesBackWhatWasWrittenOrNothing) {
  const std::vector<SectorArea>& areas = hp_areas().areas;
  const std::filesystem::path file =
      std::filesystem::path(PLACEDIST_TEST_WORK) / ("sector_areas_" + std::to_string(::getpid()) + ".pds");
  std::filesystem::create_directories(file.parent_path());
  write_sector_areas(file, "0123456789abcdef", areas);
  auto back = read_sector_areas(file, "0123456789abcdef");
  ASSERT_TRUE(back.has_value());
  ASSERT_EQ(back->size(), areas.size());
  for (std::size_t i = 0; i < areas.size(); ++i) {
    EXPECT_EQ((*back)[i].sector, areas[i].sector);
    EXPECT_EQ((*back)[i].area_m2, areas[i].area_m2);
    ASSERT_EQ((*back)[i].polygons.size(), areas[i].polygons.size());
    for (std::size_t p = 0; p < areas[i].polygons.size(); ++p)
      EXPECT_EQ((*back)[i].polygons[p].rings, areas[i].polygons[p].rings);
  }
  EXPECT_FALSE(read_sector_areas(file, "fedcba9876543210").has_value());
  const auto size = std::filesystem::file_size(file);
  std::filesystem::resize_file(file, size - 5);
  EXPECT_FALSE(read_sector_areas(file, "0123456789abcdef").has_value());
  std::ofstream(file) << "sector,geometry\n";
  EXPECT_FALSE(read_sector_areas(file, "0123456789abcdef").has_value());
  std::filesystem::remove(file);
  EXPECT_FALSE(read_sector_areas(file, "0123456789abcdef").has_value());
  // No temporary left beside it.
  for (const auto& entry : std::filesystem::directory_iterator(file.parent_path()))
    EXPECT_EQ(entry.path().string().find(file.filename().string() + ".tmp"), std::string::npos);
}

// Simplified for the web at 25 m, an area keeps its size to within 1% over the sectors (Voronoi
// edges are straight already; only the coast and council edges lose vertices) and needs fewer points.
TEST(SectorAreas, SimplifiedAreasKeepTheirSize) {
  double before = 0, after = 0;
  std::size_t points_before = 0, points_after = 0;
  for (const SectorArea& a : hp_areas().areas) {
    const MultiPolygon s = simplified_area(a.polygons, 25);
    ASSERT_FALSE(s.empty()) << a.sector;
    before += total_area(a.polygons);
    after += total_area(s);
    for (const Polygon& p : a.polygons) for (const auto& r : p.rings) points_before += r.size();
    for (const Polygon& p : s) for (const auto& r : p.rings) points_after += r.size();
  }
  EXPECT_NEAR(before, [] { double t = 0; for (const SectorArea& a : hp_areas().areas) t += a.area_m2; return t; }(),
              before * 1e-9);
  EXPECT_NEAR(after / before, 1.0, 0.01);
  EXPECT_LT(points_after, points_before);
}

// The cache key names the units and the land: the same units give the same key (however the
// gazetteer was built), a moved unit or a renamed sector another.
TEST(SectorAreas, TheKeyNamesTheUnitsAndTheLand) {
  std::vector<SectorPoint> units = hp_areas().units;
  const Boundaries& land = hp_areas().land;
  const std::string key = sector_areas_key(units, land);
  EXPECT_EQ(key.size(), 16u);
  EXPECT_EQ(sector_areas_key(hp_areas().units, land), key);
  units[100].at.easting += 1;
  EXPECT_NE(sector_areas_key(units, land), key);
  units[100].at.easting -= 1;
  units[100].sector = "HP99 9";
  EXPECT_NE(sector_areas_key(units, land), key);
}
