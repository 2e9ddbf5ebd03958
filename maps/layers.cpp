#include "maps/layers.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>

#include "geo/crs.hpp"
#include "geo/io/ascii_case.hpp"
#include "geo/io/atomic_file.hpp"
#include "geo/io/number_text.hpp"
#include <ogr_api.h>
#include <ogr_geometry.h>
#include "maps/detail/feature_sink.hpp"
#include "maps/placement_columns.hpp"
#include "maps/postgis_target.hpp"
#include "maps/qgis_project.hpp"
#include "maps/report.hpp"
#include "maps/report_map.hpp"
#include "shapes/boundaries.hpp"
#include "shapes/locate.hpp"

using namespace placedist::geo;
using namespace placedist::shapes;

namespace placedist::maps {

const std::vector<std::string> kLayerNames = {"councils", "sector_areas", "zone_20_miles", "zone_20_road_miles",
                                              "boundary", "flows",        "journeys",      "journeys_road",
                                              "homes",    "placements"};

namespace {

namespace fs = std::filesystem;
using detail::FieldDef;
using detail::FieldType;
using detail::Geometry;
using detail::GeometryKind;
using detail::Value;

LonLat round6(LonLat p) { return {round_to(p.lon, 6), round_to(p.lat, 6)}; }

// OSTN15 where it reaches; the Helmert elsewhere (Northern Ireland's far west lies at negative
// eastings, off the OSTN15 grid), so that every vertex has a position.
class ToWgs84 {
 public:
  detail::MultiPolygonRings operator()(const MultiPolygon& polygons) {
    detail::MultiPolygonRings out;
    for (const Polygon& polygon : polygons) {
      detail::PolygonRings& rings = out.emplace_back();
      for (const auto& ring : polygon.rings) {
        detail::Ring& r = rings.emplace_back(ring.size());
        if (m_ostn15.to_wgs84(ring, r) != 0) {
          if (!m_helmert) m_helmert.emplace(CrsMethod::helmert);
          for (std::size_t i = 0; i < ring.size(); ++i)
            if (!is_finite(r[i])) r[i] = m_helmert->to_wgs84(ring[i]);
        }
        for (LonLat& p : r) p = round6(p);
      }
    }
    return out;
  }

