#include "maps/qgis_project.hpp"

#include <ogr_spatialref.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <utility>
#include <vector>

#include "geo/io/atomic_file.hpp"

using namespace placedist::geo;
using namespace placedist::shapes;

namespace placedist::maps {
namespace detail {
extern const std::vector<std::pair<std::string_view, std::string_view>> kQgisStyles;
}

namespace {

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

// A compiled-in file of maps/qgis by name ("placements", "print_layout").
std::string_view layer_style_or_template(std::string_view name) {
  for (const auto& [n, text] : detail::kQgisStyles)
    if (n == name) return text;
  return {};
}

// The style's body: what lies inside its <qgis> element.
std::string_view style_body(std::string_view qml) {
  auto open = qml.find("<qgis");
  if (open == std::string_view::npos) return {};
  auto start = qml.find('>', open);
  auto end = qml.rfind("</qgis>");
  if (start == std::string_view::npos || end == std::string_view::npos || end < start) return {};
  return qml.substr(start + 1, end - start - 1);
}

std::string spatial_ref(int epsg) {
  OGRSpatialReference srs;
  srs.importFromEPSG(epsg);
  char* wkt = nullptr;
  const char* options[] = {"FORMAT=WKT2_2019", nullptr};
  srs.exportToWkt(&wkt, options);
  char* proj4 = nullptr;
  srs.exportToProj4(&proj4);
  std::string out = "<spatialrefsys><wkt>" + xml_escape(wkt ? wkt : "") + "</wkt><proj4>" +
                    xml_escape(proj4 ? proj4 : "") + "</proj4><authid>EPSG:" + std::to_string(epsg) +
                    "</authid><srid>" + std::to_string(epsg) + "</srid><description>" +
                    xml_escape(srs.GetName() ? srs.GetName() : "") + "</description>" + "<geographicflag>" +
                    (epsg == 4326 ? "true" : "false") + "</geographicflag></spatialrefsys>";
  CPLFree(wkt);
  CPLFree(proj4);
  return out;
}

// A table for QGIS's postgres provider: the connection, then key, SRID, type and table.
std::string postgres_datasource(const WrittenLayer& layer, const ProjectOptions& options) {
  return options.postgres_connection + " key='" + kPostgisKeyColumn + "' srid=4326 type=" + layer.geometry_type +
         " checkPrimaryKeyUnicity='1' table=\"" + options.postgres_schema + "\".\"" + layer.datasource + "\" (" +
         kPostgisGeometryColumn + ")";
}

std::string datasource(const WrittenLayer& layer, LayerFormat format, const ProjectOptions& options) {
  if (format == LayerFormat::postgresql) return postgres_datasource(layer, options);
  std::string path = "./" + layer.datasource;
  if (format == LayerFormat::gpkg) path += "|layername=" + layer.name;
  return path;
}

const char* geometry_class(const std::string& type) {
  if (type == "Point") return "Point";
  if (type == "LineString") return "Line";
  return "Polygon";
}

// The project's view: the options' extent (the council and its 20-mile zone), else every
// layer's extent; British National Grid metres.
struct Extent {
  double xmin = 0, ymin = 0, xmax = 0, ymax = 0;
  bool empty() const { return !(xmax > xmin && ymax > ymin); }
};

Extent saved_extent(std::span<const WrittenLayer> layers, const ProjectOptions& options) {
  // A margin of 5% each side, so that the edges of the data do not touch the frame.
  auto framed = [](Extent e) {
    const double dx = (e.xmax - e.xmin) * 0.05, dy = (e.ymax - e.ymin) * 0.05;
    return Extent{e.xmin - dx, e.ymin - dy, e.xmax + dx, e.ymax + dy};
  };
  Extent e{options.xmin, options.ymin, options.xmax, options.ymax};
  if (!e.empty()) return framed(e);
  OGRSpatialReference wgs84, bng;
  wgs84.importFromEPSG(4326);
  wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  bng.importFromEPSG(27700);
  bng.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  std::unique_ptr<OGRCoordinateTransformation> to_bng(OGRCreateCoordinateTransformation(&wgs84, &bng));
  e = {1e12, 1e12, -1e12, -1e12};
  for (const WrittenLayer& layer : layers) {
    if (!layer.has_extent() || !to_bng) continue;
    double x[] = {layer.lon_min, layer.lon_max, layer.lon_min, layer.lon_max};
    double y[] = {layer.lat_min, layer.lat_min, layer.lat_max, layer.lat_max};
    if (!to_bng->Transform(4, x, y)) continue;
    for (int i = 0; i < 4; ++i) {
      e.xmin = std::min(e.xmin, x[i]), e.xmax = std::max(e.xmax, x[i]);
      e.ymin = std::min(e.ymin, y[i]), e.ymax = std::max(e.ymax, y[i]);
    }
  }
  return e.empty() ? Extent{} : framed(e);
}

// The print layout's map frame in mm (maps/qgis/print_layout.qpt): QGIS resizes a map item to its
// extent's shape on load, so the extent is widened to the frame's shape, never the frame.
constexpr double kLayoutMapWidthMm = 196, kLayoutMapHeightMm = 166;

Extent in_layout_map_shape(Extent e) {
  const double want = kLayoutMapWidthMm / kLayoutMapHeightMm;
  const double w = e.xmax - e.xmin, h = e.ymax - e.ymin;
  if (w <= 0 || h <= 0) return e;
  if (w / h < want) {
    const double grow = (h * want - w) / 2;
    e.xmin -= grow, e.xmax += grow;
  } else {
    const double grow = (w / want - h) / 2;
    e.ymin -= grow, e.ymax += grow;
  }
  return e;
}

// maps/qgis/print_layout.qpt with the title, attribution and the map's extent filled in.
std::string print_layout(const ProjectOptions& options, const Extent& saved_view) {
  const Extent view = in_layout_map_shape(saved_view);
  std::string_view qpt = layer_style_or_template("print_layout");
  auto start = qpt.find("<Layout ");
  if (start == std::string_view::npos) return {};
  std::string out(qpt.substr(start));
  auto fill = [&](const std::string& name, const std::string& value) {
    for (auto at = out.find(name); at != std::string::npos; at = out.find(name, at + value.size()))
      out.replace(at, name.size(), value);
  };
  char number[32];
  const std::pair<const char*, double> corners[] = {
      {"%XMIN%", view.xmin}, {"%YMIN%", view.ymin}, {"%XMAX%", view.xmax}, {"%YMAX%", view.ymax}};
  for (const auto& [name, value] : corners) {
    std::snprintf(number, sizeof number, "%.0f", value);
    fill(name, number);
  }
  fill("%TITLE%", xml_escape(options.title));
  fill("%ATTRIBUTION%", xml_escape(options.attribution));
  return out;
}

constexpr const char* kMeasureNote =
    " Distances: the DfE's miles are planar, on the British National Grid (as in the layers' columns); QGIS's "
    "measure tool measures on the ellipsoid (Airy 1830 here), so the two differ slightly.";

}  // namespace

std::string_view layer_style(std::string_view layer) {
  for (const auto& [name, qml] : detail::kQgisStyles)
    if (name == layer) return qml;
  return {};
}

std::filesystem::path write_qgis_project(const std::filesystem::path& folder, std::span<const WrittenLayer> layers,
                                         LayerFormat format, const ProjectOptions& options) {
  const char* provider = format == LayerFormat::postgresql ? "postgres" : "ogr";
  for (const WrittenLayer& layer : layers) {
    std::string_view qml = layer_style(layer.name);
    if (qml.empty()) continue;
    // GeoPackage layers share one file, PostGIS ones are tables: QGIS looks their styles up in
    // the project (below) instead.
    if (format == LayerFormat::gpkg || format == LayerFormat::postgresql) continue;
    AtomicFile style(folder / (layer.name + ".qml"));
    style.write(qml);
    style.commit();
  }

  const std::string bng = spatial_ref(27700), wgs84 = spatial_ref(4326);
  std::string tree, project_layers;
  // The tree lists the top layer first; `layers` come bottom first.
  for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
    const WrittenLayer& layer = *it;
    const std::string id = layer.name + "_placedist";
    tree += "    <layer-tree-layer expanded=\"1\" checked=\"Qt::Checked\" id=\"" + id + "\" name=\"" +
            xml_escape(layer.name) + "\" source=\"" + xml_escape(datasource(layer, format, options)) +
            "\" providerKey=\"" + provider +
            "\">\n      <customproperties/>\n"
            "    </layer-tree-layer>\n";
  }
  for (const WrittenLayer& layer : layers) {
    const std::string id = layer.name + "_placedist";
    project_layers += "    <maplayer type=\"vector\" geometry=\"" + std::string(geometry_class(layer.geometry_type)) +
                      "\" wkbType=\"" + layer.geometry_type +
                      "\" autoRefreshEnabled=\"0\" hasScaleBasedVisibilityFlag=\"0\">\n";
    project_layers += "      <id>" + id + "</id>\n      <datasource>" + xml_escape(datasource(layer, format, options)) +
                      "</datasource>\n      <layername>" + xml_escape(layer.name) + "</layername>\n";
    project_layers +=
        "      <srs>" + wgs84 + "</srs>\n      <provider encoding=\"UTF-8\">" + provider + "</provider>\n";
    project_layers +=
        "      <attribution href=\"\"><title>" + xml_escape(options.attribution) + "</title></attribution>\n";
    project_layers +=
        "      <resourceMetadata><rights>" + xml_escape(options.attribution) + "</rights></resourceMetadata>\n";
    std::string_view body = style_body(layer_style(layer.name));
    project_layers += std::string(body) + "\n    </maplayer>\n";
  }

