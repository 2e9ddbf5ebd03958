#pragma once
// Test and benchmark helper: reads OS Code-Point Open CSV (plain or .csv.gz through zlib).
// No header row; columns Postcode,PQI,Eastings,Northings,Country,NHS_region,NHS_HA,
// Admin_county,Admin_district,Admin_ward. Eastings/northings are EPSG:27700 metres;
// PQI 90 rows have no coordinates and are dropped. Postcodes are kept only for lookups in
// tests, never printed.
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "geo/coords.hpp"

namespace placedist::testing {

struct CodePointRow {
  std::string postcode;  // as in the file, e.g. "HP20 1AA"
  geo::GridRef at;
  std::string county;    // Admin_county_code, empty for unitaries
  std::string district;  // Admin_district_code
  // The upper-tier council: the county when there is one, else the district (unitary).
  const std::string& upper_tier() const { return county.empty() ? district : county; }
};

inline std::vector<std::string_view> split_csv_line(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    std::string_view f = line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!f.empty() && (f.back() == '\r' || f.back() == '\n')) f.remove_suffix(1);
    if (f.size() >= 2 && f.front() == '"' && f.back() == '"') f = f.substr(1, f.size() - 2);
    out.push_back(f);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

// Appends the rows with coordinates of one file (plain or gzip; zlib reads both).
inline void read_codepoint(const std::filesystem::path& file, std::vector<CodePointRow>& out) {
  gzFile gz = gzopen(file.c_str(), "rb");
  if (!gz) throw std::runtime_error("cannot open " + file.string());
  gzbuffer(gz, 1 << 16);
  char buf[1024];
  while (gzgets(gz, buf, sizeof buf)) {
    const auto f = split_csv_line(buf);
    if (f.size() < 9 || f[1] == "90") continue;
    CodePointRow row;
    row.postcode = std::string(f[0]);
    row.at = {std::stod(std::string(f[2])), std::stod(std::string(f[3]))};
    row.county = std::string(f[7]);
    row.district = std::string(f[8]);
    out.push_back(std::move(row));
  }
  gzclose(gz);
}

// Every file with the extension in a folder, in name order.
inline std::vector<CodePointRow> read_codepoint_folder(const std::filesystem::path& folder, std::string_view suffix) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(folder)) {
    const std::string name = e.path().filename().string();
    if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<CodePointRow> out;
  for (const auto& f : files) read_codepoint(f, out);
  return out;
}

}  // namespace placedist::testing