 private:
  BngTransformer m_ostn15;
  std::optional<BngTransformer> m_helmert;
};

// The row layers' fields: the row schema's layer columns (maps/placement_columns.hpp).
FieldType field_type(ColumnType type) {
  switch (type) {
    case ColumnType::text: return FieldType::text;
    case ColumnType::real: return FieldType::real;
    case ColumnType::boolean: return FieldType::boolean;
  }
  return FieldType::text;
}

std::vector<FieldDef> row_fields(std::span<const PlacementColumn> columns) {
  std::vector<FieldDef> f;
  for (const PlacementColumn& column : columns) f.push_back({column.name, field_type(column.type)});
  return f;
}

Value layer_value(const Cell& cell) {
  switch (cell.kind) {
    case Cell::null: return {};
    case Cell::text: return Value::of(cell.text_value);
    case Cell::real: return Value::of_real(cell.real_value);
    case Cell::boolean: return Value::of_bool(cell.boolean_value);
  }
  return {};
}

void row_values(std::vector<Value>& v, const PlacementRow& row, std::span<const PlacementColumn> columns) {
  v.clear();
  for (const PlacementColumn& column : columns) v.push_back(layer_value(column.value(row)));
}

// "sector" or "district": how coarse the published home area is.
const char* home_area_level(const PlacementRow& row) {
  return row.home_sector.find(' ') != std::string::npos ? "sector" : "district";
}

// Where a restricted layer or a shareable one puts each end: the unit, or the published area
// (NaN when withheld: the feature is left out).
LonLat placement_point(const PlacementRow& row, bool restricted) {
  return round6(restricted ? row.placement_position : row.placement_area_position);
}

LonLat home_point(const PlacementRow& row, bool unit) {
  return round6(unit ? row.home_position : row.home_sector_position);
}

std::unique_ptr<detail::FeatureSink> make_sink(LayerFormat format, const fs::path& folder, const PostgisTarget* postgis,
                                               const std::string& description) {
  if (format == LayerFormat::geojson) return detail::make_geojson_sink(folder.string());
  const char* driver = format == LayerFormat::geojson_gdal ? "GeoJSON" : to_string(format);
  return detail::make_gdal_sink(driver, folder.string(), postgis ? postgis->gdal_connection() : std::string(),
                                description);
}

// placedist's layer names that are neither in `written` nor `also`.
std::vector<std::string> not_written(const std::vector<WrittenLayer>& written, const std::string& also) {
  std::vector<std::string> names;
  for (const std::string& name : kLayerNames)
    if (name != also &&
        std::none_of(written.begin(), written.end(), [&](const WrittenLayer& w) { return w.name == name; }))
      names.push_back(name);
  return names;
}

}  // namespace

std::optional<LayerFormat> parse_layer_format(std::string_view name) {
  std::string n = ascii_lower(name);
  if (n == "geojson" || n == "json") return LayerFormat::geojson;
  if (n == "gpkg" || n == "geopackage") return LayerFormat::gpkg;
  if (n == "flatgeobuf" || n == "fgb") return LayerFormat::flatgeobuf;
  if (n == "postgresql" || n == "postgis" || n == "pg") return LayerFormat::postgresql;
  if (n == "geojson-gdal") return LayerFormat::geojson_gdal;
  return std::nullopt;
}

const char* to_string(LayerFormat format) {
  switch (format) {
    case LayerFormat::geojson: return "GeoJSON";
    case LayerFormat::gpkg: return "GPKG";
    case LayerFormat::flatgeobuf: return "FlatGeobuf";
    case LayerFormat::postgresql: return "PostgreSQL";
    case LayerFormat::geojson_gdal: return "GeoJSON-GDAL";
  }
  return "GeoJSON";
}

const char* file_extension(LayerFormat format) {
  switch (format) {
    case LayerFormat::geojson:
    case LayerFormat::geojson_gdal: return ".geojson";
    case LayerFormat::gpkg: return ".gpkg";
    case LayerFormat::flatgeobuf: return ".fgb";
    case LayerFormat::postgresql: return "";
  }
  return "";
}

namespace {

// What every layer writer shares: the inputs, the sink, and the layers written so far.
struct LayerWriter {
  const LayerInputs& in;
  detail::FeatureSink& sink;
  const bool unit = in.home_unit_precision;
  const bool restricted = in.audience == Disclosure::restricted;
  const std::vector<PlacementColumn> row_columns = placement_columns(in.extra_columns, in_layers, in.audience);
  std::vector<WrittenLayer> written;
  ToWgs84 to_wgs84;
  std::vector<Value> values;

