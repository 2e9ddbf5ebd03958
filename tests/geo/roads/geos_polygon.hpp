#pragma once
// A GEOS view of a lon/lat polygon value for checks in tests, read back through the one GeoJSON
// writer (geo/io/geojson_geometry), so the tests see what is written.
#include <geos_c.h>

#include <string>

#include "geo/detail/geos_context.hpp"
#include "geo/io/geojson_geometry.hpp"

namespace placedist::geo::roads::testing {

struct GeosPolygon {
  geo::detail::GeosContext context;
  GEOSGeometry* g = nullptr;
  explicit GeosPolygon(const geo::LonLatMultiPolygon& polygons) {
    std::string text;
    geo::append_geojson_multipolygon(text, polygons);
    GEOSGeoJSONReader* reader = GEOSGeoJSONReader_create_r(context.get());
    g = GEOSGeoJSONReader_readGeometry_r(context.get(), reader, text.c_str());
    GEOSGeoJSONReader_destroy_r(context.get(), reader);
  }
  ~GeosPolygon() {
    if (g) GEOSGeom_destroy_r(context.get(), g);
  }
  GeosPolygon(const GeosPolygon&) = delete;
  GeosPolygon& operator=(const GeosPolygon&) = delete;
  bool contains(geo::LonLat p) const {
    GEOSGeometry* point = GEOSGeom_createPointFromXY_r(context.get(), p.lon, p.lat);
    bool in = GEOSContains_r(context.get(), g, point) == 1;
    GEOSGeom_destroy_r(context.get(), point);
    return in;
  }
};

}  // namespace placedist::geo::roads::testing
