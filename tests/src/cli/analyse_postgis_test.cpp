// `placedist analyse --out PG:...` end to end against a real PostgreSQL + PostGIS
// (tools/pg-test-cluster: a throwaway cluster on a unix socket): the synthetic Buckinghamshire
// cohort (real Code-Point 2018 postcodes, fixed seed) written as PostGIS tables and read back
// through libpq beside the GeoJSON run of the same input; re-runs replace (and drop the layers
// they no longer write, e.g. the road zone); a failed run rolls
// back; a database that cannot take the layers stops the run before any work (exit code 2).
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <ogrsf_frmts.h>

#include <cpl_minixml.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <thread>

#include "geo/built_gazetteer.hpp"
#include "geo/data_dir.hpp"
#include "geo/roads/built_network.hpp"
#include "src/cli/run_placedist.hpp"

using namespace placedist::geo;

namespace placedist {
namespace {

namespace fs = std::filesystem;
using testing::capture;
using testing::CliRun;
using testing::slurp;

const std::string kTool = std::string(PLACEDIST_TEST_DIR) + "/../tools/pg-test-cluster";
const char* const kLayers[] = {"zone_20_miles", "councils", "boundary", "flows", "journeys", "homes", "placements"};

bool postgres_installed() {
  std::error_code ec;
  for (const auto& version : fs::directory_iterator("/usr/lib/postgresql", ec))
    if (fs::exists(version.path() / "bin" / "initdb")) return true;
  return false;
}

fs::path work(const std::string& name) {
  return fs::path(PLACEDIST_TEST_WORK) / (name + "_" + std::to_string(::getpid()));
}

fs::path gazetteer_2018() {
  return testing::built_gazetteer(
      "codepoint_2018_postgis",
      {{{GazetteerSource::Kind::codepoint, data_file("postcodes/codepoint_open_2018_07")}}, {}, {}, {}, {}});
}

// The cohort `placedist cohort` writes with these arguments (651 children by default).
fs::path cohort(const std::string& arguments, const std::string& name) {
  static std::map<std::string, fs::path> made;
  if (made.count(name)) return made[name];
  fs::path file = work(name) += ".csv";
  CliRun run = testing::run_placedist("cohort " + arguments + " -o " + file.string());
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return made[name] = file;
}

struct ConnCloser {
  void operator()(PGconn* c) const { PQfinish(c); }
};

// One throwaway cluster per test (CTest runs each test in a process of its own).
class AnalysePostgis : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!postgres_installed()) GTEST_SKIP() << "PostgreSQL server binaries absent (tools/setup installs postgresql-15)";
    int code = 0;
    std::string env = capture(kTool + " start", &code);
    ASSERT_EQ(code, 0) << "tools/pg-test-cluster start failed (tools/setup installs postgresql-15-postgis-3)";
    std::smatch m;
    ASSERT_TRUE(std::regex_search(env, m, std::regex("PGHOST='([^']+)' PGPORT='([0-9]+)'")));
    m_dir = m[1];
    m_port = m[2];
    m_conn.reset(PQconnectdb(("dbname=placedist user=placedist host=" + m_dir + " port=" + m_port).c_str()));
    ASSERT_EQ(PQstatus(m_conn.get()), CONNECTION_OK) << PQerrorMessage(m_conn.get());
  }
  void TearDown() override {
    m_conn.reset();
    if (!m_dir.empty()) {
      int code = 0;
      capture(kTool + " stop " + m_dir, &code);
    }
    std::error_code ec;
    for (const fs::path& p : m_remove) fs::remove_all(p, ec);
  }

  std::string pg(const std::string& extra = "dbname=placedist user=placedist") const {
    return "'PG:" + extra + " host=" + m_dir + " port=" + m_port + "'";
  }
  // From now on the server refuses the last table a run creates (public.placements), after every
  // other one has been dropped and created again inside the run's transaction.
  void refuse_placements() const {
    ASSERT_EQ(sql("CREATE FUNCTION refuse_placements() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN "
                  "IF EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE TABLE' AND "
                  "object_identity = 'public.placements') THEN RAISE EXCEPTION 'placements refused by the test'; "
                  "END IF; END $$"),
              "");
    ASSERT_EQ(sql("CREATE EVENT TRIGGER refuse_placements ON ddl_command_end EXECUTE FUNCTION refuse_placements()"),
              "");
  }
  // The first column of every row, one per line (an error's message when the query fails).
  std::string sql(const std::string& query) const {
    PGresult* r = PQexec(m_conn.get(), query.c_str());
    std::string out;
    if (PQresultStatus(r) == PGRES_TUPLES_OK) {
      for (int i = 0; i < PQntuples(r); ++i) out += std::string(PQgetvalue(r, i, 0)) + "\n";
    } else if (PQresultStatus(r) != PGRES_COMMAND_OK) {
      out = "ERROR " + std::string(PQresultErrorMessage(r));
    }
    PQclear(r);
    return out;
  }
  double number(const std::string& query) const { return std::stod(sql(query)); }

  // placedist analyse of `input` into the database; the report goes to a folder of its own.
  CliRun analyse(const fs::path& input, const std::string& out, const std::string& more = "") {
    fs::path reports = work("postgis_reports");
    m_remove.push_back(reports);
    return testing::run_placedist("analyse " + input.string() + " --la E10000002 --gazetteer " +
                                  gazetteer_2018().string() + " --out " + out + " --report-dir " + reports.string() +
                                  " " + more);
  }
  std::string tables(const std::string& schema = "public") const {
    return sql("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + schema +
               "' AND table_name NOT IN ('spatial_ref_sys', 'geometry_columns', 'geography_columns', 'layer_styles') "
               "ORDER BY 1");
  }

  std::string m_dir, m_port;
  std::unique_ptr<PGconn, ConnCloser> m_conn;
  std::vector<fs::path> m_remove;
};

