// Loading boundaries: formats and CRSs (GeoJSON 4326, GeoPackage / Shapefile / FlatGeobuf
// written here in EPSG:27700 or 4326 through GDAL), field detection, and the errors.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "geo/data_dir.hpp"
#include "shapes/boundaries.hpp"
#include "shapes/detail/field_detect.hpp"
#include "shapes/locate.hpp"
#include "tests/shapes/shapes_test_util.hpp"

using namespace placedist::geo;
using namespace placedist::shapes;

namespace placedist {
namespace {

const char* kBgc = "boundaries/geography_bits/utla_bgc_bucks_and_neighbours_dissolved.geojson";

BoundaryErrorCode load_error(const std::filesystem::path& file, const BoundaryOptions& options = {},
                             std::string* message = nullptr) {
  try {
    Boundaries::load(file, options);
  } catch (const BoundaryError& e) {
    if (message) *message = e.what();
    return e.code();
  }
  ADD_FAILURE() << "loaded without error";
  return BoundaryErrorCode::no_polygons;
}

TEST(Boundaries, GeoJsonWgs84IsReprojectedToBng) {
  const Boundaries b = Boundaries::load(data_file(kBgc));
  EXPECT_EQ(b.size(), 19u);
  EXPECT_EQ(b.source_crs(), "WGS 84 (EPSG:4326)");
  EXPECT_EQ(b.code_field(), "utla_cd");
  EXPECT_EQ(b.name_field(), "utla_nm");
  EXPECT_EQ(b.skipped_features(), 0u);
  const auto bucks = b.find("E06000060");
  ASSERT_TRUE(bucks.has_value());
  EXPECT_EQ(b.council(*bucks).name, "Buckinghamshire");
  // Buckinghamshire UA is about 1,565 km^2 (the ceremonial county with Milton Keynes 1,874);
  // 20 m generalised and clipped to the coast, so within a few km^2.
  EXPECT_NEAR(b.area_m2(*bucks) / 1e6, 1565, 10);
  // In BNG metres: Bucks lies between eastings 440-510 km and northings 175-265 km.
  const MultiPolygon mp = b.polygons(*bucks);
  ASSERT_FALSE(mp.empty());
  for (const auto& ring : mp[0].rings)
    for (GridRef p : ring) {
      EXPECT_GT(p.easting, 440000);
      EXPECT_LT(p.easting, 510000);
      EXPECT_GT(p.northing, 175000);
      EXPECT_LT(p.northing, 265000);
    }
  EXPECT_GT(b.vertex_count(*bucks), 1500u);
  const auto wkb = b.wkb(*bucks);
  ASSERT_GT(wkb.size(), 9u);
  EXPECT_EQ(wkb[0], 1);                     // little-endian
  EXPECT_TRUE(wkb[1] == 3 || wkb[1] == 6);  // Polygon or MultiPolygon
}

// Written through GDAL in other formats and CRSs, then reloaded: same councils, areas and answers.
TEST(Boundaries, OtherFormatsAndCrsGiveTheSameCouncils) {
  testing::TempDir dir("boundaries_formats");
  const auto source = data_file(kBgc);
  const Boundaries reference = Boundaries::load(source);
  struct Format {
    std::string file;
    std::vector<std::string> args;
    std::string crs_contains;
  };
  const std::vector<Format> formats{
      {"bgc.gpkg", {"-f", "GPKG", "-t_srs", "EPSG:27700", "-nln", "councils"}, "27700"},
      {"bgc.shp", {"-f", "ESRI Shapefile", "-t_srs", "EPSG:27700"}, "British National Grid"},
      {"bgc.fgb", {"-f", "FlatGeobuf"}, "4326"},
  };
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> e(420000, 560000), n(140000, 300000);
  std::vector<GridRef> points;
  for (int i = 0; i < 20000; ++i) points.push_back({e(rng), n(rng)});
  for (const Format& f : formats) {
    SCOPED_TRACE(f.file);
    testing::translate(source, dir / f.file, f.args);
    const Boundaries b = Boundaries::load(dir / f.file);
    EXPECT_NE(b.source_crs().find(f.crs_contains), std::string::npos) << b.source_crs();
    ASSERT_EQ(b.size(), reference.size());
    for (std::size_t r = 0; r < reference.size(); ++r) {  // FlatGeobuf reorders features
      const auto k = b.find(reference.council(r).code);
      ASSERT_TRUE(k.has_value()) << reference.council(r).code;
      EXPECT_EQ(b.council(*k).name, reference.council(r).name);
      EXPECT_NEAR(b.area_m2(*k), reference.area_m2(r), 1e-6 * reference.area_m2(r));
    }
    std::size_t differ = 0;
    for (GridRef p : points) differ += locate(b, p).code != locate(reference, p).code;
    EXPECT_EQ(differ, 0u);
  }
}

// geo/crs can hand in its OSTN15 pipeline; here PROJ's own Helmert pipeline given explicitly
// must give what PROJ chooses by itself, and the same pipeline shifted 100 m east must shift.
TEST(Boundaries, CoordinateOperationOverride) {
  const std::string helmert =
      "+proj=pipeline +step +proj=axisswap +order=2,1 +step +proj=unitconvert +xy_in=deg +xy_out=rad "
      "+step +proj=push +v_3 +step +proj=cart +ellps=WGS84 +step +inv +proj=helmert +x=446.448 +y=-125.157 "
      "+z=542.06 +rx=0.15 +ry=0.247 +rz=0.842 +s=-20.489 +convention=position_vector +step +inv +proj=cart "
      "+ellps=airy +step +proj=pop +v_3 +step +proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 "
      "+y_0=-100000 +ellps=airy";
  const Boundaries reference = Boundaries::load(data_file(kBgc));
  BoundaryOptions options;
  options.coordinate_operation = helmert;
  const Boundaries same = Boundaries::load(data_file(kBgc), options);
  options.coordinate_operation = helmert + " +step +proj=affine +xoff=100";
  const Boundaries shifted = Boundaries::load(data_file(kBgc), options);
  EXPECT_EQ(shifted.coordinate_operation(), options.coordinate_operation);
  const auto k = *reference.find("E06000060");
  const GridRef r = reference.polygons(k)[0].rings[0][0];
  const GridRef a = same.polygons(k)[0].rings[0][0];
  const GridRef b = shifted.polygons(k)[0].rings[0][0];
  EXPECT_NEAR(a.easting, r.easting, 1e-3);
  EXPECT_NEAR(a.northing, r.northing, 1e-3);
  EXPECT_NEAR(b.easting, r.easting + 100, 1e-3);
  EXPECT_NEAR(b.northing, r.northing, 1e-3);
  options.coordinate_operation = "+proj=nonsense";
  EXPECT_EQ(load_error(data_file(kBgc), options), BoundaryErrorCode::transform_failed);
}

TEST(Boundaries, LayerOption) {
  testing::TempDir dir("boundaries_layer");
  testing::translate(data_file(kBgc), dir / "two.gpkg", {"-f", "GPKG", "-nln", "councils"});
  BoundaryOptions options;
  options.layer = "councils";
  EXPECT_EQ(Boundaries::load(dir / "two.gpkg", options).size(), 19u);
  options.layer = "parishes";
  std::string message;
  EXPECT_EQ(load_error(dir / "two.gpkg", options, &message), BoundaryErrorCode::layer_missing);
  EXPECT_NE(message.find("councils"), std::string::npos) << message;
}

TEST(Boundaries, DetectsFieldsOfRealFiles) {
  struct Expect {
    const char* file;
    const char* code;
    const char* name;
    std::size_t count;
  };
  for (const Expect& x : {
           Expect{"boundaries/ons_ultra_generalised_500m/boundaries_utla21.geojson", "utla21_code", "utla21_name", 217},
           Expect{"boundaries/geography_bits/LAD20CD_geojson/E06000060.geojson", "lad20cd", "lad20nm", 1},
           Expect{"boundaries/ons_super_generalised_200m_2017/"
                  "Local_Authority_Districts_December_2017_Super_Generalised_Clipped_Boundaries_in_United_Kingdom_"
                  "WGS84.geojson",
                  "lad17cd", "lad17nm", 391},
       }) {
    SCOPED_TRACE(x.file);
    const Boundaries b = Boundaries::load(data_file(x.file));
    EXPECT_EQ(b.code_field(), x.code);
    EXPECT_EQ(b.name_field(), x.name);
    EXPECT_EQ(b.size(), x.count);
  }
}

TEST(FieldDetection, Rules) {
  using detail::detect_fields;
  auto d = detect_fields({"objectid", "lad17cd", "lad17nm", "lad17nmw", "bng_e", "bng_n"});
  EXPECT_EQ(d.code, "lad17cd");
  EXPECT_EQ(d.name, "lad17nm");  // not the Welsh name
  d = detect_fields({"UTLA_CD", "UTLA_NM"});
  EXPECT_EQ(d.code, "UTLA_CD");
  EXPECT_EQ(d.name, "UTLA_NM");
  d = detect_fields({"ctyua19cd", "ctyua19nm", "lad19cd", "lad19nm"});  // two pairs: ambiguous
  EXPECT_EQ(d.code, "");
  EXPECT_EQ(d.code_candidates.size(), 2u);
  d = detect_fields({"code", "label"});
  EXPECT_EQ(d.code, "code");
  EXPECT_EQ(d.name, "");
  d = detect_fields({"id", "label"});
  EXPECT_TRUE(d.code_candidates.empty());
}

TEST(Boundaries, FieldErrors) {
  std::string message;
  BoundaryOptions options;
  options.code_field = "lad99cd";
  EXPECT_EQ(load_error(data_file(kBgc), options, &message), BoundaryErrorCode::field_missing);
  EXPECT_NE(message.find("lad99cd"), std::string::npos) << message;
  EXPECT_NE(message.find("utla_cd"), std::string::npos) << message;  // lists what there is
  options = {};
  options.name_field = "nom";
  EXPECT_EQ(load_error(data_file(kBgc), options), BoundaryErrorCode::field_missing);

  testing::TempDir dir("boundaries_fields");
  const std::string poly = R"({"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,0]]]})";
  testing::write_text(dir / "nocode.geojson",
                      testing::bng_feature_collection({testing::feature(R"({"id":"1","label":"x"})", poly)}));
  EXPECT_EQ(load_error(dir / "nocode.geojson", {}, &message), BoundaryErrorCode::field_missing);
  EXPECT_NE(message.find("label"), std::string::npos) << message;
  testing::write_text(dir / "twocodes.geojson",
                      testing::bng_feature_collection({testing::feature(R"({"a_cd":"1","b_cd":"2"})", poly)}));
  EXPECT_EQ(load_error(dir / "twocodes.geojson"), BoundaryErrorCode::field_ambiguous);
  options = {};
  options.code_field = "b_cd";
  const Boundaries b = Boundaries::load(dir / "twocodes.geojson", options);
  EXPECT_EQ(b.council(0).code, "2");
  EXPECT_EQ(b.council(0).name, "2");  // no name field: the code stands in
}

