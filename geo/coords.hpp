#pragma once
// Coordinate value types. Converting between them is an explicit call into geo/crs.
//  - GridRef: British National Grid (EPSG:27700, OSGB36 / Airy 1830), metres.
//  - LonLat:  WGS84 degrees (EPSG:4326, realised as ETRS89 through OSTN15), longitude first.
//  - IrishGridRef: Irish Grid (EPSG:29903, TM75), metres: how the ONS postcode directories give
//    Northern Ireland (BT) postcodes. Not comparable with GridRef.

namespace placedist::geo {

struct GridRef {
  double easting = 0;   // metres east of the false origin, 0..700000 for Great Britain
  double northing = 0;  // metres north of the false origin, 0..1250000
  friend bool operator==(const GridRef&, const GridRef&) = default;
};

struct IrishGridRef {
  double easting = 0;   // metres, about 180000..370000 for Northern Ireland
  double northing = 0;  // metres, about 300000..460000 for Northern Ireland
  friend bool operator==(const IrishGridRef&, const IrishGridRef&) = default;
};

struct LonLat {
  double lon = 0;  // degrees east, -180..180
  double lat = 0;  // degrees north, -90..90
  friend bool operator==(const LonLat&, const LonLat&) = default;
};

}  // namespace placedist::geo