const char* const kSortedLayers = "boundary\ncouncils\nflows\nhomes\njourneys\nplacements\nzone_20_miles\n";

TEST_F(AnalysePostgis, WritesTheGeoJsonRunsLayersAsPostgisTables) {
  fs::path input = cohort("", "cohort_651");
  fs::path geojson = work("postgis_geojson_run");
  m_remove.push_back(geojson);
  CliRun file_run = testing::run_placedist("analyse " + input.string() + " --la E10000002 --gazetteer " +
                                           gazetteer_2018().string() + " --out " + geojson.string());
  ASSERT_EQ(file_run.exit_code, 1) << file_run.err;  // the cohort's three deliberately bad postcodes
  // With a password (the test cluster trusts any): it never reaches the project or a message.
  CliRun run = analyse(input, pg("dbname=placedist user=placedist password=s3cret"), "--format postgis");
  ASSERT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(run.err.find("s3cret"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("PostGIS tables in schema public of database placedist"), std::string::npos) << run.err;

  EXPECT_EQ(tables(), kSortedLayers);
  // Each table's QGIS style, as its default in QGIS's layer_styles (created in public).
  EXPECT_EQ(sql("SELECT f_table_name FROM public.layer_styles WHERE f_table_catalog = 'placedist' AND f_table_schema "
                "= 'public' AND f_geometry_column = 'geom' AND useAsDefault AND styleQML::text LIKE '%<renderer-v2%' "
                "ORDER BY 1"),
            kSortedLayers);
  GDALAllRegister();
  for (const char* layer : kLayers) {
    SCOPED_TRACE(layer);
    GDALDatasetUniquePtr ds(GDALDataset::Open((geojson / (std::string(layer) + ".geojson")).c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(ds);
    const GIntBig features = ds->GetLayer(0)->GetFeatureCount();
    EXPECT_GT(features, 0);
    EXPECT_EQ(number(std::string("SELECT count(*) FROM public.") + layer), static_cast<double>(features));
    // SRID 4326 as in the GeoJSON, a GiST index on the geometry and a primary key.
    EXPECT_EQ(sql(std::string("SELECT Find_SRID('public', '") + layer + "', 'geom')"), "4326\n");
    EXPECT_EQ(sql(std::string("SELECT DISTINCT ST_SRID(geom) FROM ") + layer), "4326\n");
    EXPECT_EQ(sql(std::string("SELECT count(*) FROM pg_indexes WHERE tablename = '") + layer +
                  "' AND indexdef LIKE '%USING gist (geom)%'"),
              "1\n");
    EXPECT_EQ(sql(std::string("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND "
                              "a.attnum = ANY(i.indkey) WHERE i.indisprimary AND i.indrelid = 'public.") +
                  layer + "'::regclass"),
              "fid\n");
  }
  EXPECT_EQ(sql("SELECT GeometryType(geom) FROM placements LIMIT 1"), "POINT\n");
  // The licence travels with the tables (QGIS shows the comment as the layer's abstract).
  EXPECT_EQ(
      sql("SELECT obj_description('public.councils'::regclass)"),
      "Shareable (placedist disclosure class). placedist analyse: Buckinghamshire (E10000002), 2017-03-31. Contains "
      "OS data © Crown copyright and database "
      "right 2018; Contains Royal Mail data © Royal Mail copyright and database right 2018; Contains National "
      "Statistics data © Crown copyright and database right 2018. Open Government Licence v3.0.\n");
  EXPECT_EQ(sql("SELECT GeometryType(geom) FROM journeys LIMIT 1"), "LINESTRING\n");
  EXPECT_EQ(sql("SELECT GeometryType(geom) FROM councils LIMIT 1"), "MULTIPOLYGON\n");

  // Sample features: the GeoJSON's first placement and its journey, and the boundary, vertex by vertex.
  GDALDatasetUniquePtr placements(GDALDataset::Open((geojson / "placements.geojson").c_str(), GDAL_OF_VECTOR));
  OGRFeatureUniquePtr first(placements->GetLayer(0)->GetNextFeature());
  ASSERT_TRUE(first);
  const std::string id = first->GetFieldAsString("id");
  const OGRPoint* point = first->GetGeometryRef()->toPoint();
  EXPECT_NEAR(number("SELECT ST_X(geom) FROM placements WHERE id = '" + id + "'"), point->getX(), 1e-7);
  EXPECT_NEAR(number("SELECT ST_Y(geom) FROM placements WHERE id = '" + id + "'"), point->getY(), 1e-7);
  EXPECT_EQ(sql("SELECT area_miles FROM placements WHERE id = '" + id + "'"),
            std::string(first->GetFieldAsString("area_miles")) + "\n");
  GDALDatasetUniquePtr journeys(GDALDataset::Open((geojson / "journeys.geojson").c_str(), GDAL_OF_VECTOR));
  journeys->GetLayer(0)->SetAttributeFilter(("id = '" + id + "'").c_str());
  OGRFeatureUniquePtr journey(journeys->GetLayer(0)->GetNextFeature());
  ASSERT_TRUE(journey);
  const OGRLineString* line = journey->GetGeometryRef()->toLineString();
  ASSERT_EQ(number("SELECT ST_NPoints(geom) FROM journeys WHERE id = '" + id + "'"), line->getNumPoints());
  for (int k = 0; k < line->getNumPoints(); ++k) {
    const std::string vertex = "ST_PointN(geom, " + std::to_string(k + 1) + ")";
    EXPECT_NEAR(number("SELECT ST_X(" + vertex + ") FROM journeys WHERE id = '" + id + "'"), line->getX(k), 1e-7);
    EXPECT_NEAR(number("SELECT ST_Y(" + vertex + ") FROM journeys WHERE id = '" + id + "'"), line->getY(k), 1e-7);
  }
  GDALDatasetUniquePtr boundary(GDALDataset::Open((geojson / "boundary.geojson").c_str(), GDAL_OF_VECTOR));
  OGRFeatureUniquePtr county(boundary->GetLayer(0)->GetNextFeature());
  OGREnvelope box;
  county->GetGeometryRef()->getEnvelope(&box);
  EXPECT_EQ(sql("SELECT code FROM boundary"), "E10000002\n");
  EXPECT_NEAR(number("SELECT ST_XMin(geom) FROM boundary"), box.MinX, 1e-7);
  EXPECT_NEAR(number("SELECT ST_YMax(geom) FROM boundary"), box.MaxY, 1e-7);
  int vertices = 0;
  for (const OGRPolygon* polygon : *county->GetGeometryRef()->toMultiPolygon())
    for (const OGRLinearRing* ring : *polygon) vertices += ring->getNumPoints();
  EXPECT_GT(vertices, 100);
  EXPECT_EQ(number("SELECT ST_NPoints(geom) FROM boundary"), vertices);
  EXPECT_EQ(sql("SELECT ST_Equals(geom, ST_GeomFromText('" +
                [&] {
                  char* wkt = nullptr;
                  county->GetGeometryRef()->exportToWkt(&wkt);
                  std::string text = wkt;
                  CPLFree(wkt);
                  return text;
                }() +
                "', 4326)) FROM boundary"),
            "t\n");

  // The report and placements.csv are those of the file run; the project opens the tables.
  fs::path reports = work("postgis_reports");
  EXPECT_EQ(slurp(reports / "placements.csv"), slurp(geojson / "placements.csv"));
  EXPECT_TRUE(fs::exists(reports / "report.json"));
  std::string qgs = slurp(reports / "placements.qgs");
  CPLXMLNode* root = CPLParseXMLString(qgs.c_str());
  ASSERT_NE(root, nullptr) << "the project is not well-formed XML";
  std::map<std::string, std::string> sources, providers;
  const CPLXMLNode* project = CPLGetXMLNode(root, "=qgis.projectlayers");
  ASSERT_NE(project, nullptr);
  for (const CPLXMLNode* n = project->psChild; n; n = n->psNext) {
    if (n->eType != CXT_Element || std::string(n->pszValue) != "maplayer") continue;
    const std::string name = CPLGetXMLValue(n, "layername", "");
    sources[name] = CPLGetXMLValue(n, "datasource", "");
    providers[name] = CPLGetXMLValue(n, "provider", "");
  }
  CPLDestroyXMLNode(root);
  const std::map<std::string, std::string> types = {{"placements", "Point"},      {"homes", "Point"},
                                                    {"journeys", "LineString"},   {"flows", "LineString"},
                                                    {"boundary", "MultiPolygon"},
                                                    {"councils", "MultiPolygon"}, {"zone_20_miles", "MultiPolygon"}};
  EXPECT_EQ(sources.size(), types.size());
  for (const auto& [layer, type] : types) {
    EXPECT_EQ(sources[layer], "dbname='placedist' host='" + m_dir + "' port='" + m_port + "'" +
                                  " user='placedist' key='fid' srid=4326 type=" + type +
                                  " checkPrimaryKeyUnicity='1' table=\"public\".\"" + layer + "\" (geom)");
    EXPECT_EQ(providers[layer], "postgres") << layer;
  }
  EXPECT_EQ(qgs.find("providerKey=\"ogr\""), std::string::npos);
  EXPECT_EQ(qgs.find("s3cret"), std::string::npos);
  EXPECT_NE(qgs.find("attr=\"placement_location\""), std::string::npos);  // the styles are in the project
  EXPECT_FALSE(fs::exists(reports / "placements.qml"));
}

TEST_F(AnalysePostgis, ReRunReplacesTheTablesInTheChosenSchema) {
  ASSERT_EQ(sql("CREATE SCHEMA analysis"), "");
  fs::path input = cohort("", "cohort_651");
  CliRun first = analyse(input, pg(), "--pg-schema analysis");
  ASSERT_EQ(first.exit_code, 1) << first.err;
  const double placements = number("SELECT count(*) FROM analysis.placements");
  const double councils = number("SELECT count(*) FROM analysis.councils");
  EXPECT_GT(placements, 600);
  EXPECT_EQ(councils, 216);  // the ONS 2019 counties and unitaries
  // A colleague's view on a table: replacing the table would drop it, so the run stops first.
  ASSERT_EQ(sql("CREATE VIEW analysis.far_away AS SELECT id FROM analysis.placements WHERE area_miles > 60"), "");
  CliRun refused = analyse(input, pg(), "--pg-schema analysis");
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_NE(refused.err.find("view analysis.far_away depends on analysis.placements (in database placedist): replacing "
                             "the tables would drop it"),
            std::string::npos)
      << refused.err;
  EXPECT_GT(number("SELECT count(*) FROM analysis.far_away"), 10);
  ASSERT_EQ(sql("DROP VIEW analysis.far_away"), "");
  // No --format: PG:... is PostGIS.
  CliRun second = analyse(input, pg(), "--pg-schema analysis");
  ASSERT_EQ(second.exit_code, 1) << second.err;
  EXPECT_NE(second.err.find("PostGIS tables in schema analysis"), std::string::npos) << second.err;
  EXPECT_EQ(number("SELECT count(*) FROM analysis.placements"), placements);  // replaced, not appended
  EXPECT_EQ(number("SELECT count(*) FROM analysis.councils"), councils);
  EXPECT_EQ(number("SELECT count(DISTINCT id) FROM analysis.placements"), placements);
  EXPECT_EQ(tables("analysis"), kSortedLayers);
  EXPECT_EQ(tables("public"), "");  // nothing strayed into public
  // A smaller cohort replaces the larger.
  CliRun smaller = analyse(cohort("--children 40 --seed 3", "cohort_40"), pg(), "--pg-schema analysis");
  ASSERT_LE(smaller.exit_code, 1) << smaller.err;
  EXPECT_LE(number("SELECT count(*) FROM analysis.placements"), 40);
  EXPECT_GT(number("SELECT count(*) FROM analysis.placements"), 30);
}

TEST_F(AnalysePostgis, AFailedRunRollsBackAndLeavesThePreviousTables) {
  fs::path input = cohort("", "cohort_651");
  ASSERT_EQ(analyse(input, pg()).exit_code, 1);
  const std::string before = sql("SELECT count(*) FROM placements") + sql("SELECT count(*) FROM journeys") +
                             sql("SELECT count(*) FROM homes") + sql("SELECT count(*) FROM zone_20_miles");
  const std::string oids =
      sql("SELECT 'public.journeys'::regclass::oid") + sql("SELECT 'public.councils'::regclass::oid");
  refuse_placements();
  CliRun failed = analyse(cohort("--children 40 --seed 3", "cohort_40"), pg());
  EXPECT_EQ(failed.exit_code, 3) << failed.err;
  EXPECT_NE(failed.err.find("failed and was rolled back; the tables there are as they were before this run"),
            std::string::npos)
      << failed.err;
  EXPECT_NE(failed.err.find("placements refused by the test"), std::string::npos) << failed.err;
  EXPECT_EQ(sql("SELECT count(*) FROM placements") + sql("SELECT count(*) FROM journeys") +
                sql("SELECT count(*) FROM homes") + sql("SELECT count(*) FROM zone_20_miles"),
            before);
  EXPECT_EQ(sql("SELECT 'public.journeys'::regclass::oid") + sql("SELECT 'public.councils'::regclass::oid"), oids)
      << "the tables were replaced although the run failed";
  EXPECT_EQ(tables(), kSortedLayers);
}

// A run with --roads, then one without: the road zone table goes, in the run's transaction.
TEST_F(AnalysePostgis, ARunWithoutRoadsDropsTheEarlierRoadZoneTable) {
  ASSERT_EQ(sql("CREATE SCHEMA analysis"), "");
  ASSERT_EQ(sql("CREATE TABLE public.zone_20_road_miles (n int)"), "");  // another schema's: untouched
  fs::path input = cohort("--children 40 --seed 3", "cohort_40");
  const std::string roads = " --roads " + testing::built_bucks_roads().string();
  CliRun with_roads = analyse(input, pg(), "--pg-schema analysis" + roads);
  ASSERT_LE(with_roads.exit_code, 1) << with_roads.err;
  ASSERT_EQ(number("SELECT count(*) FROM analysis.zone_20_road_miles"), 1);
  CliRun without = analyse(input, pg(), "--pg-schema analysis");
  ASSERT_LE(without.exit_code, 1) << without.err;
  EXPECT_EQ(tables("analysis"), kSortedLayers);
  EXPECT_EQ(tables("public"), "zone_20_road_miles\n");
}

// A failed run without --roads keeps the earlier run's road zone table with the other tables.
TEST_F(AnalysePostgis, AFailedRunWithoutRoadsKeepsTheRoadZoneTable) {
  fs::path input = cohort("--children 40 --seed 3", "cohort_40");
  CliRun with_roads = analyse(input, pg(), "--roads " + testing::built_bucks_roads().string());
  ASSERT_LE(with_roads.exit_code, 1) << with_roads.err;
  const std::string oid = sql("SELECT 'public.zone_20_road_miles'::regclass::oid");
  refuse_placements();  // the last table, which the run creates after the drop
  CliRun failed = analyse(input, pg());
  EXPECT_EQ(failed.exit_code, 3) << failed.err;
  EXPECT_NE(failed.err.find("placements refused by the test"), std::string::npos) << failed.err;
  EXPECT_EQ(sql("SELECT 'public.zone_20_road_miles'::regclass::oid"), oid);
  EXPECT_EQ(number("SELECT count(*) FROM zone_20_road_miles"), 1);
  // Without the trigger the same run drops it.
  ASSERT_EQ(sql("DROP EVENT TRIGGER refuse_placements"), "");
  CliRun again = analyse(input, pg());
  ASSERT_LE(again.exit_code, 1) << again.err;
  EXPECT_EQ(tables(), kSortedLayers);
}

TEST_F(AnalysePostgis, ALockHeldByAnotherSessionTimesOutAndRollsBack) {
  fs::path input = cohort("--children 40 --seed 3", "cohort_40");
  ASSERT_LE(analyse(input, pg()).exit_code, 1);
  const std::string oid = sql("SELECT 'public.homes'::regclass::oid");
  // A colleague reading homes in an open transaction: dropping the table must wait for it.
  std::unique_ptr<PGconn, ConnCloser> colleague(
      PQconnectdb(("dbname=placedist user=placedist host=" + m_dir + " port=" + m_port).c_str()));
  ASSERT_EQ(PQstatus(colleague.get()), CONNECTION_OK);
  PQclear(PQexec(colleague.get(), "BEGIN"));
  PQclear(PQexec(colleague.get(), "SELECT count(*) FROM homes"));
  CliRun run = analyse(input, pg(), "--pg-lock-timeout 1");
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("lock timeout"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("rolled back"), std::string::npos) << run.err;
  PQclear(PQexec(colleague.get(), "COMMIT"));
  EXPECT_EQ(sql("SELECT 'public.homes'::regclass::oid"), oid);
  EXPECT_EQ(tables(), kSortedLayers);
  // Once the colleague's transaction ends, the run goes through.
  EXPECT_LE(analyse(input, pg(), "--pg-lock-timeout 1").exit_code, 1);
  EXPECT_NE(sql("SELECT 'public.homes'::regclass::oid"), oid);
}

TEST_F(AnalysePostgis, ADatabaseThatCannotTakeTheLayersStopsTheRunFirst) {
  fs::path input = cohort("--children 40 --seed 3", "cohort_40");
  struct Case {
    std::string out, more, message;
  };
  ASSERT_EQ(sql("CREATE DATABASE plain"), "");
  ASSERT_EQ(sql("CREATE ROLE reader LOGIN"), "");
  const Case cases[] = {
      {pg("dbname=nope user=placedist password=s3cret"), "", "database \"nope\" does not exist"},
      {"'PG:dbname=placedist host=" + m_dir + " port=1'", "",
       "cannot connect to PostgreSQL (dbname=placedist host=" + m_dir},
      {pg("dbname=plain user=placedist"), "", "database plain has no PostGIS extension"},
      {pg(), "--pg-schema missing", "database placedist has no schema missing"},
      {pg("dbname=placedist user=reader"), "", "role reader may not create tables in schema public"},
      {pg(), "--pg-schema 'x;drop'", "--pg-schema x;drop: use letters, digits and underscores"},
      {pg("dbname=placedist active_schema=other"), "", "active_schema= is GDAL's; name the schema with --pg-schema"},
      {pg(), "--format GPKG", "--out PG:... is a database: use --format PostGIS"},
  };
  for (const Case& c : cases) {
    CliRun run = analyse(input, c.out, c.more);
    EXPECT_EQ(run.exit_code, 2) << c.out << " " << c.more << "\n" << run.err;
    EXPECT_NE(run.err.find(c.message), std::string::npos) << run.err;
    EXPECT_EQ(run.err.find("s3cret"), std::string::npos) << run.err;
    // Stopped before the analysis: no report, no table anywhere.
    EXPECT_EQ(run.err.find("analysed"), std::string::npos) << run.err;
    EXPECT_FALSE(fs::exists(work("postgis_reports") / "report.json"));
  }
  EXPECT_EQ(tables(), "");
  EXPECT_EQ(sql("SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"),
            "1\n");  // spatial_ref_sys alone

  // A table of a layer's name that another role owns: the owner alone may replace it.
  ASSERT_EQ(sql("GRANT CREATE ON SCHEMA public TO reader"), "");
  ASSERT_EQ(sql("CREATE TABLE homes (x int)"), "");
  CliRun run = analyse(input, pg("dbname=placedist user=reader"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(
      run.err.find("public.homes in database placedist belongs to role placedist: role reader may not replace it"),
      std::string::npos)
      << run.err;
  // A view of a layer's name is not replaced either.
  ASSERT_EQ(sql("DROP TABLE homes"), "");
  ASSERT_EQ(sql("CREATE VIEW journeys AS SELECT 1 AS x"), "");
  run = analyse(input, pg());
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("public.journeys in database placedist is not a table"), std::string::npos) << run.err;
  EXPECT_EQ(tables(), "journeys\n");
}

TEST_F(AnalysePostgis, DsnStillWorksAsADeprecatedSpelling) {
  fs::path reports = work("postgis_dsn_reports");
  m_remove.push_back(reports);
  fs::path input = cohort("--children 40 --seed 3", "cohort_40");
  CliRun run =
      testing::run_placedist("analyse " + input.string() + " --la E10000002 --gazetteer " + gazetteer_2018().string() +
                             " --format PostgreSQL --dsn " + pg() + " --out " + reports.string());
  EXPECT_LE(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("--dsn is deprecated"), std::string::npos) << run.err;
  EXPECT_EQ(tables(), kSortedLayers);
  EXPECT_TRUE(fs::exists(reports / "report.json"));
  EXPECT_TRUE(fs::exists(reports / "placements.qgs"));
}

// While a run is in progress (held, deterministically, by a colleague's read lock on the last
// table it replaces), another session still sees the previous tables: the same table names and
// OIDs in the catalogue, the previous rows in a table the run has not reached, and never a
// half-written table (a table the run has already replaced cannot be read until it commits).
// After the commit the new tables are there.
TEST_F(AnalysePostgis, OthersSeeThePreviousTablesWhileARunIsInProgress) {
  ASSERT_EQ(analyse(cohort("", "cohort_651"), pg()).exit_code, 1);
  const std::string oids =
      "SELECT string_agg(c.relname || '=' || c.oid, ',' ORDER BY c.relname) FROM pg_class c "
      "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = "
      "'r' AND c.relname NOT IN ('spatial_ref_sys')";
  const std::string before_oids = sql(oids);
  const double before_placements = number("SELECT count(*) FROM placements");
  const double before_homes = number("SELECT count(*) FROM homes");
  ASSERT_GT(before_placements, 600);

  auto connect = [&] {
    return std::unique_ptr<PGconn, ConnCloser>(
        PQconnectdb(("dbname=placedist user=placedist host=" + m_dir + " port=" + m_port).c_str()));
  };
  auto first = [](PGconn* c, const std::string& query) {
    PGresult* r = PQexec(c, query.c_str());
    std::string out = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0
                          ? PQgetvalue(r, 0, 0)
                          : "ERROR " + std::string(PQresultErrorMessage(r));
    PQclear(r);
    return out;
  };
  auto colleague = connect();
  ASSERT_EQ(PQstatus(colleague.get()), CONNECTION_OK);
  PQclear(PQexec(colleague.get(), "BEGIN"));
  ASSERT_EQ(std::stod(first(colleague.get(), "SELECT count(*) FROM placements")), before_placements);

  // A smaller cohort, in the background; it waits for the colleague's lock (0: for ever).
  CliRun run{};
  std::thread running(
      [&] { run = analyse(cohort("--children 40 --seed 3", "cohort_40"), pg(), "--pg-lock-timeout 0"); });
  // Bounded wait until the run's session waits for the lock on placements.
  const std::string waiting =
      "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> "
      "pg_backend_pid()";
  bool blocked = false;
  for (int i = 0; i < 6000 && !blocked; ++i) {
    blocked = number(waiting) > 0;
    if (!blocked) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (blocked) {
    // Everything below is read while the run's transaction is open.
    auto other = connect();
    EXPECT_EQ(PQstatus(other.get()), CONNECTION_OK);
    EXPECT_EQ(first(other.get(), oids), before_oids.substr(0, before_oids.size() - 1)) << "the catalogue changed";
    EXPECT_EQ(std::stod(first(colleague.get(), "SELECT count(*) FROM placements")), before_placements);
    // homes, already replaced inside the run: not readable half-written; the reader waits.
    PQclear(PQexec(other.get(), "SET lock_timeout = '200ms'"));
    EXPECT_NE(first(other.get(), "SELECT count(*) FROM homes").find("lock timeout"), std::string::npos);
    EXPECT_EQ(number(waiting), 1) << "the run went on past the colleague's lock";
  }
  PQclear(PQexec(colleague.get(), "COMMIT"));
  running.join();
  ASSERT_TRUE(blocked) << "the run never waited for the colleague's lock: " << run.err;
  ASSERT_LE(run.exit_code, 1) << run.err;
  // Committed: new tables, the smaller cohort's rows.
  EXPECT_NE(sql(oids), before_oids);
  EXPECT_LE(number("SELECT count(*) FROM placements"), 40);
  EXPECT_LT(number("SELECT count(*) FROM homes"), before_homes);
  EXPECT_EQ(tables(), kSortedLayers);
}

}  // namespace
}  // namespace placedist
