#include "geo/roads/edge_layer.hpp"

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_spatialref.h>
#include <ogr_srs_api.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <memory>
#include <stdexcept>
#include <unordered_map>

#include "geo/declared_crs.hpp"

namespace placedist::geo::roads {

double open_roads_speed_kmh(const std::string& cls, const std::string& form) {
  if (form == "Roundabout") return 30;
  if (form == "Enclosed Traffic Area" || form == "Layby") return 10;
  if (form == "Slip Road") return cls == "Motorway" ? 70 : 55;
  if (form == "Shared Use Carriageway" || form == "Track") return 15;
  bool dual = form == "Dual Carriageway" || form == "Collapsed Dual Carriageway";
  if (cls == "Motorway") return 100;
  if (cls == "A Road") return dual ? 90 : 70;
  if (cls == "B Road") return 60;
  if (cls == "Classified Unnumbered") return 50;
  if (cls == "Unclassified") return 40;
  if (cls == "Not Classified") return 20;
  return 30;  // Unknown
}

bool open_roads_drivable(const std::string& form) { return form != "Guided Busway"; }

namespace {

struct DatasetCloser {
  void operator()(void* ds) const { GDALClose(ds); }
};
struct TransformDeleter {
  void operator()(void* ct) const { OCTDestroyCoordinateTransformation(ct); }
};

std::string file_time_utc(const std::filesystem::path& path) {
  auto sys = std::chrono::file_clock::to_sys(std::filesystem::last_write_time(path));
  std::time_t t =
      std::chrono::system_clock::to_time_t(std::chrono::time_point_cast<std::chrono::system_clock::duration>(sys));
  char buf[32];
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

int field(OGRFeatureDefnH defn, const std::string& name) {
  return name.empty() ? -1 : OGR_FD_GetFieldIndex(defn, name.c_str());
}

}  // namespace

EdgeLayerReport read_edge_layer(const std::filesystem::path& path, const EdgeLayerSchema& schema, RoadEdges& into) {
  GDALAllRegister();
  std::string name = path.string();
  if (path.extension() == ".gz" && name.rfind("/vsigzip/", 0) != 0) name = "/vsigzip/" + name;
  const char* csv_options[] = {"GEOM_POSSIBLE_NAMES=geometry_wkt,WKT,geometry", "KEEP_GEOM_COLUMNS=NO", nullptr};
  std::unique_ptr<void, DatasetCloser> ds(
      GDALOpenEx(name.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, csv_options, nullptr));
  if (!ds) throw std::runtime_error("cannot open road edge layer " + path.string());
  OGRLayerH layer = schema.layer.empty() ? GDALDatasetGetLayer(ds.get(), 0)
                                         : GDALDatasetGetLayerByName(ds.get(), schema.layer.c_str());
  if (!layer) throw std::runtime_error("no layer '" + schema.layer + "' in " + path.string());
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);

  EdgeLayerReport report;
  EdgeLayerSchema s = schema;
  if (field(defn, s.from_node) < 0 && OGR_FD_GetFieldIndex(defn, "start_node") >= 0) {
    // OS Open Roads names when the configured (default) ones are absent.
    s.from_node = "start_node";
    s.to_node = "end_node";
    if (field(defn, s.length_m) < 0) s.length_m = "length";
    report.schema = "OS Open Roads RoadLink (start_node, end_node, length; speeds by road_classification, form_of_way)";
  }
  int f_from = field(defn, s.from_node), f_to = field(defn, s.to_node);
  // Without node id fields, lines join where their end points coincide (to 1e-7 degree).
  const bool by_position = f_from < 0 || f_to < 0;
  int f_len = field(defn, s.length_m), f_speed = field(defn, s.speed_kmh), f_fw = field(defn, s.forward_access),
      f_bw = field(defn, s.backward_access), f_cls = field(defn, s.road_class), f_form = field(defn, s.form_of_way);
  if (report.schema.empty())
    report.schema = "edge list (ids " + s.from_node + "/" + s.to_node + ", length " +
                    (f_len >= 0 ? s.length_m : "from geometry") + ", speed " +
                    (f_speed >= 0 ? s.speed_kmh : "by class") + ", access " + (f_fw >= 0 ? s.forward_access : "both") +
                    "/" + (f_bw >= 0 ? s.backward_access : "both") + ")";
  if (by_position)
    report.schema = "line layer joined at coincident end points (length " +
                    std::string(f_len >= 0 ? s.length_m : "from geometry") + ", speed " +
                    (f_speed >= 0 ? s.speed_kmh : "by class") + ")";