  void begin(const char* name, GeometryKind kind, const char* type, const std::vector<FieldDef>& fields) {
    WrittenLayer& w = written.emplace_back();
    w.name = name;
    w.geometry_type = type;
    w.datasource = sink.begin_layer(name, kind, fields);
  }
  // One feature of the layer begun last.
  void feature(std::span<const Value> v, const Geometry& g) {
    sink.feature(v, g);
    WrittenLayer& layer = written.back();
    ++layer.features;
    auto grow = [&](LonLat p) {
      layer.lon_min = std::min(layer.lon_min, p.lon), layer.lon_max = std::max(layer.lon_max, p.lon);
      layer.lat_min = std::min(layer.lat_min, p.lat), layer.lat_max = std::max(layer.lat_max, p.lat);
    };
    switch (g.kind) {
      case GeometryKind::point: grow(g.point); break;
      case GeometryKind::line_string:
        for (LonLat p : g.line) grow(p);
        break;
      case GeometryKind::multi_polygon:
        for (const auto& polygon : *g.polygons)
          if (!polygon.empty())
            for (LonLat p : polygon.front()) grow(p);
        break;
    }
  }
  void polygons_feature(std::span<const Value> v, const detail::MultiPolygonRings& rings) {
    Geometry g;
    g.kind = GeometryKind::multi_polygon;
    g.polygons = &rings;
    feature(v, g);
  }
  void point_feature(std::span<const Value> v, LonLat point) {
    Geometry g;
    g.point = point;
    feature(v, g);
  }
};

void write_zones(LayerWriter& w) {
  w.begin("zone_20_miles", GeometryKind::multi_polygon, "MultiPolygon",
          {{"kind", FieldType::text}, {"radius_miles", FieldType::real}, {"area_km2", FieldType::real}});
  for (const ZoneFeature& zone : w.in.zones) {
    if (zone.polygons.empty()) continue;
    detail::MultiPolygonRings rings = w.to_wgs84(zone.polygons);
    Value v[] = {Value::of(zone.kind), Value::of_real(20.0), Value::of_real(round_to(zone.area_m2 / 1e6, 2))};
    w.polygons_feature(v, rings);
  }
  w.sink.end_layer();
}

void write_road_zone(LayerWriter& w) {
  const LonLatMultiPolygon& rings = w.in.road_zone;
  w.begin("zone_20_road_miles", GeometryKind::multi_polygon, "MultiPolygon",
          {{"kind", FieldType::text}, {"road_miles", FieldType::real}, {"area_km2", FieldType::real}});
  Value v[] = {Value::of(w.in.road_zone_kind), Value::of_real(w.in.road_zone_miles),
               Value::of_real(round_to(area_m2(rings) / 1e6, 2))};
  w.polygons_feature(v, rings);
  w.sink.end_layer();
}

// Placements and homes per council: by the postcode's council code; by polygon where the file
// lacks that code.
struct CouncilCounts {
  std::map<std::string, std::size_t> placed, homes;
};

CouncilCounts count_by_council(const Boundaries& b, std::span<const PlacementRow> rows) {
  CouncilCounts counts;
  // The rows carry where the analysis located them (in these boundaries); locate only
  // rows analysed without them.
  auto council_of = [&](const std::string& code, std::int32_t polygon, GridRef at) -> std::string {
    if (!code.empty() && b.find(code)) return code;
    if (polygon == kNotChecked) polygon = locate(b, at).council;
    return polygon >= 0 ? b.council(static_cast<std::size_t>(polygon)).code : code;
  };
  for (const PlacementRow& row : rows) {
    if (row.placement_located())
      ++counts.placed[council_of(row.placement_la_code, row.placement_polygon, row.placement_grid)];
    if (row.home_located()) ++counts.homes[council_of(row.home_la_code, row.home_polygon, row.home_grid)];
  }
  return counts;
}

long long count_of(const std::map<std::string, std::size_t>& counts, const std::string& code) {
  auto it = counts.find(code);
  return static_cast<long long>(it == counts.end() ? 0 : it->second);
}

void write_councils(LayerWriter& w, const Boundaries& b) {
  const CouncilCounts counts = count_by_council(b, w.in.rows);
  std::vector<bool> placed_suppressed(b.size()), homes_suppressed(b.size());
  if (!w.restricted) {
    // Placements: the one recipe the report's overview map uses too (maps/report_map.hpp).
    const std::vector<CouncilPlacements> shown = shareable_council_placements(b, w.in.rows, w.in.responsible_code);
    std::vector<std::uint64_t> homes(b.size());
    for (std::size_t c = 0; c < b.size(); ++c) {
      placed_suppressed[c] = !shown[c].placements;
      homes[c] = static_cast<std::uint64_t>(count_of(counts.homes, b.council(c).code));
    }
    homes_suppressed = shareable_suppression(homes, tabulate(w.in.rows, w.in.responsible_code, "").total, {});
  }
  w.begin("councils", GeometryKind::multi_polygon, "MultiPolygon",
          {{"code", FieldType::text},
           {"name", FieldType::text},
           {"placements", FieldType::integer},
           {"children_from", FieldType::integer},
           {"responsible", FieldType::boolean}});
  for (std::size_t c = 0; c < b.size(); ++c) {
    const BoundaryCouncil& council = b.council(c);
    auto count = [](long long n, bool suppressed) { return suppressed ? Value{} : Value::of_int(n); };
    Value v[] = {Value::of(council.code), Value::of(council.name),
                 count(count_of(counts.placed, council.code), placed_suppressed[c]),
                 count(count_of(counts.homes, council.code), homes_suppressed[c]),
                 Value::of_bool(council.code == w.in.responsible_code)};
    detail::MultiPolygonRings rings = w.to_wgs84(b.polygons(c));
    w.polygons_feature(v, rings);
  }
  w.sink.end_layer();
}

// The responsible council's boundary, when the boundaries have it.
void write_boundary(LayerWriter& w, const Boundaries& b) {
  auto index = b.find(w.in.responsible_code);
  if (!index) return;
  w.begin("boundary", GeometryKind::multi_polygon, "MultiPolygon",
          {{"code", FieldType::text}, {"name", FieldType::text}, {"area_km2", FieldType::real}});
  Value v[] = {Value::of(b.council(*index).code), Value::of(b.council(*index).name),
               Value::of_real(round_to(b.area_m2(*index) / 1e6, 2))};
  detail::MultiPolygonRings rings = w.to_wgs84(b.polygons(*index));
  w.polygons_feature(v, rings);
  w.sink.end_layer();
}

// Postcode sector areas: codes, councils and areas, nothing about the children.
void write_sector_areas(LayerWriter& w) {
  w.begin("sector_areas", GeometryKind::multi_polygon, "MultiPolygon",
          {{"sector", FieldType::text}, {"council", FieldType::text}, {"area_km2", FieldType::real}});
  for (const auto& [area, council] : w.in.sector_areas) {
    Value v[] = {Value::of(area.sector), Value::of(council), Value::of_real(round_to(area.area_m2 / 1e6, 3))};
    detail::MultiPolygonRings rings = w.to_wgs84(area.polygons);
    w.polygons_feature(v, rings);
  }
  w.sink.end_layer();
}

// Journeys: the route where a row has one (unless routes have their own layer), else the line.
void write_journeys(LayerWriter& w, const char* name, bool routes_only) {
  w.begin(name, GeometryKind::line_string, "LineString", row_fields(w.row_columns));
  std::vector<LonLat> line;
  for (const PlacementRow& row : w.in.rows) {
    if (!row.home_located() || !row.placement_located()) continue;
    const bool route = row.route.size() >= 2 && (routes_only || !w.in.road_journeys_layer);
    if (routes_only && !route) continue;
    row_values(w.values, row, w.row_columns);
    line.clear();
    if (route) {
      for (const LonLat& p : row.route) line.push_back(round6(p));
    } else {
      line = {home_point(row, w.unit), placement_point(row, w.restricted)};
      // A line needs two distinct points (OGC, GEOS): home and placement in the same published
      // area have no journey to draw.
      if (!is_finite(line[0]) || !is_finite(line[1]) || line[0] == line[1]) continue;
    }
    Geometry g;
    g.kind = GeometryKind::line_string;
    g.line = line;
    w.feature(w.values, g);
  }
  w.sink.end_layer();
}

// A point inside council `code` of the boundaries (GEOS's point on surface of its largest
// polygon, on the National Grid), or nothing.
std::optional<LonLat> council_point(const Boundaries& b, const std::string& code, BngTransformer& to_wgs84) {
  auto index = b.find(code);
  if (!index) return std::nullopt;
  const std::vector<std::uint8_t> wkb = b.wkb(*index);
  OGRGeometry* geometry = nullptr;
  if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &geometry, wkb.size()) != OGRERR_NONE || !geometry)
    return std::nullopt;
  std::unique_ptr<OGRGeometry> owned(geometry);
  std::unique_ptr<OGRGeometry> inside(
      OGRGeometry::FromHandle(OGR_G_PointOnSurface(OGRGeometry::ToHandle(owned.get()))));
  auto* point = inside ? dynamic_cast<OGRPoint*>(inside.get()) : nullptr;
  if (!point || point->IsEmpty()) return std::nullopt;
  const LonLat p = round6(to_wgs84.to_wgs84(GridRef{point->getX(), point->getY()}));
  return is_finite(p) ? std::optional<LonLat>(p) : std::nullopt;
}

