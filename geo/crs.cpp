#include "geo/crs.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <proj.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <mutex>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "geo/data_dir.hpp"
#include "geo/io/atomic_file.hpp"

namespace placedist::geo {
namespace fs = std::filesystem;

// How OSTN15 becomes an NTv2 grid that PROJ evaluates exactly.
//
// OSTN15 is defined on ETRS89 grid coordinates (the National Grid projection applied to GRS80):
// OSGB36 E/N = ETRS89 E/N + bilinear(shift table at 1 km nodes). PROJ 9.1's hgridshift only knows
// geographic grids, but it is a plain bilinear interpolation in its input coordinates. So the
// pipeline scales ETRS89 E/N metres by a constant into "degrees" (1 m = 1e-5 deg, so the grid
// spans 0..7 x 0..12.5 "degrees"), applies hgridshift with a grid whose nodes are exactly the
// OS table's nodes and whose offsets are the table's shifts in the same units, and scales back.
// Interpolating the table's own nodes reproduces OSTN15 to float32 rounding (micrometres); a
// resampled lat/lon grid cannot, because the table has gradient breaks of up to 0.3 m/km at its
// 1 km node lines. The inverse (OSGB36 -> ETRS89) is PROJ's iteration, as the OS specifies.
namespace detail {
constexpr int kTableColumns = 701;   // E 0..700 km
constexpr int kTableRows = 1251;     // N 0..1250 km
constexpr double kTableStep = 1000;  // metres between nodes
constexpr double kDegreesPerMetre = 1e-5;
constexpr int kGridFormatVersion = 1;  // bump when the generated file changes meaning
constexpr const char* kEastTable = "geodesy/ostn15/ostn_east_shift_82140";
constexpr const char* kNorthTable = "geodesy/ostn15/ostn_north_shift_-84180";

constexpr const char* kNationalGrid = "+proj=tmerc +lat_0=49 +lon_0=-2 +k_0=0.9996012717 +x_0=400000 +y_0=-100000";

std::vector<std::uint16_t> read_table(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::uint16_t> values(static_cast<std::size_t>(kTableColumns) * kTableRows);
  std::vector<unsigned char> bytes(values.size() * 2);
  if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size())) ||
      in.peek() != std::char_traits<char>::eof())
    throw std::runtime_error(path.string() + ": not a 701 x 1251 uint16 OSTN15 table");
  for (std::size_t i = 0; i < values.size(); ++i)  // little-endian whatever the host
    values[i] = static_cast<std::uint16_t>(bytes[2 * i] | (bytes[2 * i + 1] << 8));
  return values;
}

std::uint64_t fnv1a(std::uint64_t hash, const void* data, std::size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) hash = (hash ^ p[i]) * 0x100000001b3ULL;
  return hash;
}

// Writes the NTv2 file through GDAL's NTv2 driver. Rows run north to south and columns west to
// east as GDAL presents them; the driver flips them into NTv2's order. NTv2 longitude offsets
// are positive west, so the east shift is negated.
void write_ntv2(const std::vector<std::uint16_t>& east, const std::vector<std::uint16_t>& north,
                const fs::path& target) {
  static std::once_flag registered;
  std::call_once(registered, [] { GDALAllRegister(); });
  GDALDriverH driver = GDALGetDriverByName("NTv2");
  if (!driver) throw std::runtime_error("GDAL has no NTv2 driver");

  CPLPushErrorHandler(CPLQuietErrorHandler);
  CPLSetThreadLocalConfigOption("GDAL_PAM_ENABLED", "NO");  // no .aux.xml beside the grid
  struct Restore {
    ~Restore() {
      CPLSetThreadLocalConfigOption("GDAL_PAM_ENABLED", nullptr);
      CPLPopErrorHandler();
    }
  } restore;
  auto failed = [&](const std::string& what) {
    return std::runtime_error("writing " + target.string() + ": " + what + ": " + CPLGetLastErrorMsg());
  };

  char** options = nullptr;
  options = CSLSetNameValue(options, "VERSION", "NTv2.0");
  options = CSLSetNameValue(options, "SYSTEM_F", "ETRS89TM");
  options = CSLSetNameValue(options, "SYSTEM_T", "OSGB36TM");
  options = CSLSetNameValue(options, "SUB_NAME", "OSTN15");
  GDALDatasetH ds = GDALCreate(driver, target.c_str(), kTableColumns, kTableRows, 4, GDT_Float32, options);
  CSLDestroy(options);
  if (!ds) throw failed("create");

  const double step = kTableStep * kDegreesPerMetre;
  const double north_edge = (kTableRows - 1) * step;
  double transform[6] = {-step / 2, step, 0, north_edge + step / 2, 0, -step};
  bool ok = GDALSetGeoTransform(ds, transform) == CE_None;

  const double seconds_per_metre = kDegreesPerMetre * 3600;
  std::vector<float> lat_offset(east.size()), lon_offset(east.size()), zero(east.size(), 0.0f);
  for (int row = 0; row < kTableRows; ++row) {
    const int n_km = kTableRows - 1 - row;
    for (int e_km = 0; e_km < kTableColumns; ++e_km) {
      const std::size_t node = e_km + static_cast<std::size_t>(n_km) * kTableColumns;
      const std::size_t pixel = e_km + static_cast<std::size_t>(row) * kTableColumns;
      const double shift_e = (east[node] + 82140.0) / 1000.0;
      const double shift_n = (north[node] - 84180.0) / 1000.0;
      lat_offset[pixel] = static_cast<float>(shift_n * seconds_per_metre);
      lon_offset[pixel] = static_cast<float>(-shift_e * seconds_per_metre);
    }
  }
  std::vector<float>* bands[4] = {&lat_offset, &lon_offset, &zero, &zero};
  for (int b = 0; b < 4 && ok; ++b)
    ok = GDALRasterIO(GDALGetRasterBand(ds, b + 1), GF_Write, 0, 0, kTableColumns, kTableRows, bands[b]->data(),
                      kTableColumns, kTableRows, GDT_Float32, 0, 0) == CE_None;
  CPLErrorReset();
  GDALClose(ds);  // void in GDAL 3.6: a failed flush shows as an error
  if (CPLGetLastErrorType() >= CE_Failure) ok = false;
  if (!ok) throw failed("write");
}

