#pragma once
// QGIS styling for the analysis layers: the .qml style of each layer (maps/qgis/*.qml,
// compiled in) and a .qgs project that opens every written layer, styled, by relative path
// (or, for PostGIS, as tables through QGIS's postgres provider), with the data licences'
// attribution in the project metadata and each layer's attribution.
// The project's CRS is British National Grid (EPSG:27700), honoured by QGIS 3.22 (which needs
// SpatialRefSys/ProjectionsEnabled), with the Airy ellipsoid, miles, and the council's extent as
// its view; the layers stay in WGS84.
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "maps/layers.hpp"

namespace placedist::maps {

// The .qml text for a layer name ("placements", ...); empty when there is none.
std::string_view layer_style(std::string_view layer);

struct ProjectOptions {
  std::string title;        // e.g. "Placements of Buckinghamshire's children, 2017-03-31"
  std::string attribution;  // the licence text, shown in the project and layer metadata
  std::string abstract;     // what the layers show
  std::string file_name = "placements.qgs";
  // The map's initial view, British National Grid metres (e.g. the 20-mile zone's bounds);
  // all zero = QGIS's own choice.
  double xmin = 0, ymin = 0, xmax = 0, ymax = 0;
  // PostGIS layers: QGIS's connection ("dbname='x' host=y port=z", no password: QGIS asks for
  // it or takes it from the user's own settings) and the tables' schema.
  std::string postgres_connection;
  std::string postgres_schema = "public";
};

// Writes NAME.qml beside each file layer (QGIS also loads these as the layers' default style)
// and the project, each to a temporary name then renamed. Returns the project's path.
// GeoPackage and PostGIS layers carry their styles in the project and in their layer_styles
// table (write_layers), not in sidecar files.
std::filesystem::path write_qgis_project(const std::filesystem::path& folder, std::span<const WrittenLayer> layers,
                                         LayerFormat format, const ProjectOptions& options);

}  // namespace placedist::maps
