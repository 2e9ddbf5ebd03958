// Postcode sector areas as the service makes and serves them (GET /v1/layers/sectors): built once
// from the test gazetteer's live units on the --boundaries land and cached in a file keyed by both;
// they tile the land, each sampled live unit lies in its own sector's area, and the served
// (simplified, WGS84) areas of Buckinghamshire hold their units too.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "geo/data_dir.hpp"
#include "shapes/boundaries.hpp"
#include "shapes/sector_areas_file.hpp"
#include "serve_fixture.hpp"

namespace placedist {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

template <class Point, class Get>
bool in_ring(const std::vector<Point>& ring, double x, double y, Get xy) {
  bool inside = false;
  for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    auto [ax, ay] = xy(ring[i]);
    auto [bx, by] = xy(ring[j]);
    if ((ay > y) != (by > y) && x < (bx - ax) * (y - ay) / (by - ay) + ax) inside = !inside;
  }
  return inside;
}

bool in_area(const shapes::MultiPolygon& m, geo::GridRef p) {
  auto xy = [](const geo::GridRef& g) { return std::pair{g.easting, g.northing}; };
  for (const shapes::Polygon& polygon : m) {
    bool inside = false;  // even-odd over the exterior and its holes
    for (const auto& ring : polygon.rings) inside ^= in_ring(ring, p.easting, p.northing, xy);
    if (inside) return true;
  }
  return false;
}

bool in_geojson(const json& multipolygon, geo::LonLat p) {
  for (const json& polygon : multipolygon["coordinates"]) {
    bool inside = false;
    for (const json& ring : polygon) {
      std::vector<std::pair<double, double>> points;
      for (const json& q : ring) points.emplace_back(q[0].get<double>(), q[1].get<double>());
      inside ^= in_ring(points, p.lon, p.lat, [](const auto& q) { return q; });
    }
    if (inside) return true;
  }
  return false;
}

struct Unit {
  std::string sector;
  geo::GridRef grid;
  geo::LonLat position;
  std::string utla;
};

std::vector<Unit> live_units(const geo::Gazetteer& gazetteer) {
  std::vector<Unit> units;
  gazetteer.for_each_unit([&](const geo::Postcode& pc, const geo::GeocodeResult& r) {
    if (r.status == geo::GeocodeStatus::ok)
      units.push_back({std::string(pc.normalised().substr(0, pc.length - 2)), r.grid, r.position, std::string(r.utla.code)});
  });
  return units;
}

// The gazetteer's areas on the service's land: the cache file is keyed by both and read back whole.
TEST(SectorAreasLayer, CachedAreasTileTheLandAndHoldTheirUnits) {
  const geo::Gazetteer& gazetteer = testing::serve_data().gazetteer;
  const shapes::Boundaries& land = testing::serve_data().councils->boundaries();
  const fs::path folder = fs::path(PLACEDIST_TEST_WORK) / ("sector_areas_cache_" + std::to_string(::getpid()));
  fs::remove_all(folder);
  shapes::CachedSectorAreas first = shapes::cached_sector_areas(gazetteer, land, folder);
  EXPECT_TRUE(first.built);
  EXPECT_EQ(first.file.filename().string(),
            "sector_areas-" + shapes::sector_areas_key(shapes::live_sector_points(gazetteer), land) + ".pds");
  shapes::CachedSectorAreas again = shapes::cached_sector_areas(gazetteer, land, folder);
  EXPECT_FALSE(again.built);
  ASSERT_EQ(again.areas.size(), first.areas.size());
  fs::remove_all(folder);

  // Every sector with a live unit on land has an area (879 sectors in the 12 areas), and they tile the land.
  const std::vector<shapes::SectorArea>& areas = again.areas;
  EXPECT_GT(areas.size(), 850u);
  double sum = 0, land_area = 0;
  for (const auto& a : areas) sum += a.area_m2;
  for (std::size_t i = 0; i < land.size(); ++i) land_area += land.area_m2(i);
  EXPECT_NEAR(sum / land_area, 1.0, 1e-6);

  // Every 40th live unit in Buckinghamshire (off shared points) lies in its own sector's area.
  std::map<std::string, const shapes::SectorArea*> by_sector;
  for (const auto& a : areas) by_sector[a.sector] = &a;
  std::map<std::pair<double, double>, int> at_point;
  const std::vector<Unit> units = live_units(gazetteer);
  for (const Unit& u : units) ++at_point[{u.grid.easting, u.grid.northing}];
  std::size_t checked = 0, outside = 0;
  for (std::size_t i = 0; i < units.size(); i += 40) {
    const Unit& u = units[i];
    if (u.utla != "E06000060" || at_point[{u.grid.easting, u.grid.northing}] > 1) continue;
    auto own = by_sector.find(u.sector);
    ASSERT_NE(own, by_sector.end()) << "a Buckinghamshire sector without an area";
    outside += !in_area(own->second->polygons, u.grid);
    ++checked;
  }
  EXPECT_GT(checked, 300u);
  EXPECT_EQ(outside, 0u);
}