// Flows: children from each home postcode district to each placement council, as a line from
// the mean of the district's published home points to a point inside the council (without
// boundaries: the mean of the council's published placement points). Districts, not sectors:
// from sectors, some nine flows in ten of a 2,000-child cohort would hold 1 to 5 children and
// be withheld. Counts in the report's published style (maps/report.hpp): 1 to
// 5 withheld ("c"), and secondary suppression within each council's flows, so that no withheld
// count follows from the council's total.
void write_flows(LayerWriter& w) {
  struct Flow {
    std::string home_area, la_code, la_name, location;
    std::uint64_t children = 0;
  };
  std::map<std::pair<std::string, std::string>, Flow> flows;  // (home area, council code)
  // council or home district -> the sum of its published points, and their number
  std::map<std::string, std::pair<LonLat, std::size_t>> placed_sum, area_sum;
  for (const PlacementRow& row : w.in.rows) {
    if (!row.home_located() || !row.placement_located() || row.placement_la_code.empty()) continue;
    const LonLat from = row.home_sector_position;
    if (!is_finite(from) || row.home_sector.empty()) continue;  // withheld home area
    const std::string district = row.home_sector.substr(0, row.home_sector.find(' '));
    Flow& f = flows[{district, row.placement_la_code}];
    auto& [sum, n] = area_sum[district];
    sum = {sum.lon + from.lon, sum.lat + from.lat};
    ++n;
    if (f.children++ == 0) {
      f.home_area = district;
      f.la_code = row.placement_la_code;
      f.la_name = row.placement_la_name;
      f.location = to_string(row.location);
    }
    const LonLat at = row.placement_area_position;
    if (is_finite(at)) {
      auto& [sum, n] = placed_sum[row.placement_la_code];
      sum = {sum.lon + at.lon, sum.lat + at.lat};
      ++n;
    }
  }
  // Suppression groups: each council's flows add up to its total, and each home area's (the
  // councils layer and the homes layer publish those totals).
  std::vector<std::uint64_t> cells;
  std::vector<SuppressionGroup> groups;
  std::map<std::string, std::size_t> council_group, area_group;
  auto group = [&](std::map<std::string, std::size_t>& index, const std::string& key) {
    auto [it, added] = index.try_emplace(key, groups.size());
    if (added) {
      groups.push_back({cells.size(), {}});
      cells.push_back(0);
    }
    return it->second;
  };
  std::vector<std::size_t> flow_cell;
  for (const auto& [key, f] : flows) {
    flow_cell.push_back(cells.size());
    cells.push_back(f.children);
    for (std::size_t g : {group(council_group, key.second), group(area_group, key.first)}) {
      cells[groups[g].total] += f.children;
      groups[g].parts.push_back(flow_cell.back());
    }
  }
  const std::vector<bool> suppressed = suppress_cells(cells, groups);

  w.begin("flows", GeometryKind::line_string, "LineString",
          {{"home_area", FieldType::text},
           {"placement_la_code", FieldType::text},
           {"placement_la_name", FieldType::text},
           {"placement_location", FieldType::text},
           {"children", FieldType::integer},
           {"children_published", FieldType::text}});
  std::optional<BngTransformer> to_wgs84;
  std::map<std::string, std::optional<LonLat>> council_points;
  std::size_t next = 0;
  for (const auto& [key, f] : flows) {
    const std::size_t cell = flow_cell[next++];
    auto found = council_points.find(f.la_code);
    if (found == council_points.end()) {
      std::optional<LonLat> to;
      if (w.in.boundaries) {
        if (!to_wgs84) to_wgs84.emplace();
        to = council_point(*w.in.boundaries, f.la_code, *to_wgs84);
      }
      if (!to) {
        auto sum = placed_sum.find(f.la_code);
        if (sum != placed_sum.end() && sum->second.second > 0) {
          const double n = static_cast<double>(sum->second.second);
          to = round6(LonLat{sum->second.first.lon / n, sum->second.first.lat / n});
        }
      }
      found = council_points.emplace(f.la_code, to).first;
    }
    if (!found->second) continue;
    const bool withheld = suppressed[cell];
    const std::string published = published_count(f.children, withheld);
    Value v[] = {Value::of(f.home_area),
                 Value::of(f.la_code),
                 Value::of(f.la_name),
                 Value::of(f.location),
                 withheld ? Value{} : Value::of_int(static_cast<long long>(f.children)),
                 Value::of(published)};
    const auto& [sum, n] = area_sum[f.home_area];
    const LonLat from = round6({sum.lon / static_cast<double>(n), sum.lat / static_cast<double>(n)});
    const LonLat line[] = {from, *found->second};
    Geometry g;
    g.kind = GeometryKind::line_string;
    g.line = line;
    w.feature(v, g);
  }
  w.sink.end_layer();
}

