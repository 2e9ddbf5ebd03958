#pragma once
// Boundaries' insides, shared by the .cpp files of shapes/ (never by a public header).
// Geometries are in EPSG:27700 metres and were created with m_geos.
#include <geos_c.h>

#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "geo/detail/geos_context.hpp"
#include "shapes/boundaries.hpp"
#include "shapes/detail/grid_locator.hpp"

namespace placedist::shapes {

struct Boundaries::Impl {
  Impl();
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  geo::detail::GeosContext context;          // destroyed after the geometries made in it
  GEOSContextHandle_t geos = context.get();  // used only while loading and by const reads that do not allocate

  std::filesystem::path source;
  std::string layer_name, code_field, name_field, source_crs, coordinate_operation;
  double tolerance_m = 1.0;
  std::size_t skipped = 0, repaired = 0;

  std::vector<BoundaryCouncil> councils;
  std::unordered_map<std::string, std::size_t> by_code;

  std::vector<GEOSGeometry*> polygons;                      // (Multi)Polygon per council
  std::vector<GEOSGeometry*> edges;                         // its boundary lines
  std::vector<const GEOSPreparedGeometry*> prepared;        // of polygons, indexes forced
  std::vector<const GEOSPreparedGeometry*> prepared_edges;  // of edges, indexes forced
  std::vector<GEOSGeometry*> envelopes;                     // widened by the tolerance, in the tree
  GEOSSTRtree* tree = nullptr;                              // items: council index as void*

  std::vector<detail::Rings> rings;  // every ring of each council, for the grid locator
  detail::GridLocator grid;
};

}  // namespace placedist::shapes