// The route answers 503 with Retry-After while the areas are first made, then the council's
// sectors: simplified areas that still hold (nearly) all their units, with council and unit counts.
TEST(SectorAreasLayer, ServedForACouncilAndABox) {
  testing::RunningService server;
  auto client = server.client();
  auto res = client.Get("/v1/layers/sectors?council=E06000060");
  for (int tries = 0; res && res->status == 503 && tries < 600; ++tries) {
    EXPECT_EQ(res->get_header_value("Retry-After"), "10");
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    res = client.Get("/v1/layers/sectors?council=E06000060");
  }
  ASSERT_TRUE(res && res->status == 200) << (res ? res->body.substr(0, 300) : "no answer");
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/geo+json");
  const json layer = json::parse(res->body);
  std::map<std::string, const json*> by_sector;
  for (const json& f : layer["features"]) {
    EXPECT_EQ(f["properties"]["council"], "E06000060");
    EXPECT_GT(f["properties"]["units"].get<int>(), 0);
    EXPECT_GT(f["properties"]["area_km2"].get<double>(), 0);
    by_sector[f["properties"]["sector"]] = &f;
  }
  // Every sector of the council with a unit at a point of its own has an area (units at a point
  // shared with an earlier postcode count under that one's sector: some "9" sectors of large users
  // sit wholly on other sectors' points and have none).
  const std::vector<Unit> units = live_units(testing::serve_data().gazetteer);
  std::map<std::pair<double, double>, int> at_point;
  for (const Unit& u : units) ++at_point[{u.grid.easting, u.grid.northing}];
  std::set<std::string> own_point;
  for (const Unit& u : units)
    if (u.utla == "E06000060" && at_point[{u.grid.easting, u.grid.northing}] == 1) own_point.insert(u.sector);
  std::string missing;
  std::size_t expected = 0;
  for (std::size_t i : testing::serve_data().sectors_of("E06000060")) {
    const std::string& name = testing::serve_data().sectors[i].sector;
    if (!own_point.count(name)) continue;
    ++expected;
    if (!by_sector.count(name)) missing += name + "; ";
  }
  EXPECT_EQ(missing, "");
  EXPECT_GT(expected, 75u);
  EXPECT_GE(by_sector.size(), expected);

  std::size_t checked = 0, outside = 0;
  for (std::size_t i = 0; i < units.size(); i += 40) {
    auto own = by_sector.find(units[i].sector);
    if (units[i].utla != "E06000060" || own == by_sector.end()) continue;
    outside += !in_geojson((*own->second)["geometry"], units[i].position);
    ++checked;
  }
  EXPECT_GT(checked, 300u);
  EXPECT_LT(outside * 100, checked);  // simplified to 25 m: a unit at an edge may fall just outside

  // A box round Aylesbury: the sectors there (HP19, HP20, HP21, HP22), and no far one.
  res = client.Get("/v1/layers/sectors?bbox=-0.83,51.80,-0.79,51.83");
  ASSERT_TRUE(res && res->status == 200);
  std::set<std::string> names;
  const json boxed = json::parse(res->body);
  for (const json& f : boxed["features"]) names.insert(f["properties"]["sector"].get<std::string>());
  EXPECT_TRUE(names.count("HP20 1") && names.count("HP19 9") && names.count("HP21 8")) << json(names).dump();
  EXPECT_FALSE(names.count("SL1 1"));

  // Wrong questions: neither or both parameters, a broken box, a box too big, an unknown council.
  for (const char* url : {"/v1/layers/sectors", "/v1/layers/sectors?council=E06000060&bbox=0,0,1,1",
                          "/v1/layers/sectors?bbox=1,2,3", "/v1/layers/sectors?bbox=2,49,-10,61",
                          "/v1/layers/sectors?bbox=nan,1,2,3"}) {
    auto bad = client.Get(url);
    ASSERT_TRUE(bad) << url;
    EXPECT_EQ(bad->status, 400) << url << ": " << bad->body;
  }
  auto unknown = client.Get("/v1/layers/sectors?council=E99999999");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
}

}  // namespace
}  // namespace placedist