// The grid for the given table files, made if it is not in the cache.
std::string make_grid(const fs::path& east_path, const fs::path& north_path) {
  const auto east = read_table(east_path);
  const auto north = read_table(north_path);

  std::uint64_t hash = 0xcbf29ce484222325ULL;
  hash = fnv1a(hash, east.data(), east.size() * 2);
  hash = fnv1a(hash, north.data(), north.size() * 2);
  const double scale = kDegreesPerMetre;
  hash = fnv1a(hash, &scale, sizeof scale);
  char name[64];
  std::snprintf(name, sizeof name, "ostn15-ntv2-v%d-%016llx.gsb", kGridFormatVersion,
                static_cast<unsigned long long>(hash));
  const fs::path target = cache_dir() / name;
  if (fs::exists(target)) return target.string();

  write_atomically(target, [&](const fs::path& temporary) { write_ntv2(east, north, temporary); });
  return target.string();
}

// The metres <-> "radians" scaling is an equirectangular projection on a sphere of radius
// 1 / (radians per metre): x = R * lon, y = R * lat exactly. (PROJ 9.1's pipeline gives affine
// steps the angular units of hgridshift and then rejects them after a projected step.)
std::string ostn15_pipeline(const std::string& grid) {
  char radius[40];
  std::snprintf(radius, sizeof radius, "%.17g", 180 / (kDegreesPerMetre * std::numbers::pi));
  return std::string("+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step ") + kNationalGrid +
         " +ellps=GRS80 +step +inv +proj=eqc +R=" + radius + " +step +proj=hgridshift +grids=" + grid +
         " +step +proj=eqc +R=" + radius;
}

// EPSG:1314 (OSGB36 to WGS 84 (6)), position vector convention, OSGB36 -> WGS84 sense; the
// pipeline runs WGS84 -> OSGB36, so the Helmert step is inverted.
std::string helmert_pipeline() {
  return std::string(
             "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
             "+step +proj=cart +ellps=WGS84 "
             "+step +inv +proj=helmert +x=446.448 +y=-125.157 +z=542.06 +rx=0.15 +ry=0.247 "
             "+rz=0.842 +s=-20.489 +convention=position_vector "
             "+step +inv +proj=cart +ellps=airy +step ") +
         kNationalGrid + " +ellps=airy";
}

// EPSG:1954 (TM75 to WGS 84 (2)), position vector, TM75 -> WGS84 sense; the pipeline runs
// WGS84 -> Irish Grid (EPSG:29903), so the Helmert step is inverted.
std::string irish_grid_pipeline() {
  return "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
         "+step +proj=cart +ellps=WGS84 "
         "+step +inv +proj=helmert +x=482.5 +y=-130.6 +z=564.6 +rx=-1.042 +ry=-0.214 +rz=-0.631 "
         "+s=8.15 +convention=position_vector "
         "+step +inv +proj=cart +a=6377340.189 +rf=299.3249646 "
         "+step +proj=tmerc +lat_0=53.5 +lon_0=-8 +k=1.000035 +x_0=200000 +y_0=250000 "
         "+a=6377340.189 +rf=299.3249646";
}

struct GridState {
  std::string path;
  std::exception_ptr error;
};

