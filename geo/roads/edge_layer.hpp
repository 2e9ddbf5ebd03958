#pragma once
// Reads a road network that comes as a line layer (any GDAL/OGR source: CSV with WKT, GeoJSON,
// GeoPackage, FlatGeobuf, ...) into RoadEdges. Each feature is one edge between two junction
// ids; node positions are the line's end points, reprojected to WGS84 when the layer is not.
// Defaults fit two schemas, and any field name can be overridden:
//  - the Buckinghamshire GraphHopper export: node_a, node_b, distance_m, car_speed_kmh,
//    access_a_to_b, access_b_to_a (1 = cars allowed);
//  - OS Open Roads RoadLink: start_node, end_node, length, road_classification, form_of_way
//    (no speeds or one-way data: speeds by class, both directions open).
// A layer without node id fields (e.g. OS Open Roads motorways as FlatGeobuf) is joined where
// line end points coincide.
#include <filesystem>
#include <string>

#include "geo/roads/road_edges.hpp"

namespace placedist::geo::roads {

struct EdgeLayerSchema {
  std::string layer;  // empty: the first layer
  std::string from_node = "node_a", to_node = "node_b";
  std::string length_m = "distance_m";      // metres; absent: measured along the geometry
  std::string speed_kmh = "car_speed_kmh";  // absent: from road_class and form_of_way
  std::string forward_access = "access_a_to_b", backward_access = "access_b_to_a";
  std::string road_class = "road_classification", form_of_way = "form_of_way";
};

struct EdgeLayerReport {
  std::uint64_t features = 0, skipped = 0;  // skipped: no line geometry or no node ids
  std::string schema;                       // which defaults were used
};

// Appends the layer's edges to `into` (so several layers can form one graph; node ids are
// per-layer unless `shared_ids` is set, e.g. OS Open Roads tiles with the same node ids).
// Throws std::runtime_error when the file or its required fields are missing.
EdgeLayerReport read_edge_layer(const std::filesystem::path& path, const EdgeLayerSchema& schema, RoadEdges& into);

// Car speed in km/h that an OS Open Roads link of this class and form of way is given.
double open_roads_speed_kmh(const std::string& road_class, const std::string& form_of_way);
bool open_roads_drivable(const std::string& form_of_way);

}  // namespace placedist::geo::roads