TEST(Boundaries, UnreadableSources) {
  testing::TempDir dir("boundaries_unreadable");
  std::string message;
  EXPECT_EQ(load_error(dir / "absent.geojson", {}, &message), BoundaryErrorCode::unreadable);
  EXPECT_NE(message.find("absent.geojson"), std::string::npos);
  testing::write_text(dir / "garbage.geojson", "this is not { a vector file");
  EXPECT_EQ(load_error(dir / "garbage.geojson"), BoundaryErrorCode::unreadable);
  testing::write_text(dir / "points.geojson", testing::bng_feature_collection({testing::feature(
                                                  R"({"code":"X"})", R"({"type":"Point","coordinates":[1,2]})")}));
  EXPECT_EQ(load_error(dir / "points.geojson"), BoundaryErrorCode::no_polygons);
}

TEST(Boundaries, MissingCrsNeedsAnAssumption) {
  testing::TempDir dir("boundaries_crs");
  testing::translate(data_file(kBgc), dir / "bgc.shp", {"-f", "ESRI Shapefile", "-t_srs", "EPSG:27700"});
  std::filesystem::remove(dir / "bgc.prj");
  EXPECT_EQ(load_error(dir / "bgc.shp"), BoundaryErrorCode::crs_missing);
  BoundaryOptions options;
  options.assume_crs = "EPSG:27700";
  const Boundaries b = Boundaries::load(dir / "bgc.shp", options);
  EXPECT_EQ(b.size(), 19u);
  EXPECT_NE(b.source_crs().find("27700"), std::string::npos);
}

