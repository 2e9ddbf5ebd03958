#pragma once
// Postcode sector areas derived from the live unit postcodes: the Voronoi cells of the units
// (EPSG:27700), dissolved by sector and clipped to land (the union of the councils' polygons).
// Sector areas are public geography (the units' published points say the same); they stand in
// for the sector polygons nobody publishes openly. Building them for every unit in Great Britain
// takes seconds and about a gigabyte, so callers build once and keep the result.
#include <span>
#include <string>
#include <vector>

#include "geo/coords.hpp"
#include "shapes/boundaries.hpp"

namespace placedist::shapes {

struct SectorPoint {
  std::string sector;  // normalised, e.g. "HP20 1"
  geo::GridRef at;
};

struct SectorArea {
  std::string sector;
  MultiPolygon polygons;  // EPSG:27700 metres
  double area_m2 = 0;
};

// Units at the same point count once, under the first one's sector. Sectors whose cells lie
// wholly off land are left out. Sorted by sector.
std::vector<SectorArea> build_sector_areas(std::span<const SectorPoint> units, const Boundaries& land);

// An area simplified for drawing (GEOS topology-preserving simplification, so each stays a valid
// polygon; neighbours may part by up to the tolerance along their shared edges).
MultiPolygon simplified_area(const MultiPolygon& area, double tolerance_m);

}  // namespace placedist::shapes
