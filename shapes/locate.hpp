#pragma once
// Which council a British National Grid point (EPSG:27700, metres) falls in, and whether
// it is inside the council's polygon, on its edge (within a tolerance in metres) or outside
// every polygon.
//
// Meaning of `where` (tolerance t = BoundaryOptions::boundary_tolerance_m, default 1 m):
//  - inside:   in the council's polygon and farther than t from any polygon edge.
//  - boundary: within t of a polygon edge (closest approach, metres). The council is the
//              polygon that contains the point (crossing-number rule) if one does, else the
//              polygon whose edge is within t (the sea side of a coastline, a sliver gap).
//  - outside:  in no polygon and farther than t from every edge; council = -1.
// Where polygons overlap (bad data) the one loaded first (lowest index) wins.
#include <cstdint>
#include <optional>
#include <string_view>

#include "geo/coords.hpp"

namespace placedist::shapes {

class Boundaries;

enum class Where : std::uint8_t { inside, boundary, outside };

// Stable string codes: "inside", "boundary", "outside".
const char* to_string(Where where);
std::optional<Where> parse_where(std::string_view code);

struct LocateResult {
  std::int32_t council = -1;  // index into Boundaries, -1 when outside every polygon
  std::string_view code;      // council code (e.g. "E06000060"); empty when outside. Views
  std::string_view name;      // into the Boundaries, valid while it lives.
  Where where = Where::outside;

  bool found() const { return council >= 0; }
};

// The fast path: a uniform grid over the polygons whose cells either answer directly
// (wholly inside one council or outside all, farther than the tolerance from any edge) or
// list the few candidate councils, each tested by a crossing-number over a y-band index of
// its edges. Pure C++ on immutable data: safe to call from any number of threads.
LocateResult locate(const Boundaries& boundaries, geo::GridRef point);

}  // namespace placedist::shapes