// A geographic CRS carrying the ID of a geocentric one (EPSG:4352, IRENET95), as a damaged file
// can: PROJ 9.1 crashes looking for a transformation from it (a fuzzing finding), so it is refused.
TEST(Boundaries, CrsWhoseIdNamesAnotherKindIsRefused) {
  testing::TempDir dir("boundaries_crs_id");
  testing::translate(data_file(kBgc), dir / "bgc.shp", {"-f", "ESRI Shapefile", "-t_srs", "EPSG:4326"});
  std::filesystem::remove(dir / "bgc.prj");
  const std::string wgs84 =
      R"wkt(GEOGCRS["WGS 84",DATUM["World Geodetic System 1984",ELLIPSOID["WGS 84",6378137,298.257223563,)wkt"
      R"wkt(LENGTHUNIT["metre",1]]],PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]],CS[ellipsoidal,2],)wkt"
      R"wkt(AXIS["geodetic latitude (Lat)",north,ORDER[1],ANGLEUNIT["degree",0.0174532925199433]],)wkt"
      R"wkt(AXIS["geodetic longitude (Lon)",east,ORDER[2],ANGLEUNIT["degree",0.0174532925199433]],ID["EPSG",)wkt";
  BoundaryOptions options;
  options.assume_crs = wgs84 + "4352]]";
  std::string message;
  EXPECT_EQ(load_error(dir / "bgc.shp", options, &message), BoundaryErrorCode::transform_failed);
  EXPECT_NE(message.find("defined as a geographic CRS but its ID EPSG:4352 is a geocentric CRS"), std::string::npos)
      << message;
  options.assume_crs = wgs84 + "4326]]";  // the same definition with its own ID loads
  EXPECT_EQ(Boundaries::load(dir / "bgc.shp", options).size(), 19u);
}

