#include "src/cli/point_columns.hpp"

#include <charconv>
#include <cmath>

#include "geo/gazetteer.hpp"
#include "src/cli/run_status.hpp"

using namespace placedist::geo;

namespace placedist::cli {
namespace {

class LonLatColumns : public PointColumns {
 public:
  LonLatColumns(int lon, int lat) : m_lon(lon), m_lat(lat) {}
  std::optional<LonLat> resolve(CsvFields row, std::string& problem) const override {
    double lon, lat;
    if (!number(row, m_lon, lon) || !number(row, m_lat, lat) || std::abs(lon) > 180 || std::abs(lat) > 90) {
      problem = "invalid_location";
      return std::nullopt;
    }
    return LonLat{lon, lat};
  }

 private:
  static bool number(CsvFields row, int col, double& out) {
    if (col >= static_cast<int>(row.size())) return false;
    std::string_view s = row[col];
    const char* b = s.data();
    const char* e = s.data() + s.size();
    while (b < e && *b == ' ') ++b;
    while (e > b && e[-1] == ' ') --e;
    auto [p, ec] = std::from_chars(b, e, out);
    return ec == std::errc() && p == e && std::isfinite(out);
  }
  int m_lon, m_lat;
};

class PostcodeColumn : public PointColumns {
 public:
  PostcodeColumn(int column, const Gazetteer& gazetteer) : m_column(column), m_gazetteer(gazetteer) {}
  std::optional<LonLat> resolve(CsvFields row, std::string& problem) const override {
    GeocodeResult r = m_gazetteer.lookup(m_column < static_cast<int>(row.size()) ? row[m_column] : "");
    if (!r.located()) {
      problem = to_string(r.status);
      return std::nullopt;
    }
    return r.position;
  }

 private:
  int m_column;
  const Gazetteer& m_gazetteer;
};

}  // namespace

int csv_column(CsvFields header, std::string_view name) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

std::unique_ptr<PointColumns> postcode_column(CsvFields header, const std::string& column, const Gazetteer& gazetteer) {
  int c = csv_column(header, column);
  if (c < 0) throw UsageError("input has no column '" + column + "'");
  return std::make_unique<PostcodeColumn>(c, gazetteer);
}

std::unique_ptr<PointColumns> lonlat_columns(CsvFields header, const std::string& lon, const std::string& lat) {
  int a = csv_column(header, lon), b = csv_column(header, lat);
  if (a < 0 || b < 0) throw UsageError("input has no columns '" + lon + "' and '" + lat + "'");
  return std::make_unique<LonLatColumns>(a, b);
}

}  // namespace placedist::cli