std::vector<FieldDef> home_fields(bool restricted) {
  std::vector<FieldDef> fields;
  for (const char* name : {"id", "home_precision", "home_sector", "home_la_code", "home_la_name", "placement_location",
                           "placement_la_name"})
    fields.push_back({name, FieldType::text});
  // Shareable homes: DfE miles between the published areas, named as the row layers name them.
  fields.push_back({restricted ? "dfe_miles" : "area_miles", FieldType::real});
  fields.push_back({"within_20_miles", FieldType::boolean});
  fields.push_back({"distance_band", FieldType::text});
  fields.push_back({"status", FieldType::text});
  return fields;
}

// Shareable homes give the DfE miles between the published areas; restricted ones the units'.
void home_values(std::vector<Value>& values, const PlacementRow& row, bool unit, bool restricted) {
  const double miles = restricted ? row.dfe_miles : row.area_dfe_miles;
  values.clear();
  values.push_back(Value::of(row.id));
  values.push_back(Value::of(unit ? to_string(row.home_match) : home_area_level(row)));
  values.push_back(Value::of(row.home_sector));
  values.push_back(Value::of(row.home_la_code));
  values.push_back(Value::of(row.home_la_name));
  values.push_back(Value::of(to_string(row.location)));
  values.push_back(Value::of(row.placement_la_name));
  values.push_back(Value::of_real(round_to(miles, 1)));
  values.push_back(std::isfinite(miles) ? Value::of_bool(miles <= 20) : Value{});
  values.push_back(Value::of(to_string(distance_band(miles))));
  values.push_back(Value::of(to_string(row.status)));
}

