// Loading council boundaries through GDAL/OGR into GEOS, in British National Grid
// (EPSG:27700) metres. See boundaries.hpp for the contract.
#include "shapes/boundaries.hpp"

#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <mutex>

#include "geo/declared_crs.hpp"
#include "geo/detail/geos_context.hpp"
#include "shapes/detail/boundaries_impl.hpp"
#include "shapes/detail/field_detect.hpp"
#include "shapes/detail/geos_util.hpp"

using namespace placedist::geo;

namespace placedist::shapes {

Boundaries::Impl::Impl() = default;

Boundaries::Impl::~Impl() {
  if (tree) GEOSSTRtree_destroy_r(geos, tree);
  for (auto* p : prepared) GEOSPreparedGeom_destroy_r(geos, p);
  for (auto* p : prepared_edges) GEOSPreparedGeom_destroy_r(geos, p);
  for (auto* g : envelopes) GEOSGeom_destroy_r(geos, g);
  for (auto* g : edges) GEOSGeom_destroy_r(geos, g);
  for (auto* g : polygons) GEOSGeom_destroy_r(geos, g);
}

namespace {

void register_gdal() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

// Silences GDAL's stderr output while we open and read; we report errors ourselves.
struct QuietGdal {
  QuietGdal() {
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
  }
  ~QuietGdal() { CPLPopErrorHandler(); }
};

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "(none)" : out;
}

std::string describe_crs(const OGRSpatialReference& srs) {
  std::string out = srs.GetName() ? srs.GetName() : "unnamed CRS";
  const char* auth = srs.GetAuthorityName(nullptr);
  const char* code = srs.GetAuthorityCode(nullptr);
  if (auth && code) out += std::string(" (") + auth + ":" + code + ")";
  return out;
}

struct Feature {
  std::string code, name;
  std::vector<unsigned char> wkb;  // MultiPolygon in EPSG:27700
};

}  // namespace

