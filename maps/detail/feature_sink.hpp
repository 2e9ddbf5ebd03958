#pragma once
// Internal to maps/layers: one interface for writing a layer's features, implemented through
// GDAL/OGR (GeoPackage, FlatGeobuf, PostGIS, and GeoJSON on request) and by a direct streaming
// GeoJSON writer. Coordinates are WGS84 lon/lat degrees, already rounded to 6 decimals.
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "geo/coords.hpp"
#include "geo/lonlat_polygon.hpp"

namespace placedist::maps::detail {

enum class FieldType { text, real, integer, boolean };

struct FieldDef {
  std::string name;
  FieldType type;
};

struct Value {
  enum Kind { null, text, real, integer, boolean } kind = null;
  std::string_view text_value;
  double real_value = 0;
  long long integer_value = 0;
  static Value of(std::string_view s) { return s.empty() ? Value{} : Value{text, s}; }
  static Value of_real(double v) {
    Value x;
    if (v == v) {
      x.kind = real;
      x.real_value = v;
    }
    return x;
  }
  static Value of_int(long long v) {
    Value x;
    x.kind = integer;
    x.integer_value = v;
    return x;
  }
  static Value of_bool(bool v) {
    Value x;
    x.kind = boolean;
    x.integer_value = v;
    return x;
  }
};

using Ring = geo::LonLatRing;
using PolygonRings = geo::LonLatPolygon;  // exterior first
using MultiPolygonRings = geo::LonLatMultiPolygon;

enum class GeometryKind { point, line_string, multi_polygon };

struct Geometry {
  GeometryKind kind = GeometryKind::point;
  geo::LonLat point;
  std::span<const geo::LonLat> line;
  const MultiPolygonRings* polygons = nullptr;
};

class FeatureSink {
 public:
  virtual ~FeatureSink() = default;
  // Returns the datasource written (a file name relative to the folder, or a connection).
  virtual std::string begin_layer(const std::string& name, GeometryKind kind, const std::vector<FieldDef>& fields) = 0;
  virtual void feature(std::span<const Value> values, const Geometry& geometry) = 0;
  virtual void end_layer() = 0;
  // PostGIS: drops the tables `names` of `schema` where they exist, inside the run's transaction
  // (an earlier run's layers this run does not write). Files: nothing (write_layers removes them).
  virtual void drop_tables(const std::string& /*schema*/, std::span<const std::string> /*names*/) {}
  // GeoPackage: each written layer's QGIS style (name -> .qml text) as its default style in the
  // file's layer_styles table, where QGIS looks when a layer is added straight from the file.
  // Called before finish(); others: nothing (PostGIS styles go in after the commit).
  virtual void styles(std::span<const std::pair<std::string, std::string_view>> /*name_qml*/) {}
  // Closes everything; the files then lie complete in the folder given at creation.
  virtual void finish() = 0;
};

// GeoJSON RFC 7946, one file NAME.geojson per layer, written directly.
std::unique_ptr<FeatureSink> make_geojson_sink(const std::string& folder);
// The same text, each layer into texts[NAME] instead of a file.
std::unique_ptr<FeatureSink> make_geojson_text_sink(std::map<std::string, std::string>& texts);
// Through GDAL: driver "GeoJSON", "GPKG", "FlatGeobuf" or "PostgreSQL" (then `connection` is
// GDAL's "PG:..." string; begin_layer returns the table's name and everything is written in one
// transaction, committed by finish() and rolled back when the sink is destroyed before that).
// `description` becomes each GeoPackage layer's description or PostGIS table's comment.
std::unique_ptr<FeatureSink> make_gdal_sink(const std::string& driver, const std::string& folder,
                                            const std::string& connection, const std::string& description = {});

}  // namespace placedist::maps::detail