TEST(Boundaries, RepairsMergesAndSkips) {
  testing::TempDir dir("boundaries_repair");
  testing::write_text(
      dir / "odd.geojson",
      testing::bng_feature_collection({
          // a bow-tie: invalid, repaired into two triangles of 25 m^2 each
          testing::feature(R"({"code":"T","name":"Tie"})",
                           R"({"type":"Polygon","coordinates":[[[0,0],[10,10],[10,0],[0,10],[0,0]]]})"),
          // two features with one code are merged
          testing::feature(R"({"code":"M","name":"Merged"})",
                           R"({"type":"Polygon","coordinates":[[[100,0],[110,0],[110,10],[100,10],[100,0]]]})"),
          testing::feature(R"({"code":"M","name":"Merged"})",
                           R"({"type":"Polygon","coordinates":[[[110,0],[120,0],[120,10],[110,10],[110,0]]]})"),
          testing::feature(R"({"code":"L","name":"Line"})", R"({"type":"LineString","coordinates":[[0,0],[1,1]]})"),
      }));
  const Boundaries b = Boundaries::load(dir / "odd.geojson");
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b.repaired_features(), 1u);
  EXPECT_EQ(b.skipped_features(), 1u);
  EXPECT_NEAR(b.area_m2(*b.find("T")), 50, 1e-9);
  EXPECT_NEAR(b.area_m2(*b.find("M")), 200, 1e-9);
  EXPECT_EQ(locate(b, {115, 5}).code, "M");
  EXPECT_EQ(locate(b, {110, 5}).where, Where::inside);  // the merged seam is no longer an edge
  EXPECT_EQ(locate(b, {2, 5}).code, "T");
  EXPECT_EQ(locate(b, {5, 8}).where, Where::outside);  // in the bow-tie's notch
}

}  // namespace
}  // namespace placedist
