// Layers through GDAL/OGR: GeoPackage (one file, all layers, each in a transaction),
// FlatGeobuf (a file per layer), PostgreSQL/PostGIS (a connection: every layer in ONE
// transaction, so that a failed run rolls back and leaves the previous tables as they were),
// or GDAL's own GeoJSON.
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cctype>
#include <ctime>
#include <stdexcept>

#include "maps/detail/feature_sink.hpp"
#include "maps/layers.hpp"

using namespace placedist::geo;
using namespace placedist::shapes;

namespace placedist::maps::detail {
namespace {

struct DatasetCloser {
  void operator()(GDALDataset* ds) const { GDALClose(ds); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

OGRwkbGeometryType ogr_type(GeometryKind kind) {
  switch (kind) {
    case GeometryKind::point: return wkbPoint;
    case GeometryKind::line_string: return wkbLineString;
    case GeometryKind::multi_polygon: return wkbMultiPolygon;
  }
  return wkbUnknown;
}

// While a sink lives, GDAL's first failure is kept: in a PostgreSQL transaction the first
// error (say, a lock timeout) is the cause, and every later one only "transaction is aborted".
// Other messages go to GDAL's default handler, as before.
class FirstError {
 public:
  FirstError() { CPLPushErrorHandlerEx(&FirstError::handle, this); }
  ~FirstError() { CPLPopErrorHandler(); }
  FirstError(const FirstError&) = delete;
  FirstError& operator=(const FirstError&) = delete;
  // The first failure's message, else GDAL's last.
  std::string message() const { return m_first.empty() ? std::string(CPLGetLastErrorMsg()) : m_first; }

 private:
  static void CPL_STDCALL handle(CPLErr level, CPLErrorNum number, const char* text) {
    auto* self = static_cast<FirstError*>(CPLGetErrorHandlerUserData());
    if (level >= CE_Failure && self->m_first.empty() && text) {
      self->m_first = text;
      while (!self->m_first.empty() && std::isspace(static_cast<unsigned char>(self->m_first.back())))
        self->m_first.pop_back();
    }
    CPLDefaultErrorHandler(level, number, text);
  }
  std::string m_first;
};

class GdalSink final : public FeatureSink {
 public:
  GdalSink(std::string driver, std::string folder, std::string connection, std::string description)
      : m_driver_name(std::move(driver)),
        m_folder(std::move(folder)),
        m_connection(std::move(connection)),
        m_description(std::move(description)) {
    GDALAllRegister();
    m_driver = GetGDALDriverManager()->GetDriverByName(m_driver_name.c_str());
    if (!m_driver) throw std::runtime_error("GDAL has no " + m_driver_name + " driver");
    m_srs.importFromEPSG(4326);
    m_srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    m_postgis = m_driver_name == "PostgreSQL";
    m_layer_transactions = m_driver_name == "GPKG";
    if (m_postgis) {
      // One transaction for the whole run: tables of the same name are dropped and created
      // inside it, so that readers see the old tables until the commit, and after a failure.
      m_shared.reset(open(m_connection, true));
      if (m_shared->StartTransaction(FALSE) != OGRERR_NONE)
        throw std::runtime_error("GDAL could not start a PostgreSQL transaction: " + m_errors.message());
      m_in_transaction = true;
    }
  }

  ~GdalSink() override {
    if (m_in_transaction) m_shared->RollbackTransaction();  // an exception left it open: undo everything
  }

  std::string begin_layer(const std::string& name, GeometryKind kind, const std::vector<FieldDef>& fields) override {
    std::string datasource;
    GDALDataset* ds = nullptr;
    if (m_postgis) {
      ds = m_shared.get();
      datasource = name;
    } else if (m_driver_name == "GPKG") {
      if (!m_shared) m_shared.reset(open(m_folder + "/layers.gpkg", false));
      ds = m_shared.get();
      datasource = "layers.gpkg";
    } else {
      datasource = name + (m_driver_name == "FlatGeobuf" ? ".fgb" : ".geojson");
      m_own.reset(open(m_folder + "/" + datasource, false));
      ds = m_own.get();
    }
    char** options = nullptr;
    if (m_driver_name == "GeoJSON") {
      options = CSLSetNameValue(options, "RFC7946", "YES");
      options = CSLSetNameValue(options, "COORDINATE_PRECISION", "6");
    }
    if (m_postgis) {
      options = CSLSetNameValue(options, "OVERWRITE", "YES");
      options = CSLSetNameValue(options, "GEOMETRY_NAME", kPostgisGeometryColumn);
      options = CSLSetNameValue(options, "FID", kPostgisKeyColumn);  // SERIAL PRIMARY KEY
      options = CSLSetNameValue(options, "SPATIAL_INDEX", "GIST");
    }
    if ((m_postgis || m_driver_name == "GPKG") && !m_description.empty())
      options = CSLSetNameValue(options, "DESCRIPTION", m_description.c_str());
    m_layer = ds->CreateLayer(name.c_str(), &m_srs, ogr_type(kind), options);
    CSLDestroy(options);
    if (!m_layer) throw std::runtime_error("GDAL could not create layer " + name + ": " + m_errors.message());
    for (const FieldDef& f : fields) {
      OGRFieldDefn field(f.name.c_str(), f.type == FieldType::text   ? OFTString
                                         : f.type == FieldType::real ? OFTReal
                                                                     : OFTInteger);
      if (f.type == FieldType::boolean) field.SetSubType(OFSTBoolean);
      if (m_layer->CreateField(&field) != OGRERR_NONE)
        throw std::runtime_error("GDAL could not add field " + f.name + ": " + m_errors.message());
    }
    if (m_layer_transactions && m_layer->StartTransaction() != OGRERR_NONE)
      throw std::runtime_error("GDAL could not start a transaction on " + name);
    m_name = name;
    return datasource;
  }

  void feature(std::span<const Value> values, const Geometry& g) override {
    OGRFeature* f = OGRFeature::CreateFeature(m_layer->GetLayerDefn());
    for (std::size_t i = 0; i < values.size(); ++i) {
      const Value& v = values[i];
      const int k = static_cast<int>(i);
      switch (v.kind) {
        case Value::null: f->SetFieldNull(k); break;
        case Value::text: f->SetField(k, std::string(v.text_value).c_str()); break;
        case Value::real: f->SetField(k, v.real_value); break;
        case Value::integer:
        case Value::boolean: f->SetField(k, static_cast<GIntBig>(v.integer_value)); break;
      }
    }
    switch (g.kind) {
      case GeometryKind::point: f->SetGeometryDirectly(new OGRPoint(g.point.lon, g.point.lat)); break;
      case GeometryKind::line_string: {
        auto* line = new OGRLineString();
        for (const LonLat& p : g.line) line->addPoint(p.lon, p.lat);
        f->SetGeometryDirectly(line);
        break;
      }
      case GeometryKind::multi_polygon: {
        auto* multi = new OGRMultiPolygon();
        for (const PolygonRings& rings : *g.polygons) {
          auto* poly = new OGRPolygon();
          for (const Ring& ring : rings) {
            auto* r = new OGRLinearRing();
            r->setNumPoints(static_cast<int>(ring.size()), FALSE);
            for (std::size_t k = 0; k < ring.size(); ++k) r->setPoint(static_cast<int>(k), ring[k].lon, ring[k].lat);
            poly->addRingDirectly(r);
          }
          multi->addGeometryDirectly(poly);
        }
        f->SetGeometryDirectly(multi);
        break;
      }
    }
    OGRErr err = m_layer->CreateFeature(f);
    OGRFeature::DestroyFeature(f);
    if (err != OGRERR_NONE)
      throw std::runtime_error("GDAL could not write a feature to " + m_name + ": " + m_errors.message());
  }

  void end_layer() override {
    if (m_layer_transactions && m_layer->CommitTransaction() != OGRERR_NONE)
      throw std::runtime_error("GDAL could not commit layer " + m_name + ": " + m_errors.message());
    m_layer = nullptr;
    m_own.reset();
  }

  void drop_tables(const std::string& schema, std::span<const std::string> names) override {
    if (!m_postgis) return;
    for (const std::string& name : names) {
      // Plain DROP (GDAL's DeleteLayer would CASCADE): a view made since the early check fails
      // the run instead of vanishing. Schema and names are plain identifiers.
      const std::string command = "DROP TABLE IF EXISTS \"" + schema + "\".\"" + name + "\"";
      CPLErrorReset();
      if (OGRLayer* result = m_shared->ExecuteSQL(command.c_str(), nullptr, nullptr))
        m_shared->ReleaseResultSet(result);
      if (CPLGetLastErrorType() >= CE_Failure)
        throw std::runtime_error("GDAL could not drop the earlier run's table " + schema + "." + name + ": " +
                                 m_errors.message());
    }
  }

  // QGIS's layer_styles table (as QGIS's OGR provider creates it in a GeoPackage): one default
  // style per layer, geometry column "geom".
  void styles(std::span<const std::pair<std::string, std::string_view>> name_qml) override {
    if (m_driver_name != "GPKG" || !m_shared || name_qml.empty()) return;
    char** options = CSLSetNameValue(nullptr, "FID", "id");
    OGRLayer* table = m_shared->CreateLayer("layer_styles", nullptr, wkbNone, options);
    CSLDestroy(options);
    if (!table) throw std::runtime_error("GDAL could not create layer_styles: " + m_errors.message());
    struct Column {
      const char* name;
      OGRFieldType type;
      int width;
    };
    const Column columns[] = {{"f_table_catalog", OFTString, 256}, {"f_table_schema", OFTString, 256},
                              {"f_table_name", OFTString, 256},    {"f_geometry_column", OFTString, 256},
                              {"styleName", OFTString, 30},        {"styleQML", OFTString, 0},
                              {"styleSLD", OFTString, 0},          {"useAsDefault", OFTInteger, 0},
                              {"description", OFTString, 0},       {"owner", OFTString, 30},
                              {"ui", OFTString, 30},               {"update_time", OFTDateTime, 0}};
    for (const Column& c : columns) {
      OGRFieldDefn field(c.name, c.type);
      field.SetWidth(c.width);
      if (c.type == OFTInteger) field.SetSubType(OFSTBoolean);
      if (table->CreateField(&field) != OGRERR_NONE)
        throw std::runtime_error(std::string("GDAL could not add layer_styles.") + c.name + ": " + m_errors.message());
    }
    table->StartTransaction();
    for (const auto& [name, qml] : name_qml) {
      OGRFeatureUniquePtr f(OGRFeature::CreateFeature(table->GetLayerDefn()));
      f->SetField("f_table_catalog", "");
      f->SetField("f_table_schema", "");
      f->SetField("f_table_name", name.c_str());
      f->SetField("f_geometry_column", "geom");
      f->SetField("styleName", name.c_str());
      f->SetField("styleQML", std::string(qml).c_str());
      f->SetField("useAsDefault", 1);
      f->SetField("description", "placedist");
      f->SetField("owner", "");
      const std::time_t now = std::time(nullptr);
      std::tm utc{};
      gmtime_r(&now, &utc);
      f->SetField("update_time", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min,
                  static_cast<float>(utc.tm_sec), 100);
      if (table->CreateFeature(f.get()) != OGRERR_NONE)
        throw std::runtime_error("GDAL could not write the style of " + name + ": " + m_errors.message());
    }
    if (table->CommitTransaction() != OGRERR_NONE)
      throw std::runtime_error("GDAL could not commit layer_styles: " + m_errors.message());
  }

  void finish() override {
    m_own.reset();
    if (m_in_transaction) {
      m_in_transaction = false;
      if (m_shared->CommitTransaction() != OGRERR_NONE) {
        std::string why = m_errors.message();
        m_shared->RollbackTransaction();
        throw std::runtime_error("GDAL could not commit the PostgreSQL transaction: " + why);
      }
    }
    m_shared.reset();
  }

 private:
  GDALDataset* open(const std::string& target, bool existing) {
    GDALDataset* ds = existing ? GDALDataset::Open(target.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE)
                               : m_driver->Create(target.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
    if (!ds)
      throw std::runtime_error("GDAL could not open " + (existing ? std::string("the PostgreSQL connection") : target) +
                               ": " + m_errors.message());
    return ds;
  }

  FirstError m_errors;  // first member: it catches the errors of everything below
  std::string m_driver_name, m_folder, m_connection, m_description, m_name;
  GDALDriver* m_driver = nullptr;
  OGRSpatialReference m_srs;
  bool m_postgis = false, m_layer_transactions = false, m_in_transaction = false;
  DatasetPtr m_own, m_shared;
  OGRLayer* m_layer = nullptr;
};

}  // namespace

std::unique_ptr<FeatureSink> make_gdal_sink(const std::string& driver, const std::string& folder,
                                            const std::string& connection, const std::string& description) {
  return std::make_unique<GdalSink>(driver, folder, connection, description);
}

}  // namespace placedist::maps::detail
