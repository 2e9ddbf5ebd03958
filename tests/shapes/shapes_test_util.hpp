#pragma once
// Test helpers for shapes/: temporary folders, hand-made GeoJSON in EPSG:27700, and
// format conversion through GDAL (the library behind ogr2ogr).
#include <gdal.h>
#include <gdal_utils.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace placedist::testing {

class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : m_path(std::filesystem::temp_directory_path() / ("placedist_" + name + "_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(m_path);
    std::filesystem::create_directories(m_path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path operator/(const std::string& f) const { return m_path / f; }

 private:
  std::filesystem::path m_path;
};

inline void write_text(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

// A FeatureCollection declaring EPSG:27700 (GDAL reads the old-style "crs" member).
inline std::string bng_feature_collection(const std::vector<std::string>& features) {
  std::string s =
      R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},"features":[)";
  for (std::size_t i = 0; i < features.size(); ++i) s += (i ? "," : "") + features[i];
  return s + "]}";
}

inline std::string feature(const std::string& properties_json, const std::string& geometry_json) {
  return R"({"type":"Feature","properties":)" + properties_json + R"(,"geometry":)" + geometry_json + "}";
}

// ogr2ogr as a call: converts `source` into `dest` with the given options
// (e.g. {"-f", "GPKG", "-t_srs", "EPSG:27700"}).
inline void translate(const std::filesystem::path& source, const std::filesystem::path& dest,
                      std::vector<std::string> args) {
  GDALAllRegister();
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  GDALVectorTranslateOptions* options = GDALVectorTranslateOptionsNew(argv.data(), nullptr);
  GDALDatasetH src = GDALOpenEx(source.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
  if (!src || !options) throw std::runtime_error("translate: cannot open " + source.string());
  int usage_error = 0;
  GDALDatasetH out = GDALVectorTranslate(dest.c_str(), nullptr, 1, &src, options, &usage_error);
  GDALVectorTranslateOptionsFree(options);
  GDALClose(src);
  if (!out) throw std::runtime_error("translate: cannot write " + dest.string());
  GDALClose(out);
}

}  // namespace placedist::testing
