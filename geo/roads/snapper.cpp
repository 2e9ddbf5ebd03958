#include "geo/roads/snapper.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "geo/local_plane.hpp"
#include "geo/roads/segment_grid.hpp"

namespace placedist::geo::roads::detail {
namespace {

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
  SegmentGrid grid;
  std::unordered_set<std::uint64_t> cells;
  explicit Impl(const NetworkData& data) : d(data), grid(data) {}
};

Snapper::Snapper(const NetworkData& d) : m_impl(std::make_unique<Impl>(d)) {
  for (const FixedPoint& n : d.nodes) m_impl->cells.insert(cell_key(to_deg(n.lon), to_deg(n.lat)));
}

std::size_t Snapper::memory_bytes() const {
  // The set's nodes: a key and a next pointer, rounded to the allocator's 32 bytes.
  return m_impl->grid.memory_bytes() + m_impl->cells.bucket_count() * sizeof(void*) + m_impl->cells.size() * 32;
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
  auto nearest = m_impl->grid.nearest(where, kx, ky, radius_m);
  if (!nearest) return std::nullopt;
  Snap snap;
  // Polylines are stored edge after edge, so the edge is the last whose first point is <= ours.
  snap.edge = static_cast<std::uint32_t>(std::upper_bound(d.first_point.begin(), d.first_point.end(), nearest->point) -
                                         d.first_point.begin() - 1);
  snap.segment = nearest->point - d.first_point[snap.edge];
  snap.segment_t = nearest->offset.t;
  snap.point = {where.lon + nearest->offset.x / kx, where.lat + nearest->offset.y / ky};
  snap.snap_m = std::sqrt(nearest->offset.d2);
  // Fraction along the edge by length. Within one edge, lengths in a local plane (cos(lat) taken
  // once) are in the same ratio as great-circle lengths to about 1e-6, and far cheaper.
  snap.fraction = detail::edge_fraction(d, snap.edge, snap.segment, snap.segment_t);
  return snap;
}

}  // namespace placedist::geo::roads::detail
