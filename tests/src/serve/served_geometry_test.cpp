// Every layer the service serves is valid GeoJSON geometry: each route under /v1/layers (and the
// zone in /v1/coverage) is asked for, from a service with boundaries, providers, roads and a
// cohort loaded, and every geometry is checked against RFC 7946 (finite numbers, longitude and
// latitude in range, closed rings of at least four positions, exterior rings counter-clockwise and
// holes clockwise) and read by GEOS (GEOSGeoJSONReader), which must find it valid
// (GEOSisValid). The test fails if a /v1/layers route is added without being asked for here.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <thread>
#include <set>

#include <nlohmann/json.hpp>

#include "geo/detail/geos_context.hpp"
#include "serve_roads_fixture.hpp"

namespace placedist {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const serve::ServiceData& full_data() { return testing::serve_data_with_roads(); }

// What is wrong with a position, or empty.
std::string position_fault(const json& p) {
  if (!p.is_array() || p.size() < 2) return "a position is not an array of two numbers: " + p.dump();
  for (const json& v : p)
    if (!v.is_number() || !std::isfinite(v.get<double>())) return "a coordinate is not a finite number: " + p.dump();
  const double lon = p[0].get<double>(), lat = p[1].get<double>();
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) return "a position is out of range: " + p.dump();
  return {};
}

// Twice the signed area (shoelace, degrees): positive counter-clockwise.
double signed_area(const json& ring) {
  double sum = 0;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i)
    sum += ring[i][0].get<double>() * ring[i + 1][1].get<double>() -
           ring[i + 1][0].get<double>() * ring[i][1].get<double>();
  return sum;
}

std::string polygon_fault(const json& rings) {
  if (!rings.is_array() || rings.empty()) return "a polygon without rings";
  for (std::size_t r = 0; r < rings.size(); ++r) {
    const json& ring = rings[r];
    if (!ring.is_array() || ring.size() < 4) return "a ring of fewer than four positions";
    for (const json& p : ring)
      if (std::string f = position_fault(p); !f.empty()) return f;
    if (ring.front() != ring.back()) return "a ring is not closed";
    const double area = signed_area(ring);
    if (r == 0 && area < 0) return "an exterior ring is clockwise";
    if (r > 0 && area > 0) return "a hole is counter-clockwise";
  }
  return {};
}

// RFC 7946 faults of a geometry object, or empty.
std::string rfc7946_fault(const json& g) {
  if (!g.is_object() || !g.contains("type")) return "not a geometry object";
  const std::string type = g["type"];
  const json& c = g["coordinates"];
  if (type == "Point") return position_fault(c);
  if (type == "LineString" || type == "MultiPoint") {
    if (type == "LineString" && c.size() < 2) return "a line of fewer than two positions";
    for (const json& p : c)
      if (std::string f = position_fault(p); !f.empty()) return f;
    return {};
  }
  if (type == "MultiLineString") {
    for (const json& line : c)
      for (const json& p : line)
        if (std::string f = position_fault(p); !f.empty()) return f;
    return {};
  }
  if (type == "Polygon") return polygon_fault(c);
  if (type == "MultiPolygon") {
    for (const json& polygon : c)
      if (std::string f = polygon_fault(polygon); !f.empty()) return f;
    return {};
  }
  return "unknown geometry type " + type;
}

// GEOS reads the geometry and finds it valid; else its reason.
std::string geos_fault(const json& g) {
  GEOSContextHandle_t h = geo::detail::thread_geos_context();
  GEOSGeoJSONReader* reader = GEOSGeoJSONReader_create_r(h);
  GEOSGeometry* geometry = GEOSGeoJSONReader_readGeometry_r(h, reader, g.dump().c_str());
  GEOSGeoJSONReader_destroy_r(h, reader);
  if (!geometry) return "GEOS cannot read it: " + geo::detail::last_geos_error();
  std::string fault;
  if (GEOSisValid_r(h, geometry) != 1) {
    char* reason = GEOSisValidReason_r(h, geometry);
    fault = std::string("GEOS finds it invalid: ") + (reason ? reason : "?");
    GEOSFree_r(h, reason);
  }
  GEOSGeom_destroy_r(h, geometry);
  return fault;
}

// Checks every geometry of a Feature or FeatureCollection; returns how many were checked.
std::size_t check_layer(const std::string& what, const json& layer) {
  std::vector<const json*> features;
  if (layer["type"] == "FeatureCollection")
    for (const json& f : layer["features"]) features.push_back(&f);
  else
    features.push_back(&layer);
  std::size_t checked = 0;
  for (const json* f : features) {
    EXPECT_EQ((*f)["type"], "Feature") << what;
    const json& g = (*f)["geometry"];
    if (g.is_null()) continue;  // RFC 7946 3.2: an unlocated feature
    const std::string name = what + " " + (*f)["properties"].value("code", (*f)["properties"].value("name", ""));
    std::string fault = rfc7946_fault(g);
    EXPECT_EQ(fault, "") << name;
    if (fault.empty()) {
      EXPECT_EQ(geos_fault(g), "") << name;
    }
    ++checked;
  }
  return checked;
}