Boundaries Boundaries::load(const std::filesystem::path& source, const BoundaryOptions& options) {
  register_gdal();
  auto impl = std::make_unique<Impl>();
  impl->source = source;
  impl->tolerance_m = options.boundary_tolerance_m >= 0 ? options.boundary_tolerance_m : 0;
  const std::string where = "boundary file " + source.string();

  std::error_code ec;
  if (!std::filesystem::exists(source, ec))
    throw BoundaryError(BoundaryErrorCode::unreadable, where + ": no such file");

  std::vector<Feature> features;
  {
    QuietGdal quiet;
    GDALDatasetUniquePtr ds(GDALDataset::Open(source.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds) {
      std::string msg = CPLGetLastErrorMsg();
      throw BoundaryError(BoundaryErrorCode::unreadable,
                          where + ": not a vector source GDAL can read" + (msg.empty() ? "" : " (" + msg + ")"));
    }
    OGRLayer* layer = nullptr;
    if (!options.layer.empty()) {
      layer = ds->GetLayerByName(options.layer.c_str());
      if (!layer) {
        std::vector<std::string> names;
        for (auto* l : ds->GetLayers()) names.emplace_back(l->GetName());
        throw BoundaryError(BoundaryErrorCode::layer_missing,
                            where + ": no layer '" + options.layer + "'; layers: " + join(names));
      }
    } else {
      if (ds->GetLayerCount() == 0) throw BoundaryError(BoundaryErrorCode::layer_missing, where + ": has no layers");
      layer = ds->GetLayer(0);
    }
    impl->layer_name = layer->GetName();

    // Fields.
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    std::vector<std::string> names;
    for (int i = 0; i < defn->GetFieldCount(); ++i) names.emplace_back(defn->GetFieldDefn(i)->GetNameRef());
    const detail::DetectedFields detected = detail::detect_fields(names);
    auto check_field = [&](const std::string& f, const char* what) {
      if (defn->GetFieldIndex(f.c_str()) < 0)
        throw BoundaryError(BoundaryErrorCode::field_missing, where + ": no " + what + " field '" + f + "' in layer " +
                                                                  impl->layer_name + "; fields: " + join(names));
    };
    if (!options.code_field.empty()) {
      check_field(options.code_field, "code");
      impl->code_field = options.code_field;
    } else if (!detected.code.empty()) {
      impl->code_field = detected.code;
    } else if (detected.code_candidates.empty()) {
      throw BoundaryError(BoundaryErrorCode::field_missing,
                          where + ": found no council code field (a name ending in cd or _code) in layer " +
                              impl->layer_name + "; fields: " + join(names) + ". Name one with the code-field option.");
    } else {
      throw BoundaryError(BoundaryErrorCode::field_ambiguous, where + ": several fields could hold the council code (" +
                                                                  join(detected.code_candidates) +
                                                                  "); name one with the code-field option");
    }
    if (!options.name_field.empty()) {
      check_field(options.name_field, "name");
      impl->name_field = options.name_field;
    } else {
      impl->name_field = detected.name;  // may be empty: names are then the codes
    }
    const int code_index = defn->GetFieldIndex(impl->code_field.c_str());
    const int name_index = impl->name_field.empty() ? -1 : defn->GetFieldIndex(impl->name_field.c_str());

    // CRS: keep what the source says; reproject to BNG in traditional (easting, northing) order.
    OGRSpatialReference src;
    if (const OGRSpatialReference* declared = layer->GetSpatialRef()) {
      src = *declared;
    } else if (!options.assume_crs.empty()) {
      if (src.SetFromUserInput(options.assume_crs.c_str()) != OGRERR_NONE)
        throw BoundaryError(BoundaryErrorCode::crs_missing,
                            where + ": cannot understand CRS '" + options.assume_crs + "'");
    } else {
      throw BoundaryError(BoundaryErrorCode::crs_missing,
                          where + ": the layer declares no CRS; say which it is (e.g. EPSG:27700)");
    }
    src.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    impl->source_crs = describe_crs(src);
    if (const std::string contradiction = geo::crs_contradiction(src); !contradiction.empty())
      throw BoundaryError(BoundaryErrorCode::transform_failed, where + ": cannot use its CRS: " + contradiction);
    OGRSpatialReference bng;
    bng.importFromEPSG(27700);
    bng.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> to_bng;
    impl->coordinate_operation = options.coordinate_operation;
    if (!options.coordinate_operation.empty()) {
      OGRCoordinateTransformationOptions how;
      if (!how.SetCoordinateOperation(options.coordinate_operation.c_str(), false))
        throw BoundaryError(BoundaryErrorCode::transform_failed,
                            where + ": PROJ cannot use the coordinate operation given (" + CPLGetLastErrorMsg() + ")");
      to_bng.reset(OGRCreateCoordinateTransformation(&src, &bng, how));
      if (!to_bng)
        throw BoundaryError(BoundaryErrorCode::transform_failed,
                            where + ": PROJ cannot use the coordinate operation given (" + CPLGetLastErrorMsg() + ")");
    } else if (!src.IsSame(&bng)) {
      to_bng.reset(OGRCreateCoordinateTransformation(&src, &bng));
      if (!to_bng)
        throw BoundaryError(
            BoundaryErrorCode::transform_failed,
            where + ": no transformation from " + impl->source_crs + " to EPSG:27700 (" + CPLGetLastErrorMsg() + ")");
    }

    layer->ResetReading();
    for (auto& feature : *layer) {
      OGRGeometry* geometry = feature->GetGeometryRef();
      const char* code = feature->IsFieldSetAndNotNull(code_index) ? feature->GetFieldAsString(code_index) : "";
      if (!geometry || geometry->IsEmpty() || !*code) {
        ++impl->skipped;
        continue;
      }
      std::unique_ptr<OGRGeometry> multi(OGRGeometryFactory::forceToMultiPolygon(geometry->clone()));
      if (!multi || wkbFlatten(multi->getGeometryType()) != wkbMultiPolygon || multi->IsEmpty()) {
        ++impl->skipped;
        continue;
      }
      if (to_bng && multi->transform(to_bng.get()) != OGRERR_NONE)
        throw BoundaryError(BoundaryErrorCode::transform_failed,
                            where + ": cannot reproject the geometry of " + code + " to EPSG:27700");
      multi->flattenTo2D();
      Feature f;
      f.code = code;
      f.name =
          name_index >= 0 && feature->IsFieldSetAndNotNull(name_index) ? feature->GetFieldAsString(name_index) : code;
      f.wkb.resize(multi->WkbSize());
      multi->exportToWkb(wkbNDR, f.wkb.data(), wkbVariantIso);
      features.push_back(std::move(f));
    }
  }
  if (features.empty())
    throw BoundaryError(BoundaryErrorCode::no_polygons, where + ": layer " + impl->layer_name + " has no polygons");

  detail::build_geometries(*impl, features.size(), [&](std::size_t i) -> detail::FeatureView {
    return {features[i].code, features[i].name, features[i].wkb};
  });
  return Boundaries(std::move(impl));
}

Boundaries::Boundaries(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Boundaries::~Boundaries() = default;
Boundaries::Boundaries(Boundaries&&) noexcept = default;
Boundaries& Boundaries::operator=(Boundaries&&) noexcept = default;

std::size_t Boundaries::size() const { return m_impl->councils.size(); }
const BoundaryCouncil& Boundaries::council(std::size_t index) const { return m_impl->councils.at(index); }
std::optional<std::size_t> Boundaries::find(std::string_view code) const {
  auto it = m_impl->by_code.find(std::string(code));
  if (it == m_impl->by_code.end()) return std::nullopt;
  return it->second;
}
const std::filesystem::path& Boundaries::source() const { return m_impl->source; }
const std::string& Boundaries::layer_name() const { return m_impl->layer_name; }
const std::string& Boundaries::code_field() const { return m_impl->code_field; }
const std::string& Boundaries::name_field() const { return m_impl->name_field; }
const std::string& Boundaries::source_crs() const { return m_impl->source_crs; }
const std::string& Boundaries::coordinate_operation() const { return m_impl->coordinate_operation; }
double Boundaries::boundary_tolerance_m() const { return m_impl->tolerance_m; }
std::size_t Boundaries::skipped_features() const { return m_impl->skipped; }
std::size_t Boundaries::repaired_features() const { return m_impl->repaired; }

MultiPolygon Boundaries::polygons(std::size_t index) const {
  geo::detail::GeosContext ctx;
  return detail::to_multipolygon(ctx.get(), m_impl->polygons.at(index));
}

std::vector<std::uint8_t> Boundaries::wkb(std::size_t index) const {
  geo::detail::GeosContext ctx;
  return detail::to_wkb(ctx.get(), m_impl->polygons.at(index));
}

double Boundaries::area_m2(std::size_t index) const {
  geo::detail::GeosContext ctx;
  double area = 0;
  GEOSArea_r(ctx.get(), m_impl->polygons.at(index), &area);
  return area;
}

std::size_t Boundaries::vertex_count(std::size_t index) const {
  geo::detail::GeosContext ctx;
  const int n = GEOSGetNumCoordinates_r(ctx.get(), m_impl->polygons.at(index));
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}

}  // namespace placedist::shapes