  std::unique_ptr<void, TransformDeleter> to_wgs84;
  if (OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer)) {
    if (const std::string contradiction = crs_contradiction(*OGRSpatialReference::FromHandle(srs));
        !contradiction.empty())
      throw std::runtime_error("cannot use the CRS of road edge layer " + path.string() + ": " + contradiction);
    OGRSpatialReferenceH wgs84 = OSRNewSpatialReference(nullptr);
    OSRImportFromEPSG(wgs84, 4326);
    OSRSetAxisMappingStrategy(wgs84, OAMS_TRADITIONAL_GIS_ORDER);
    if (!OSRIsSame(srs, wgs84)) {
      OGRSpatialReferenceH src = OSRClone(srs);
      OSRSetAxisMappingStrategy(src, OAMS_TRADITIONAL_GIS_ORDER);
      to_wgs84.reset(OCTNewCoordinateTransformation(src, wgs84));
      OSRDestroySpatialReference(src);
    }
    OSRDestroySpatialReference(wgs84);
  }

  std::unordered_map<std::string, std::uint32_t> ids;
  auto node = [&](const char* id, FixedPoint where) {
    auto [it, fresh] = ids.try_emplace(id, static_cast<std::uint32_t>(into.nodes.size()));
    if (fresh) into.nodes.push_back(where);
    return it->second;
  };
  std::vector<FixedPoint> line;
  std::vector<double> xs, ys;
  OGR_L_ResetReading(layer);
  while (OGRFeatureH feat = OGR_L_GetNextFeature(layer)) {
    ++report.features;
    OGRGeometryH geom = OGR_F_GetGeometryRef(feat);
    if (geom && OGR_GT_Flatten(OGR_G_GetGeometryType(geom)) == wkbMultiLineString && OGR_G_GetGeometryCount(geom) == 1)
      geom = OGR_G_GetGeometryRef(geom, 0);
    bool ok = geom && OGR_GT_Flatten(OGR_G_GetGeometryType(geom)) == wkbLineString && OGR_G_GetPointCount(geom) >= 2 &&
              (by_position || (OGR_F_IsFieldSetAndNotNull(feat, f_from) && OGR_F_IsFieldSetAndNotNull(feat, f_to)));
    std::string cls = f_cls >= 0 ? OGR_F_GetFieldAsString(feat, f_cls) : "";
    std::string form = f_form >= 0 ? OGR_F_GetFieldAsString(feat, f_form) : "";
    if (ok && f_form >= 0 && !open_roads_drivable(form)) ok = false;
    if (!ok) {
      ++report.skipped;
      OGR_F_Destroy(feat);
      continue;
    }
    int n = OGR_G_GetPointCount(geom);
    xs.resize(n);
    ys.resize(n);
    for (int i = 0; i < n; ++i) xs[i] = OGR_G_GetX(geom, i), ys[i] = OGR_G_GetY(geom, i);
    if (to_wgs84 && !OCTTransform(to_wgs84.get(), n, xs.data(), ys.data(), nullptr)) {
      ++report.skipped;
      OGR_F_Destroy(feat);
      continue;
    }
    line.clear();
    for (int i = 0; i < n; ++i) line.push_back(to_fixed(xs[i], ys[i]));
    RoadEdge e;
    auto key = [](FixedPoint p) { return std::to_string(p.lon) + "," + std::to_string(p.lat); };
    e.a = by_position ? node(key(line.front()).c_str(), line.front())
                      : node(OGR_F_GetFieldAsString(feat, f_from), line.front());
    e.b = by_position ? node(key(line.back()).c_str(), line.back())
                      : node(OGR_F_GetFieldAsString(feat, f_to), line.back());
    // The polyline's ends are the junctions' positions (the first feature that named them).
    line.front() = into.nodes[e.a];
    line.back() = into.nodes[e.b];
    double metres = f_len >= 0 && OGR_F_IsFieldSetAndNotNull(feat, f_len)
                        ? OGR_F_GetFieldAsDouble(feat, f_len)
                        : polyline_metres(line.data(), line.data() + line.size());
    double speed = f_speed >= 0 ? OGR_F_GetFieldAsDouble(feat, f_speed) : open_roads_speed_kmh(cls, form);
    e.dist_dm = static_cast<std::uint32_t>(std::llround(std::max(0.0, metres) * 10));
    e.time_ms = drive_time_ms(metres, speed);
    bool fw = f_fw < 0 || OGR_F_GetFieldAsInteger(feat, f_fw) != 0;
    bool bw = f_bw < 0 || OGR_F_GetFieldAsInteger(feat, f_bw) != 0;
    if (!(speed > 0)) fw = bw = false;
    e.flags = (fw ? kForward : 0) | (bw ? kBackward : 0);
    into.add_edge(e, line);
    OGR_F_Destroy(feat);
  }
  if (!into.source.empty()) into.source += "; ";
  into.source += path.filename().string() + " (modified " + file_time_utc(path) + ", " +
                 std::to_string(report.features) + " features)";
  if (!into.profile.empty()) into.profile += "; ";
  into.profile += report.schema;
  return report;
}

}  // namespace placedist::geo::roads