TEST(ServedGeometry, EveryLayerIsValidRfc7946AndValidForGeos) {
  testing::RunningService server({}, full_data());
  std::set<std::string> asked;
  auto get = [&](const std::string& route, const std::string& url) {
    asked.insert(route);
    auto res = server.client().Get(url);
    EXPECT_TRUE(res && res->status == 200) << url << ": " << (res ? res->body.substr(0, 300) : "no answer");
    return json::parse(res && res->status == 200 ? res->body : "{\"type\":\"FeatureCollection\",\"features\":[]}");
  };

  json councils = get("/v1/layers/councils", "/v1/layers/councils");
  EXPECT_EQ(check_layer("councils", councils), 217u);
  // The council that reaches off the OSTN15 grid (Fermanagh and Omagh) on its own too.
  check_layer("N09000006", get("/v1/layers/councils/{code}", "/v1/layers/councils/N09000006"));
  check_layer("zone", get("/v1/layers/zones/{code}", "/v1/layers/zones/N09000006?miles=20"));
  // The sector areas answer 503 while first made (or read from the cache).
  for (int tries = 0; tries < 600; ++tries) {
    auto res = server.client().Get("/v1/layers/sectors?council=E06000060");
    if (!res || res->status != 503) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  EXPECT_GT(check_layer("sector areas", get("/v1/layers/sectors", "/v1/layers/sectors?council=E06000060")), 75u);
  json extent = get("/v1/layers/roads/extent", "/v1/layers/roads/extent");
  EXPECT_EQ(check_layer("road network extent", extent), 1u);
  EXPECT_GT(extent["properties"]["area_km2"].get<double>(), 1000);
  check_layer("zone", get("/v1/layers/zones/{code}", "/v1/layers/zones/E06000060?miles=20"));
  check_layer("road zone", get("/v1/layers/zones/{code}", "/v1/layers/zones/E06000060?miles=20&mode=road"));
  EXPECT_GT(check_layer("providers", get("/v1/layers/providers", "/v1/layers/providers")), 50u);
  for (const char* mode : {"straight", "road"}) {
    check_layer("coverage",
                get("/v1/layers/coverage", std::string("/v1/layers/coverage?la=E06000060&miles=20&mode=") + mode));
    json coverage = get("/v1/coverage", std::string("/v1/coverage?postcode=HP20%201AA&miles=20&mode=") + mode);
    EXPECT_EQ(check_layer(std::string("coverage zone ") + mode, coverage["zone"]), 1u);
  }
  json cohort = get("/v1/cohorts/{la}", "/v1/cohorts/E06000060");
  ASSERT_FALSE(cohort["layers"].empty());
  for (const json& layer : cohort["layers"])
    check_layer(layer.get<std::string>(),
                get("/v1/layers/analysis/{la}/{layer}", "/v1/layers/analysis/E06000060/" + layer.get<std::string>()));

  // Every layer route was asked for.
  for (const auto& route : server.service().routes())
    if (route.path.rfind("/v1/layers", 0) == 0) {
      EXPECT_TRUE(asked.count(route.path)) << route.path << " not checked";
    }
}

}  // namespace
}  // namespace placedist

namespace placedist {
namespace {

// The cohort's shareable councils layer counts as the report publishes: no count of 1 to 5, and
// null ("c") wherever the report's destination table says "c".
TEST(ServedGeometry, TheCouncilsLayerSuppressesAsTheReportDoes) {
  testing::RunningService server({}, full_data());
  auto get = [&](const std::string& url) {
    auto res = server.client().Get(url);
    EXPECT_TRUE(res && res->status == 200) << url;
    return json::parse(res && res->status == 200 ? res->body : "{}");
  };
  json layer = get("/v1/layers/analysis/E06000060/councils");
  json report = get("/v1/cohorts/E06000060")["report"];
  std::map<std::string, json> placements;
  std::size_t suppressed = 0;
  for (const json& f : layer["features"]) {
    const json& p = f["properties"];
    placements[p["code"]] = p["placements"];
    for (const char* field : {"placements", "children_from"}) {
      if (p[field].is_null()) {
        ++suppressed;
        continue;
      }
      const long n = p[field].get<long>();
      EXPECT_TRUE(n == 0 || n > 5) << p["code"] << " " << field << " " << n;
    }
  }
  EXPECT_GT(suppressed, 0u);  // the synthetic cohort places a few children in many councils
  std::size_t checked = 0;
  for (const json& d : report["destinations"])
    if (d["published_style"] == "c" && placements.count(d["code"])) {
      EXPECT_TRUE(placements[d["code"]].is_null()) << d["code"] << " is c in the report";
      ++checked;
    }
  EXPECT_GT(checked, 0u);
}

}  // namespace
}  // namespace placedist