void write_homes(LayerWriter& w) {
  w.begin("homes", GeometryKind::point, "Point", home_fields(w.restricted));
  for (const PlacementRow& row : w.in.rows) {
    if (!row.home_located()) continue;
    const LonLat point = home_point(row, w.unit);
    if (!is_finite(point)) continue;  // withheld: its area holds too few units
    home_values(w.values, row, w.unit, w.restricted);
    w.point_feature(w.values, point);
  }
  w.sink.end_layer();
}

void write_placements(LayerWriter& w) {
  w.begin("placements", GeometryKind::point, "Point", row_fields(w.row_columns));
  for (const PlacementRow& row : w.in.rows) {
    if (!row.placement_located()) continue;
    const LonLat point = placement_point(row, w.restricted);
    if (!is_finite(point)) continue;  // withheld: its area holds too few units
    row_values(w.values, row, w.row_columns);
    w.point_feature(w.values, point);
  }
  w.sink.end_layer();
}

// Every layer of `in` into `sink`, bottom first; PostGIS (`postgis` given) also drops an
// earlier run's layers this run does not write, in the same transaction.
std::vector<WrittenLayer> write_features(const LayerInputs& in, detail::FeatureSink* sink,
                                         const PostgisTarget* postgis) {
  LayerWriter w{in, *sink};
  // Bottom first, so that GeoPackage and PostGIS list them in drawing order.
  // Council fills lie under the zones, so that the zones read through.
  if (in.boundaries) write_councils(w, *in.boundaries);
  if (!in.sector_areas.empty()) write_sector_areas(w);
  if (!in.zones.empty()) write_zones(w);
  if (!in.road_zone.empty()) write_road_zone(w);
  if (in.boundaries) write_boundary(w, *in.boundaries);
  write_flows(w);
  write_journeys(w, "journeys", false);
  if (in.road_journeys_layer) write_journeys(w, "journeys_road", true);
  write_homes(w);
  // placements, always written, comes last: the earlier run's other layers are dropped now,
  // in the same transaction, so that a failure from here on keeps them too.
  if (postgis) sink->drop_tables(postgis->schema, not_written(w.written, "placements"));
  write_placements(w);
  std::vector<std::pair<std::string, std::string_view>> styles;
  for (const WrittenLayer& layer : w.written)
    if (std::string_view qml = layer_style(layer.name); !qml.empty()) styles.emplace_back(layer.name, qml);
  sink->styles(styles);
  sink->finish();
  return std::move(w.written);
}