// Resolved once per table (path and modification time) and cache folder per process, and again
// whenever the file has gone from the cache.
GridState grid_state() {
  static std::mutex mutex;
  static std::string made_key, made;
  std::lock_guard lock(mutex);
  try {
    const fs::path east_path = data_file(kEastTable);
    const fs::path north_path = data_file(kNorthTable);
    const std::string key = cache_dir().string() + "|" + east_path.string() + "|" + north_path.string() + "|" +
                            std::to_string(fs::last_write_time(east_path).time_since_epoch().count()) + "|" +
                            std::to_string(fs::last_write_time(north_path).time_since_epoch().count());
    if (key != made_key || !fs::exists(made)) {
      made = make_grid(east_path, north_path);
      made_key = key;
    }
    return {made, nullptr};
  } catch (...) {
    return {"", std::current_exception()};
  }
}

std::string message_of(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown error";
  }
}

void warn_helmert_once(const std::string& reason) {
  static std::once_flag warned;
  std::call_once(warned, [&] {
    std::cerr << "placedist: warning: OSTN15 unavailable (" << reason
              << "); using the Helmert transformation EPSG:1314, good to 2-5 m only\n";
  });
}
}  // namespace detail

const char* to_string(CrsMethod method) { return method == CrsMethod::ostn15 ? "ostn15" : "helmert"; }

std::string ostn15_grid_path() {
  auto state = detail::grid_state();
  if (state.error) std::rethrow_exception(state.error);
  return state.path;
}

CrsInfo default_crs_info() {
  auto state = detail::grid_state();
  const std::string proj = std::string(" (PROJ ") + proj_info().version + ")";
  if (state.error)
    return {CrsMethod::helmert, "",
            "Helmert EPSG:1314, 2-5 m" + proj + "; OSTN15 unavailable: " + detail::message_of(state.error)};
  return {CrsMethod::ostn15, state.path, "OSTN15 via NTv2 grid " + state.path + proj};
}

struct BngTransformer::Impl {
  CrsMethod method;
  PJ_CONTEXT* context = nullptr;
  PJ* pipeline = nullptr;  // forward: WGS84 lon/lat degrees -> BNG easting/northing metres
  PJ* irish = nullptr;     // forward: WGS84 lon/lat degrees -> Irish Grid easting/northing metres
  PJ* helmert = nullptr;   // the per-point fallback of an OSTN15 transformer, made on first use

  Impl(CrsMethod m, const std::string& grid) : method(m) {
    context = proj_context_create();
    if (!context) throw std::runtime_error("cannot create a PROJ context");
    proj_log_level(context, PJ_LOG_NONE);
    std::string grid_arg = grid;
    if (m == CrsMethod::ostn15 && grid.find_first_of(" \t") != std::string::npos) {
      // PROJ strings cannot hold spaces: find the grid through the search path instead.
      const fs::path path(grid);
      std::vector<std::string> dirs{path.parent_path().string()};
      std::string defaults = proj_info().searchpath ? proj_info().searchpath : "";
      for (std::size_t start = 0; start <= defaults.size();) {
        std::size_t end = defaults.find(':', start);
        if (end == std::string::npos) end = defaults.size();
        if (end > start) dirs.push_back(defaults.substr(start, end - start));
        start = end + 1;
      }
      std::vector<const char*> c_dirs;
      for (const auto& d : dirs) c_dirs.push_back(d.c_str());
      proj_context_set_search_paths(context, static_cast<int>(c_dirs.size()), c_dirs.data());
      grid_arg = path.filename().string();
    }
    const std::string definition =
        m == CrsMethod::ostn15 ? detail::ostn15_pipeline(grid_arg) : detail::helmert_pipeline();
    pipeline = proj_create(context, definition.c_str());
    if (pipeline) irish = proj_create(context, detail::irish_grid_pipeline().c_str());
    if (!pipeline || !irish) {
      std::string why = proj_context_errno_string(context, proj_context_errno(context));
      proj_destroy(pipeline);
      proj_context_destroy(context);
      throw std::runtime_error("PROJ rejected the " + std::string(to_string(m)) + " pipeline: " + why);
    }
  }
  PJ* fallback() {
    if (method == CrsMethod::helmert) return pipeline;
    if (!helmert) helmert = proj_create(context, detail::helmert_pipeline().c_str());
    if (!helmert) throw std::runtime_error("PROJ rejected the helmert pipeline");
    return helmert;
  }
  ~Impl() {
    proj_destroy(helmert);
    proj_destroy(irish);
    proj_destroy(pipeline);
    proj_context_destroy(context);
  }
};

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Runs the pipeline over interleaved (x, y) pairs in place; failed points become NaN.
template <typename Point>
std::size_t run(PJ* pipeline, PJ_DIRECTION direction, std::span<Point> points) {
  if (points.empty()) return 0;
  auto* xs = reinterpret_cast<double*>(points.data());
  constexpr std::size_t stride = sizeof(Point);
  static_assert(sizeof(Point) == 2 * sizeof(double));
  for (auto& p : points) {  // PROJ rejects HUGE_VAL cleanly; NaN would travel through
    auto* xy = reinterpret_cast<double*>(&p);
    if (!std::isfinite(xy[0]) || !std::isfinite(xy[1])) xy[0] = xy[1] = HUGE_VAL;
  }
  proj_trans_generic(pipeline, direction, xs, stride, points.size(), xs + 1, stride, points.size(), nullptr, 0, 0,
                     nullptr, 0, 0);
  proj_errno_reset(pipeline);
  std::size_t failed = 0;
  for (auto& p : points) {
    auto* xy = reinterpret_cast<double*>(&p);
    if (xy[0] == HUGE_VAL || xy[1] == HUGE_VAL || !std::isfinite(xy[0]) || !std::isfinite(xy[1])) {
      xy[0] = xy[1] = kNaN;
      ++failed;
    }
  }
  return failed;
}
}  // namespace

