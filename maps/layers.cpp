#include "maps/layers.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>

#include "geo/crs.hpp"
#include "shapes/boundaries.hpp"
#include "shapes/locate.hpp"

namespace placedist {

const std::vector<std::string> kLayerNames = {"zone_20_miles", "councils", "boundary", "journeys", "homes", "placements"};

namespace {

namespace fs = std::filesystem;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

double round6(double v) { return std::round(v * 1e6) / 1e6; }

struct DatasetCloser {
  void operator()(GDALDataset* ds) const { GDALClose(ds); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

struct FeatureDeleter {
  void operator()(OGRFeature* f) const { OGRFeature::DestroyFeature(f); }
};

// Where layers go: one dataset per layer or one for all.
class Sink {
 public:
  Sink(LayerFormat format, fs::path folder, std::string connection)
      : m_format(format), m_folder(std::move(folder)), m_connection(std::move(connection)) {
    GDALAllRegister();
    m_driver = GetGDALDriverManager()->GetDriverByName(to_string(format));
    if (!m_driver) throw std::runtime_error(std::string("GDAL has no ") + to_string(format) + " driver");
    m_srs.importFromEPSG(4326);
    m_srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  }

  OGRLayer* create(const std::string& name, OGRwkbGeometryType type, WrittenLayer& written) {
    written.name = name;
    GDALDataset* ds = nullptr;
    if (m_format == LayerFormat::postgresql) {
      if (!m_shared) m_shared.reset(open(m_connection, true));
      ds = m_shared.get();
      written.datasource = m_connection;
    } else if (m_format == LayerFormat::gpkg) {
      if (!m_shared) m_shared.reset(open((m_folder / "layers.gpkg").string(), false));
      ds = m_shared.get();
      written.datasource = "layers.gpkg";
      m_files.insert("layers.gpkg");
    } else {
      std::string file = name + file_extension(m_format);
      m_own.emplace_back(open((m_folder / file).string(), false));
      ds = m_own.back().get();
      written.datasource = file;
      m_files.insert(file);
    }
    char** options = nullptr;
    if (m_format == LayerFormat::geojson) {
      options = CSLSetNameValue(options, "RFC7946", "YES");
      options = CSLSetNameValue(options, "COORDINATE_PRECISION", "6");
      options = CSLSetNameValue(options, "WRITE_NAME", "YES");
    }
    if (m_format == LayerFormat::postgresql) options = CSLSetNameValue(options, "OVERWRITE", "YES");
    OGRLayer* layer = ds->CreateLayer(name.c_str(), &m_srs, type, options);
    CSLDestroy(options);
    if (!layer) throw std::runtime_error("GDAL could not create layer " + name + ": " + CPLGetLastErrorMsg());
    if (m_format == LayerFormat::gpkg || m_format == LayerFormat::postgresql) if (layer->StartTransaction() != OGRERR_NONE) throw std::runtime_error("GDAL could not start a transaction on " + name);
    m_open.push_back(layer);
    return layer;
  }

  void finish() {
    for (OGRLayer* layer : m_open)
      if ((m_format == LayerFormat::gpkg || m_format == LayerFormat::postgresql) && layer->CommitTransaction() != OGRERR_NONE)
        throw std::runtime_error(std::string("GDAL could not commit a layer: ") + CPLGetLastErrorMsg());
    m_own.clear();
    m_shared.reset();
  }
  const std::set<std::string>& files() const { return m_files; }

 private:
  GDALDataset* open(const std::string& target, bool existing) {
    GDALDataset* ds = existing ? GDALDataset::Open(target.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE)
                               : m_driver->Create(target.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
    if (!ds) throw std::runtime_error("GDAL could not create " + (existing ? std::string("the PostgreSQL layers") : target) +
                                      ": " + CPLGetLastErrorMsg());
    return ds;
  }

  LayerFormat m_format;
  fs::path m_folder;
  std::string m_connection;
  GDALDriver* m_driver = nullptr;
  OGRSpatialReference m_srs;
  std::vector<DatasetPtr> m_own;
  DatasetPtr m_shared;
  std::vector<OGRLayer*> m_open;
  std::set<std::string> m_files;
};

void add_field(OGRLayer* layer, const char* name, OGRFieldType type, OGRFieldSubType subtype = OFSTNone) {
  OGRFieldDefn field(name, type);
  field.SetSubType(subtype);
  if (layer->CreateField(&field) != OGRERR_NONE) throw std::runtime_error(std::string("GDAL could not add field ") + name);
}

void set_real(OGRFeature& f, int i, double v, int decimals) {
  if (!std::isfinite(v)) return f.SetFieldNull(i);
  double scale = std::pow(10.0, decimals);
  f.SetField(i, std::round(v * scale) / scale);
}

void set_text(OGRFeature& f, int i, std::string_view v) {
  if (v.empty()) return f.SetFieldNull(i);
  f.SetField(i, std::string(v).c_str());
}

void add(OGRLayer* layer, std::unique_ptr<OGRFeature, FeatureDeleter> feature, WrittenLayer& written) {
  if (layer->CreateFeature(feature.get()) != OGRERR_NONE)
    throw std::runtime_error("GDAL could not write a feature to " + written.name + ": " + CPLGetLastErrorMsg());
  ++written.features;
}

std::unique_ptr<OGRFeature, FeatureDeleter> new_feature(OGRLayer* layer) {
  return std::unique_ptr<OGRFeature, FeatureDeleter>(OGRFeature::CreateFeature(layer->GetLayerDefn()));
}

// The attributes shared by placements and journeys: placements.csv's columns plus the band.
void add_row_fields(OGRLayer* layer, std::span<const ExtraColumn> extras) {
  for (const char* name : {"id", "home_match", "placement_match", "home_la_code", "home_la_name", "placement_la_code",
                           "placement_la_name", "placement_location"})
    add_field(layer, name, OFTString);
  add_field(layer, "dfe_miles", OFTReal);
  add_field(layer, "geodesic_miles", OFTReal);
  add_field(layer, "within_20_miles", OFTInteger, OFSTBoolean);
  add_field(layer, "distance_band", OFTString);
  add_field(layer, "status", OFTString);
  add_field(layer, "message", OFTString);
  for (const ExtraColumn& extra : extras) add_field(layer, extra.name.c_str(), OFTReal);
}

void set_row_fields(OGRFeature& f, const PlacementRow& row, std::span<const ExtraColumn> extras) {
  int i = 0;
  set_text(f, i++, row.id);
  set_text(f, i++, row.home_located() ? to_string(row.home_match) : "");
  set_text(f, i++, row.placement_located() ? to_string(row.placement_match) : "");
  set_text(f, i++, row.home_la_code);
  set_text(f, i++, row.home_la_name);
  set_text(f, i++, row.placement_la_code);
  set_text(f, i++, row.placement_la_name);
  set_text(f, i++, to_string(row.location));
  set_real(f, i++, row.dfe_miles, 1);
  set_real(f, i++, row.geodesic_miles, 3);
  if (std::isfinite(row.dfe_miles)) f.SetField(i++, row.dfe_miles <= 20 ? 1 : 0);
  else f.SetFieldNull(i++);
  set_text(f, i++, to_string(row.band()));
  set_text(f, i++, to_string(row.status));
  set_text(f, i++, row.message);
  for (std::size_t e = 0; e < extras.size(); ++e)
    set_real(f, i++, e < row.extras.size() ? row.extras[e] : kNoValue, extras[e].decimals);
}

OGRPoint* point(LonLat p) { return new OGRPoint(round6(p.lon), round6(p.lat)); }

LonLat home_point(const PlacementRow& row, bool unit) { return unit ? row.home_position : row.home_sector_position; }

// OSTN15 where it reaches; the Helmert elsewhere (Northern Ireland's far west lies at negative
// eastings, off the OSTN15 grid), so that every vertex has a position.
class ToWgs84 {
 public:
  void operator()(std::span<const GridRef> in, std::span<LonLat> out) {
    if (m_ostn15.to_wgs84(in, out) == 0) return;
    if (!m_helmert) m_helmert.emplace(CrsMethod::helmert);
    for (std::size_t i = 0; i < in.size(); ++i)
      if (!is_finite(out[i])) out[i] = m_helmert->to_wgs84(in[i]);
  }

 private:
  BngTransformer m_ostn15;
  std::optional<BngTransformer> m_helmert;
};

OGRMultiPolygon* to_wgs84(const MultiPolygon& polygons, ToWgs84& crs) {
  auto* multi = new OGRMultiPolygon();
  std::vector<LonLat> out;
  for (const Polygon& polygon : polygons) {
    auto* poly = new OGRPolygon();
    for (const auto& ring : polygon.rings) {
      out.resize(ring.size());
      crs(ring, out);
      auto* r = new OGRLinearRing();
      r->setNumPoints(static_cast<int>(out.size()), FALSE);
      for (std::size_t k = 0; k < out.size(); ++k) r->setPoint(static_cast<int>(k), round6(out[k].lon), round6(out[k].lat));
      poly->addRingDirectly(r);
    }
    multi->addGeometryDirectly(poly);
  }
  return multi;
}

}  // namespace

std::optional<LayerFormat> parse_layer_format(std::string_view name) {
  std::string n = lower(name);
  if (n == "geojson" || n == "json") return LayerFormat::geojson;
  if (n == "gpkg" || n == "geopackage") return LayerFormat::gpkg;
  if (n == "flatgeobuf" || n == "fgb") return LayerFormat::flatgeobuf;
  if (n == "postgresql" || n == "postgis" || n == "pg") return LayerFormat::postgresql;
  return std::nullopt;
}

const char* to_string(LayerFormat format) {
  switch (format) {
    case LayerFormat::geojson: return "GeoJSON";
    case LayerFormat::gpkg: return "GPKG";
    case LayerFormat::flatgeobuf: return "FlatGeobuf";
    case LayerFormat::postgresql: return "PostgreSQL";
  }
  return "GeoJSON";
}

const char* file_extension(LayerFormat format) {
  switch (format) {
    case LayerFormat::geojson: return ".geojson";
    case LayerFormat::gpkg: return ".gpkg";
    case LayerFormat::flatgeobuf: return ".fgb";
    case LayerFormat::postgresql: return "";
  }
  return "";
}

std::vector<WrittenLayer> write_layers(const LayerInputs& in, LayerFormat format, const fs::path& folder,
                                       const std::string& connection) {
  if (format == LayerFormat::postgresql && connection.empty())
    throw std::runtime_error("PostgreSQL layers need a connection string (PG:dbname=...)");
  fs::path staging;
  if (format != LayerFormat::postgresql) {
    fs::create_directories(folder);
    staging = folder / (".layers-tmp-" + std::to_string(::getpid()));
    fs::remove_all(staging);
    fs::create_directories(staging);
  }
  std::vector<WrittenLayer> written;
  try {
    Sink sink(format, staging, connection);
    ToWgs84 crs;
    const bool unit = in.home_unit_precision;

    // Bottom first, so that GeoPackage and PostGIS list them in drawing order.
    if (!in.zones.empty()) {
      WrittenLayer& w = written.emplace_back();
      OGRLayer* layer = sink.create("zone_20_miles", wkbMultiPolygon, w);
      w.geometry_type = "MultiPolygon";
      add_field(layer, "kind", OFTString);
      add_field(layer, "radius_miles", OFTReal);
      add_field(layer, "area_km2", OFTReal);
      for (const ZoneFeature& zone : in.zones) {
        if (zone.polygons.empty()) continue;
        auto f = new_feature(layer);
        f->SetField(0, zone.kind.c_str());
        f->SetField(1, 20.0);
        f->SetField(2, std::round(zone.area_m2 / 1e4) / 100);
        f->SetGeometryDirectly(to_wgs84(zone.polygons, crs));
        add(layer, std::move(f), w);
      }
    }
    if (in.boundaries) {
      const Boundaries& b = *in.boundaries;
      std::map<std::string, std::size_t> placed, homes;
      for (const PlacementRow& row : in.rows) {
        if (row.placement_located()) {
          std::string code = row.placement_la_code;
          if (code.empty() || !b.find(code)) {
            LocateResult hit = locate(b, row.placement_grid);
            if (hit.found()) code = hit.code;
          }
          ++placed[code];
        }
        if (row.home_located()) {
          std::string code = row.home_la_code;
          if (code.empty() || !b.find(code)) {
            LocateResult hit = locate(b, row.home_grid);
            if (hit.found()) code = hit.code;
          }
          ++homes[code];
        }
      }
      WrittenLayer& w = written.emplace_back();
      OGRLayer* layer = sink.create("councils", wkbMultiPolygon, w);
      w.geometry_type = "MultiPolygon";
      add_field(layer, "code", OFTString);
      add_field(layer, "name", OFTString);
      add_field(layer, "placements", OFTInteger);
      add_field(layer, "children_from", OFTInteger);
      add_field(layer, "responsible", OFTInteger, OFSTBoolean);
      for (std::size_t c = 0; c < b.size(); ++c) {
        const BoundaryCouncil& council = b.council(c);
        auto f = new_feature(layer);
        f->SetField(0, council.code.c_str());
        f->SetField(1, council.name.c_str());
        auto p = placed.find(council.code);
        auto h = homes.find(council.code);
        f->SetField(2, static_cast<int>(p == placed.end() ? 0 : p->second));
        f->SetField(3, static_cast<int>(h == homes.end() ? 0 : h->second));
        f->SetField(4, council.code == in.responsible_code ? 1 : 0);
        f->SetGeometryDirectly(to_wgs84(b.polygons(c), crs));
        add(layer, std::move(f), w);
      }
      if (auto index = b.find(in.responsible_code)) {
        WrittenLayer& wb = written.emplace_back();
        OGRLayer* boundary = sink.create("boundary", wkbMultiPolygon, wb);
        wb.geometry_type = "MultiPolygon";
        add_field(boundary, "code", OFTString);
        add_field(boundary, "name", OFTString);
        add_field(boundary, "area_km2", OFTReal);
        auto f = new_feature(boundary);
        f->SetField(0, b.council(*index).code.c_str());
        f->SetField(1, b.council(*index).name.c_str());
        f->SetField(2, std::round(b.area_m2(*index) / 1e4) / 100);
        f->SetGeometryDirectly(to_wgs84(b.polygons(*index), crs));
        add(boundary, std::move(f), wb);
      }
    }
    {
      WrittenLayer& w = written.emplace_back();
      OGRLayer* layer = sink.create("journeys", wkbLineString, w);
      w.geometry_type = "LineString";
      add_row_fields(layer, in.extra_columns);
      for (const PlacementRow& row : in.rows) {
        if (!row.home_located() || !row.placement_located()) continue;
        auto f = new_feature(layer);
        set_row_fields(*f, row, in.extra_columns);
        auto* line = new OGRLineString();
        if (row.route.size() >= 2) {
          for (const LonLat& p : row.route) line->addPoint(round6(p.lon), round6(p.lat));
        } else {
          LonLat from = home_point(row, unit);
          line->addPoint(round6(from.lon), round6(from.lat));
          line->addPoint(round6(row.placement_position.lon), round6(row.placement_position.lat));
        }
        f->SetGeometryDirectly(line);
        add(layer, std::move(f), w);
      }
    }
    {
      WrittenLayer& w = written.emplace_back();
      OGRLayer* layer = sink.create("homes", wkbPoint, w);
      w.geometry_type = "Point";
      for (const char* name : {"id", "home_precision", "home_sector", "home_la_code", "home_la_name", "placement_location",
                               "placement_la_name"})
        add_field(layer, name, OFTString);
      add_field(layer, "dfe_miles", OFTReal);
      add_field(layer, "within_20_miles", OFTInteger, OFSTBoolean);
      add_field(layer, "distance_band", OFTString);
      add_field(layer, "status", OFTString);
      for (const PlacementRow& row : in.rows) {
        if (!row.home_located()) continue;
        auto f = new_feature(layer);
        set_text(*f, 0, row.id);
        set_text(*f, 1, unit ? to_string(row.home_match) : "sector");
        set_text(*f, 2, row.home_sector);
        set_text(*f, 3, row.home_la_code);
        set_text(*f, 4, row.home_la_name);
        set_text(*f, 5, to_string(row.location));
        set_text(*f, 6, row.placement_la_name);
        set_real(*f, 7, row.dfe_miles, 1);
        if (std::isfinite(row.dfe_miles)) f->SetField(8, row.dfe_miles <= 20 ? 1 : 0);
        else f->SetFieldNull(8);
        set_text(*f, 9, to_string(row.band()));
        set_text(*f, 10, to_string(row.status));
        f->SetGeometryDirectly(point(home_point(row, unit)));
        add(layer, std::move(f), w);
      }
    }
    {
      WrittenLayer& w = written.emplace_back();
      OGRLayer* layer = sink.create("placements", wkbPoint, w);
      w.geometry_type = "Point";
      add_row_fields(layer, in.extra_columns);
      for (const PlacementRow& row : in.rows) {
        if (!row.placement_located()) continue;
        auto f = new_feature(layer);
        set_row_fields(*f, row, in.extra_columns);
        f->SetGeometryDirectly(point(row.placement_position));
        add(layer, std::move(f), w);
      }
    }
    sink.finish();
    if (format != LayerFormat::postgresql) {
      for (const std::string& file : sink.files()) fs::rename(staging / file, folder / file);
      fs::remove_all(staging);
    }
  } catch (...) {
    if (!staging.empty()) {
      std::error_code ec;
      fs::remove_all(staging, ec);
    }
    throw;
  }
  return written;
}

}  // namespace placedist