// The layers' QGIS styles into the database's layer_styles, after the layers' commit; a
// failure is a warning, never the layers' undoing.
void write_styles(const PostgisTarget& postgis, const std::vector<WrittenLayer>& written) {
  std::vector<PostgisStyle> styles;
  for (const WrittenLayer& layer : written) {
    std::string_view qml = layer_style(layer.name);
    if (qml.empty()) continue;
    const std::string& t = layer.geometry_type;
    styles.push_back({layer.datasource, t == "Point" ? "Point" : t == "LineString" ? "Line" : "Polygon", qml});
  }
  const std::string why = write_postgis_styles(postgis, styles);
  if (!why.empty())
    std::fprintf(stderr,
                 "placedist: warning: the layers are written, but not their QGIS styles into layer_styles (%s); "
                 "placements.qgs still opens them styled\n",
                 why.c_str());
}

}  // namespace

std::vector<WrittenLayer> write_layers(const LayerInputs& in, LayerFormat format, const fs::path& folder,
                                       const PostgisTarget* postgis) {
  if (format == LayerFormat::postgresql && !postgis)
    throw std::runtime_error("PostgreSQL layers need a connection (PG:dbname=...)");
  fs::path staging;
  if (format != LayerFormat::postgresql) {
    fs::create_directories(folder);
    // What a killed run left in this folder, and only placedist's own names: staging folders
    // and temporaries (NAME.tmp.PID.N) of its outputs, where the process PID no longer runs.
    remove_stale_staging(folder, ".layers-tmp-");
    for (const std::string& name : kLayerNames)
      for (const char* suffix : {".geojson", ".gpkg", ".fgb", ".qml"})
        remove_stale_temporaries(folder / (name + suffix));
    for (const char* name : {"placements.csv", "report.md", "report.json", "report.html", "placements.qgs"})
      remove_stale_temporaries(folder / name);
    // Private to the user while it is written (0700 whatever the umask); renamed out of.
    staging = folder / (".layers-tmp-" + std::to_string(::getpid()));
    fs::remove_all(staging);
    if (::mkdir(staging.c_str(), 0700) != 0)
      throw std::runtime_error("cannot create " + staging.string() + ": " + std::strerror(errno));
  }
  std::vector<WrittenLayer> written;
  try {
    std::unique_ptr<detail::FeatureSink> sink = make_sink(format, staging, postgis, in.description);
    written = write_features(in, sink.get(), format == LayerFormat::postgresql ? postgis : nullptr);
    sink.reset();
    if (format == LayerFormat::postgresql) write_styles(*postgis, written);
    if (format != LayerFormat::postgresql) {
      std::set<std::string> files;
      for (const WrittenLayer& w : written) files.insert(w.datasource);
      for (const std::string& file : files) fs::rename(staging / file, folder / file);
      fs::remove_all(staging);
      // An earlier run's files of the layers this run did not write, and their QGIS styles (a
      // GeoPackage is rewritten whole). Best effort: the new layers are already in place.
      std::error_code ignored;
      for (const std::string& name : not_written(written, "")) {
        if (format != LayerFormat::gpkg) fs::remove(folder / (name + file_extension(format)), ignored);
        fs::remove(folder / (name + ".qml"), ignored);
      }
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

std::map<std::string, std::string> geojson_layer_texts(const LayerInputs& in) {
  std::map<std::string, std::string> texts;
  std::unique_ptr<detail::FeatureSink> sink = detail::make_geojson_text_sink(texts);
  write_features(in, sink.get(), nullptr);
  return texts;
}

}  // namespace placedist::maps