BngTransformer::BngTransformer() {
  auto state = detail::grid_state();
  if (!state.error) {
    try {
      m_impl = std::make_unique<Impl>(CrsMethod::ostn15, state.path);
      return;
    } catch (...) {
      state.error = std::current_exception();
    }
  }
  detail::warn_helmert_once(detail::message_of(state.error));
  m_impl = std::make_unique<Impl>(CrsMethod::helmert, "");
}

BngTransformer::BngTransformer(CrsMethod method)
    : m_impl(std::make_unique<Impl>(method, method == CrsMethod::ostn15 ? ostn15_grid_path() : "")) {}

BngTransformer::~BngTransformer() = default;
BngTransformer::BngTransformer(BngTransformer&&) noexcept = default;
BngTransformer& BngTransformer::operator=(BngTransformer&&) noexcept = default;

CrsMethod BngTransformer::method() const { return m_impl->method; }

LonLat BngTransformer::to_wgs84(GridRef grid) const {
  LonLat out{grid.easting, grid.northing};
  run(m_impl->pipeline, PJ_INV, std::span<LonLat>(&out, 1));
  return out;
}

GridRef BngTransformer::to_bng(LonLat position) const {
  GridRef out{position.lon, position.lat};
  run(m_impl->pipeline, PJ_FWD, std::span<GridRef>(&out, 1));
  return out;
}

std::size_t BngTransformer::to_wgs84(std::span<const GridRef> in, std::span<LonLat> out) const {
  if (in.size() != out.size()) throw std::invalid_argument("to_wgs84: in and out differ in size");
  for (std::size_t i = 0; i < in.size(); ++i) out[i] = {in[i].easting, in[i].northing};
  return run(m_impl->pipeline, PJ_INV, out);
}

std::size_t BngTransformer::to_bng(std::span<const LonLat> in, std::span<GridRef> out) const {
  if (in.size() != out.size()) throw std::invalid_argument("to_bng: in and out differ in size");
  for (std::size_t i = 0; i < in.size(); ++i) out[i] = {in[i].lon, in[i].lat};
  return run(m_impl->pipeline, PJ_FWD, out);
}

std::size_t BngTransformer::to_wgs84_or_helmert(std::span<const GridRef> in, std::span<LonLat> out) const {
  if (to_wgs84(in, out) == 0) return 0;
  std::size_t fallen_back = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (is_finite(out[i]) || !is_finite(in[i])) continue;
    LonLat p{in[i].easting, in[i].northing};
    run(m_impl->fallback(), PJ_INV, std::span<LonLat>(&p, 1));
    out[i] = p;
    fallen_back += is_finite(p);
  }
  return fallen_back;
}

LonLat BngTransformer::irish_grid_to_wgs84(IrishGridRef grid) const {
  LonLat out{grid.easting, grid.northing};
  run(m_impl->irish, PJ_INV, std::span<LonLat>(&out, 1));
  return out;
}

std::size_t BngTransformer::irish_grid_to_wgs84(std::span<const IrishGridRef> in, std::span<LonLat> out) const {
  if (in.size() != out.size()) throw std::invalid_argument("irish_grid_to_wgs84: in and out differ in size");
  for (std::size_t i = 0; i < in.size(); ++i) out[i] = {in[i].easting, in[i].northing};
  return run(m_impl->irish, PJ_INV, out);
}

IrishGridRef BngTransformer::wgs84_to_irish_grid(LonLat position) const {
  IrishGridRef out{position.lon, position.lat};
  run(m_impl->irish, PJ_FWD, std::span<IrishGridRef>(&out, 1));
  return out;
}

}  // namespace placedist::geo
