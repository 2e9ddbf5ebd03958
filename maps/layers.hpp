#pragma once
// GIS layers of an analysis, written through GDAL/OGR in WGS84 (EPSG:4326, lon/lat, rounded
// to 6 decimals, about 0.1 m):
//   placements     points at the placement postcodes, with every placements.csv column
//   homes          points at the home's postcode-sector centroid (or the unit, if asked)
//   journeys       home -> placement lines (a road route when an extension gives one), all columns
//   boundary       the responsible council's polygon
//   sector_areas   with sector areas given: the postcode sector areas of the responsible council
//                  (shapes/sector_areas), codes and areas only: public geography, no counts
//   councils       every council of the boundary file, with counts of placements and homes
//   zone_20_miles  the boundary grown by 20 DfE miles, and the union of 20-mile circles
//                  around the homes (as published: sector centroids unless unit precision)
//   flows          published home area -> placement council, with the number of children in
//                  the report's published style (1 to 5 withheld as "c", secondary suppression)
//   journeys_road  with road_journeys_layer: the road routes, beside straight-line journeys
//   zone_20_road_miles  with a road zone: the area within 20 road miles of the homes
// GeoJSON (RFC 7946) by default, one file per layer, written directly (GDAL's GeoJSON driver is
// some 20 times slower; "GeoJSON-GDAL" uses it, for comparison); through GDAL: GeoPackage (one
// file, all layers), FlatGeobuf (one file per layer), PostgreSQL/PostGIS (tables in a schema).
// Files are written in a temporary folder inside the output folder and renamed into place.
// PostGIS tables are written in one transaction, replacing tables of the same name and dropping
// an earlier run's layers this run does not write (files likewise are removed): all of
// them or, after a failure, none (the previous ones stay). Each has a primary key `fid`, a
// geometry column `geom` with SRID 4326 and a GiST index on it.
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "geo/lonlat_polygon.hpp"
#include "maps/placement.hpp"
#include "shapes/polygons.hpp"
#include "shapes/sector_areas.hpp"

namespace placedist::shapes {
class Boundaries;
}

namespace placedist::maps {

struct PostgisTarget;

// PostGIS tables' geometry column and primary key.
inline constexpr const char* kPostgisGeometryColumn = "geom";
inline constexpr const char* kPostgisKeyColumn = "fid";

enum class LayerFormat { geojson, gpkg, flatgeobuf, postgresql, geojson_gdal };
// "GeoJSON", "GPKG" (or "GeoPackage"), "FlatGeobuf", "PostgreSQL" (or "PostGIS"), "GeoJSON-GDAL";
// case-insensitive.
std::optional<LayerFormat> parse_layer_format(std::string_view name);
const char* to_string(LayerFormat format);       // "GeoJSON", "GPKG", "FlatGeobuf", "PostgreSQL", "GeoJSON-GDAL"
const char* file_extension(LayerFormat format);  // ".geojson", ".gpkg", ".fgb", ""

struct ZoneFeature {
  std::string kind;               // "council buffer" or "home circles"
  shapes::MultiPolygon polygons;  // EPSG:27700
  double area_m2 = 0;
};

struct LayerInputs {
  std::span<const PlacementRow> rows;
  std::span<const ExtraColumn> extra_columns;
  // Who may see the layers: shareable (the default) puts each end at its published area
  // (src/analysis/disclosure.hpp) and carries only shareable columns; restricted puts the
  // placement at its unit and carries every column.
  Disclosure audience = Disclosure::shareable;
  bool home_unit_precision = false;                // restricted only: homes and journeys start at the unit
  const shapes::Boundaries* boundaries = nullptr;  // councils and boundary layers; none without it
  std::string responsible_code;
  std::vector<ZoneFeature> zones;
  // Journeys keep the straight line and the rows' routes go to a layer of their own.
  bool road_journeys_layer = false;
  // The road zone in lon/lat (none: no layer) and its limit. Geometry, not WKT: the name stays
  // until its callers (src/cli/cmd_analyse.cpp, src/serve/cohorts.cpp, being moved to
  // run_analysis) are renamed with it.
  geo::LonLatMultiPolygon road_zone;
  double road_zone_miles = 20;
  std::string road_zone_kind = "home road reach";
  // The postcode sector areas to draw (none: no layer), each with the council most of its units lie in.
  std::vector<std::pair<shapes::SectorArea, std::string>> sector_areas;
  // What the layers are and their licence: PostGIS tables' comment and GeoPackage layers'
  // description (QGIS shows it as the layer's abstract); empty: none.
  std::string description;
};

struct WrittenLayer {
  std::string name;           // "placements", ...
  std::string datasource;     // file name relative to the output folder, or the PostGIS table's name
  std::string geometry_type;  // "Point", "LineString", "MultiPolygon"
  std::size_t features = 0;
  // The features' bounds, lon/lat degrees (min > max: none).
  double lon_min = 180, lat_min = 90, lon_max = -180, lat_max = -90;
  bool has_extent() const { return lon_max >= lon_min && lat_max >= lat_min; }
};

// The layer names, in drawing order from the bottom.
extern const std::vector<std::string> kLayerNames;

// The GeoJSON layers as text, by layer name (what write_layers writes into NAME.geojson), for
// answers kept in memory (the service's cohorts).
std::map<std::string, std::string> geojson_layer_texts(const LayerInputs& inputs);

// Writes the layers into `folder` (created if absent) or, for PostgreSQL, into the database
// and schema of `postgis` (checked first with check_postgis_target). Throws std::runtime_error
// when GDAL cannot create or write a layer; nothing is left half-written.
std::vector<WrittenLayer> write_layers(const LayerInputs& inputs, LayerFormat format,
                                       const std::filesystem::path& folder, const PostgisTarget* postgis = nullptr);

}  // namespace placedist::maps