  std::string qgs = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n";
  qgs += "<qgis projectname=\"" + xml_escape(options.title) + "\" version=\"3.22.16-Białowieża\">\n";
  qgs += "  <homePath path=\"\"/>\n  <title>" + xml_escape(options.title) + "</title>\n";
  // QGIS 3.22 reads <projectCrs> only when SpatialRefSys/ProjectionsEnabled is 1 (below).
  qgs += "  <projectCrs>" + bng + "</projectCrs>\n";
  if (const Extent view = saved_extent(layers, options); !view.empty()) {
    char extent[256];
    std::snprintf(extent, sizeof extent,
                  "<extent><xmin>%.0f</xmin><ymin>%.0f</ymin><xmax>%.0f</xmax><ymax>%.0f</ymax></extent>", view.xmin,
                  view.ymin, view.xmax, view.ymax);
    // The canvas of the desktop application, and the project's default view (what PyQGIS and
    // QGIS Server read).
    qgs += "  <mapcanvas name=\"theMapCanvas\" annotationsVisible=\"1\">\n    <units>meters</units>\n    " +
           std::string(extent) + "\n    <rotation>0</rotation>\n    <destinationsrs>" + bng +
           "</destinationsrs>\n  </mapcanvas>\n";
    std::snprintf(extent, sizeof extent, "<DefaultViewExtent xmin=\"%.0f\" ymin=\"%.0f\" xmax=\"%.0f\" ymax=\"%.0f\">",
                  view.xmin, view.ymin, view.xmax, view.ymax);
    qgs += "  <ProjectViewSettings UseProjectScales=\"0\">\n    <Scales/>\n    " + std::string(extent) + bng +
           "</DefaultViewExtent>\n  </ProjectViewSettings>\n";
  }
  qgs += "  <layer-tree-group>\n    <customproperties/>\n" + tree + "  </layer-tree-group>\n";
  qgs += "  <projectlayers>\n" + project_layers + "  </projectlayers>\n";
  if (const Extent view = saved_extent(layers, options); !view.empty())
    qgs += "  <Layouts>\n" + print_layout(options, view) + "  </Layouts>\n";
  qgs +=
      "  <properties>\n    <Paths><Absolute type=\"bool\">false</Absolute></Paths>\n"
      "    <SpatialRefSys><ProjectionsEnabled type=\"int\">1</ProjectionsEnabled>"
      "<ProjectCrs type=\"QString\">EPSG:27700</ProjectCrs></SpatialRefSys>\n"
      // Airy 1830, the National Grid's ellipsoid: QGIS's measure tool is ellipsoidal.
      "    <Measure><Ellipsoid type=\"QString\">EPSG:7001</Ellipsoid></Measure>\n"
      "    <Measurement><DistanceUnits type=\"QString\">mi</DistanceUnits>"
      "<AreaUnits type=\"QString\">mi2</AreaUnits></Measurement>\n  </properties>\n";
  qgs +=
      "  <projectMetadata>\n    <identifier></identifier>\n    <parentidentifier></parentidentifier>\n"
      "    <language>en-GB</language>\n    <type>project</type>\n    <title>" +
      xml_escape(options.title) + "</title>\n    <abstract>" + xml_escape(options.abstract + kMeasureNote) +
      "</abstract>\n    <rights>" + xml_escape(options.attribution) +
      "</rights>\n    <license>Open Government Licence v3.0</license>\n  </projectMetadata>\n";
  qgs += "</qgis>\n";
  std::filesystem::path path = folder / options.file_name;
  AtomicFile project(path);
  project.write(qgs);
  project.commit();
  return path;
}

}  // namespace placedist::maps
