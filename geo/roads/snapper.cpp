#include "geo/roads/snapper.hpp"

#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>
#include <unordered_set>
#include <vector>
#include "geo/local_plane.hpp"

namespace placedist::geo::roads::detail {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using Point = bg::model::point<double, 2, bg::cs::cartesian>;  // lon, lat degrees
using Box = bg::model::box<Point>;
using Value = std::pair<Box, std::uint64_t>;  // edge << 32 | segment

constexpr double kPi = 3.14159265358979323846;
constexpr double kCellDegrees = 0.02;

double to_deg(std::int32_t v) { return v / kFixedPerDegree; }

std::uint64_t cell_key(double lon, double lat) {
  auto x = static_cast<std::int64_t>(std::floor(lon / kCellDegrees)) + (1 << 20);
  auto y = static_cast<std::int64_t>(std::floor(lat / kCellDegrees)) + (1 << 20);
  return static_cast<std::uint64_t>(x) << 32 | static_cast<std::uint64_t>(y);
}

}  // namespace

struct Snapper::Impl {
  const NetworkData& d;
  bgi::rtree<Value, bgi::rstar<16>> tree;
  std::unordered_set<std::uint64_t> cells;
  explicit Impl(const NetworkData& data) : d(data) {}
};

Snapper::Snapper(const NetworkData& d) : m_impl(std::make_unique<Impl>(d)) {
  std::vector<Value> values;
  for (std::uint32_t e = 0; e < d.edges.size(); ++e) {
    if (!d.snappable[e]) continue;
    for (std::uint32_t p = d.first_point[e]; p + 1 < d.first_point[e + 1]; ++p) {
      FixedPoint a = d.points[p], b = d.points[p + 1];
      Box box(Point(to_deg(std::min(a.lon, b.lon)), to_deg(std::min(a.lat, b.lat))),
              Point(to_deg(std::max(a.lon, b.lon)), to_deg(std::max(a.lat, b.lat))));
      values.push_back({box, std::uint64_t{e} << 32 | (p - d.first_point[e])});
    }
  }
  m_impl->tree = decltype(m_impl->tree)(values.begin(), values.end());  // packing constructor
  for (const FixedPoint& n : d.nodes) m_impl->cells.insert(cell_key(to_deg(n.lon), to_deg(n.lat)));
}

Snapper::~Snapper() = default;

bool Snapper::covers(LonLat where) const {
  if (!std::isfinite(where.lon) || !std::isfinite(where.lat)) return false;
  for (int dx = -1; dx <= 1; ++dx)
    for (int dy = -1; dy <= 1; ++dy)
      if (m_impl->cells.count(cell_key(where.lon + dx * kCellDegrees, where.lat + dy * kCellDegrees))) return true;
  return false;
}

double edge_fraction(const NetworkData& d, std::uint32_t e, std::uint32_t segment, double t) {
  std::uint32_t p0 = d.first_point[e], p1 = d.first_point[e + 1];
  const double kx = std::cos(d.points[p0].lat / kFixedPerDegree * kPi / 180.0);
  double before = 0, total = 0, seg = 0;
  for (std::uint32_t p = p0; p + 1 < p1; ++p) {
    // In double: fixed-point differences of a damaged file's points can overflow int.
    double dx = (static_cast<double>(d.points[p + 1].lon) - d.points[p].lon) * kx,
           dy = static_cast<double>(d.points[p + 1].lat) - d.points[p].lat;
    double len = std::sqrt(dx * dx + dy * dy);
    if (p - p0 < segment) before += len;
    if (p - p0 == segment) seg = len;
    total += len;
  }
  return total > 0 ? std::clamp((before + t * seg) / total, 0.0, 1.0) : 0.0;
}

std::optional<Snap> Snapper::snap(LonLat where, double radius_m) const {
  if (!std::isfinite(where.lon) || !std::isfinite(where.lat) || std::abs(where.lat) > 89 || !(radius_m >= 0))
    return std::nullopt;
  const NetworkData& d = m_impl->d;
  const LocalPlane plane(where);
  const double kx = plane.metres_per_degree_lon(), ky = plane.metres_per_degree_lat();
  std::optional<Snap> best;
  double best_d2 = 0;
  auto consider = [&](const Value& v) {
    std::uint32_t e = static_cast<std::uint32_t>(v.second >> 32), s = static_cast<std::uint32_t>(v.second);
    FixedPoint a = d.points[d.first_point[e] + s], b = d.points[d.first_point[e] + s + 1];
    double ax = (to_deg(a.lon) - where.lon) * kx, ay = (to_deg(a.lat) - where.lat) * ky;
    double bx = (to_deg(b.lon) - where.lon) * kx, by = (to_deg(b.lat) - where.lat) * ky;
    double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? std::clamp(-(ax * dx + ay * dy) / len2, 0.0, 1.0) : 0.0;
    double px = ax + t * dx, py = ay + t * dy, d2 = px * px + py * py;
    // Ties (a shared vertex) go to the lower edge id, so that snapping is deterministic.
    if (best) {
      std::uint64_t key = std::uint64_t{e} << 32 | s, best_key = std::uint64_t{best->edge} << 32 | best->segment;
      if (d2 > best_d2 || (d2 == best_d2 && key >= best_key)) return;
    }
    best_d2 = d2;
    Snap snap;
    snap.edge = e;
    snap.segment = s;
    snap.segment_t = t;
    snap.point = {where.lon + px / kx, where.lat + py / ky};
    best = snap;
  };
  // Try a small box first: most locations have a road close by.
  for (double r : {std::min(radius_m, 150.0), radius_m}) {
    double rx = r / kx * 1.001 + 1e-7, ry = r / ky * 1.001 + 1e-7;
    Box box(Point(where.lon - rx, where.lat - ry), Point(where.lon + rx, where.lat + ry));
    best.reset();
    for (auto it = m_impl->tree.qbegin(bgi::intersects(box)); it != m_impl->tree.qend(); ++it) consider(*it);
    if (best && best_d2 <= r * r) break;
    if (r == radius_m) break;
  }
  if (!best || best_d2 > radius_m * radius_m) return std::nullopt;
  best->snap_m = std::sqrt(best_d2);
  // Fraction along the edge by length. Within one edge, lengths in a local plane (cos(lat) taken
  // once) are in the same ratio as great-circle lengths to about 1e-6, and far cheaper.
  best->fraction = detail::edge_fraction(d, best->edge, best->segment, best->segment_t);
  return best;
}

}  // namespace placedist::geo::roads::detail
