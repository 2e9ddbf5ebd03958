// Point location: string codes and the fast grid path (see locate.hpp).
#include "shapes/locate.hpp"

#include "shapes/boundaries.hpp"
#include "shapes/detail/boundaries_impl.hpp"

using namespace placedist::geo;

namespace placedist::shapes {

const char* to_string(Where where) {
  switch (where) {
    case Where::inside: return "inside";
    case Where::boundary: return "boundary";
    case Where::outside: return "outside";
  }
  return "outside";
}

std::optional<Where> parse_where(std::string_view code) {
  if (code == "inside") return Where::inside;
  if (code == "boundary") return Where::boundary;
  if (code == "outside") return Where::outside;
  return std::nullopt;
}

LocateResult locate(const Boundaries& boundaries, GridRef point) {
  const Boundaries::Impl& impl = boundaries.impl();
  const detail::LocateHit hit = impl.grid.locate(point.easting, point.northing);
  LocateResult out;
  out.where = hit.where;
  if (hit.council >= 0) {
    out.council = hit.council;
    const BoundaryCouncil& c = impl.councils[static_cast<std::size_t>(hit.council)];
    out.code = c.code;
    out.name = c.name;
  }
  return out;
}

}  // namespace placedist::shapes
