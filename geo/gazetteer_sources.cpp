#include "geo/gazetteer_sources.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <optional>
#include <regex>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "geo/io/ascii_case.hpp"
#include "geo/io/csv_reader.hpp"

namespace placedist::geo::detail {
namespace fs = std::filesystem;

std::uint16_t CouncilCodes::intern(std::string_view code) {
  while (!code.empty() && code.back() == ' ') code.remove_suffix(1);
  if (code.empty() || code.substr(1) == "99999999") return kNone;
  std::string key(code);
  if (auto it = m_index.find(key); it != m_index.end()) return it->second;
  if (m_codes.size() >= kNone) throw std::runtime_error("more than 65534 council codes");
  auto index = static_cast<std::uint16_t>(m_codes.size());
  m_codes.push_back(key);
  m_index.emplace(std::move(key), index);
  return index;
}

namespace {

std::optional<std::int32_t> parse_int(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  std::int32_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The first header column matching any of the patterns (regular expressions, whole name,
// case-insensitive), in the order of the patterns.
int find_column(const std::vector<std::string>& header, std::initializer_list<const char*> patterns) {
  for (const char* pattern : patterns) {
    std::regex re(pattern, std::regex::icase);
    for (std::size_t i = 0; i < header.size(); ++i)
      if (std::regex_match(header[i], re)) return static_cast<int>(i);
  }
  return -1;
}

std::vector<std::string> read_header(CsvReader& csv, const fs::path& file) {
  if (!csv.next()) throw std::runtime_error(file.string() + " is empty");
  std::vector<std::string> header;
  for (std::string_view field : csv.fields()) header.push_back(ascii_lower(field));
  return header;
}

std::string codepoint_vintage(const fs::path& product) {
  std::ifstream in(product / "Doc" / "metadata.txt");
  std::string line, version, date;
  while (std::getline(in, line)) {
    auto value = [&](const char* key) {
      std::string v = line.substr(line.find(':') + 1);
      v.erase(0, v.find_first_not_of(" \t"));
      while (!v.empty() && (v.back() == '\r' || v.back() == ' ')) v.pop_back();
      return line.starts_with(key) ? v : std::string();
    };
    if (auto v = value("DATASET VERSION NUMBER"); !v.empty()) version = v;
    if (auto v = value("COPYRIGHT DATE"); !v.empty()) date = v;
  }
  if (version.empty()) return "unknown";
  return "Code-Point Open " + version + (date.empty() ? "" : " (" + date + ")");
}

// Counts the row and starts its unit from the postcode in `column`; nullopt (counted as
// rejected) when the row is shorter than `needed` or its postcode is not a unit postcode.
std::optional<SourceUnit> start_unit(const CsvReader& csv, std::size_t column, std::size_t needed, std::uint8_t source,
                                     SourceReport& report) {
  ++report.rows;
  Postcode pc = parse_postcode(csv.size() > column ? csv[column] : std::string_view());
  if (csv.size() < needed || pc.level != PostcodeLevel::unit || !pc.ok()) {
    ++report.rejected;
    return std::nullopt;
  }
  SourceUnit unit{};
  unit.outward = pc.outward;
  unit.inward = pc.inward;
  unit.source = source;
  return unit;
}

// Code-Point's code list qualifies names ("Wycombe District", "Dacorum District (B)",
// "Barnet London Boro", "Buckinghamshire County"); the ONS and the DfE use the plain name.
std::string plain_council_name(std::string name) {
  for (std::string_view suffix : {" (B)", " London Boro", " District", " County"}) {
    if (name.size() > suffix.size() && name.ends_with(suffix)) name.resize(name.size() - suffix.size());
  }
  return name;
}

}  // namespace

SourceReport read_codepoint(const fs::path& folder, std::uint8_t source, CouncilCodes& codes,
                            std::unordered_map<std::string, std::string>& names, std::vector<SourceUnit>& out) {
  fs::path csv_folder = fs::is_directory(folder / "Data" / "CSV") ? folder / "Data" / "CSV" : folder;
  // The product folder holds Doc/ (metadata.txt, codelist.csv): the folder given or one above it.
  fs::path product = folder;
  for (fs::path candidate : {folder, folder.parent_path(), folder.parent_path().parent_path()}) {
    if (fs::is_directory(candidate / "Doc")) {
      product = candidate;
      break;
    }
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(csv_folder)) {
    std::string name = entry.path().filename().string();
    if (name.ends_with(".csv") || name.ends_with(".csv.gz")) files.push_back(entry.path());
  }
  if (files.empty()) throw std::runtime_error("no Code-Point Open CSV files in " + csv_folder.string());
  std::sort(files.begin(), files.end());

  SourceReport report{"codepoint", folder.string(), codepoint_vintage(product), 0, 0, 0, false};
  // Postcode,Positional_quality_indicator,Eastings,Northings,Country_code,NHS_regional_HA_code,
  // NHS_HA_code,Admin_county_code,Admin_district_code,Admin_ward_code
  for (const fs::path& file : files) {
    CsvReader csv(file);
    while (csv.next()) {
      std::optional<SourceUnit> row = start_unit(csv, 0, 9, source, report);
      if (!row) continue;
      SourceUnit& unit = *row;
      auto quality = parse_int(csv[1]);
      auto easting = parse_int(csv[2]);
      auto northing = parse_int(csv[3]);
      unit.quality = static_cast<std::uint8_t>(quality.value_or(0));
      // PQI 90 means "no coordinates"; the grid reference is then 0,0.
      unit.has_grid = easting && northing && unit.quality != 90 && (*easting != 0 || *northing != 0);
      unit.easting_dm = unit.has_grid ? *easting * 10 : 0;
      unit.northing_dm = unit.has_grid ? *northing * 10 : 0;
      unit.ltla = codes.intern(csv[8]);
      std::uint16_t county = codes.intern(csv[7]);
      unit.utla = county != CouncilCodes::kNone ? county : unit.ltla;
      unit.termination = Termination::live;  // Code-Point lists live postcodes only
      if (!unit.has_grid) ++report.without_grid;
      out.push_back(unit);
    }
  }
  if (fs::path list = product / "Doc" / "codelist.csv"; fs::exists(list)) {
    std::unordered_map<std::string, std::string> listed;
    read_council_names(list, listed);
    for (auto& [code, name] : listed) names.emplace(code, plain_council_name(name));
  }
  return report;
}

namespace {
const OutwardKey kBelfastArea = pack_outward("BT");
}

SourceReport read_directory(const fs::path& file, std::uint8_t source, CouncilCodes& codes,
                            std::vector<SourceUnit>& out) {
  CsvReader csv(file);
  std::vector<std::string> header = read_header(csv, file);
  int postcode = find_column(header, {"pcds", "pcd7", "pcd8", "pcd", "pcd2", "postcode"});
  int easting = find_column(header, {"oseast1m", "east1m", "easting", "x"});
  int northing = find_column(header, {"osnrth1m", "north1m", "northing", "y"});
  int ltla = find_column(header, {"oslaua", "lad[0-9]{2}cd", "ladcd", "lad"});
  int county = find_column(header, {"oscty", "cty[0-9]{2}cd", "ctycd"});
  int doterm = find_column(header, {"doterm"});
  int quality = find_column(header, {"osgrdind"});
  if (postcode < 0 || easting < 0 || northing < 0) {
    throw std::runtime_error(file.string() +
                             ": not a postcode directory: needs a postcode column (pcds/pcd7/pcd8) and grid "
                             "reference columns (oseast1m/east1m, osnrth1m/north1m)");
  }
  std::string vintage = file.filename().string();
  SourceReport report{"directory", file.string(), vintage, 0, 0, 0, doterm >= 0};
  const std::size_t needed =
      static_cast<std::size_t>(std::max({postcode, easting, northing, ltla, county, doterm, quality})) + 1;
  while (csv.next()) {
    std::optional<SourceUnit> row = start_unit(csv, postcode, needed, source, report);
    if (!row) continue;
    SourceUnit& unit = *row;
    auto e = parse_int(csv[easting]);
    auto n = parse_int(csv[northing]);
    unit.quality = quality >= 0 ? static_cast<std::uint8_t>(parse_int(csv[quality]).value_or(0)) : 0;
    // ONSPD marks "no grid reference" with empty values or positional quality 9.
    unit.has_grid = e && n && (*e != 0 || *n != 0) && unit.quality != 9;
    unit.irish_grid = area_of(unit.outward) == kBelfastArea;
    unit.easting_dm = unit.has_grid ? *e * 10 : 0;
    unit.northing_dm = unit.has_grid ? *n * 10 : 0;
    unit.ltla = ltla >= 0 ? codes.intern(csv[ltla]) : CouncilCodes::kNone;
    unit.utla = county >= 0 ? codes.intern(csv[county]) : CouncilCodes::kNone;
    unit.termination = doterm < 0            ? Termination::unknown
                       : csv[doterm].empty() ? Termination::live
                                             : Termination::terminated;
    if (!unit.has_grid) ++report.without_grid;
    out.push_back(unit);
  }
  return report;
}

void read_council_lookup(const fs::path& file, std::unordered_map<std::string, std::string>& upper,
                         std::unordered_map<std::string, std::string>& names) {
  CsvReader csv(file);
  std::vector<std::string> header = read_header(csv, file);
  int lower_code = find_column(header, {"ltla[0-9]*_?(code|cd)", "lad[0-9]*_?(code|cd)"});
  int upper_code = find_column(header, {"utla[0-9]*_?(code|cd)", "ctyua[0-9]*_?(code|cd)", "cty[0-9]*_?(code|cd)"});
  int lower_name = find_column(header, {"ltla[0-9]*_?(name|nm)", "lad[0-9]*_?(name|nm)"});
  int upper_name = find_column(header, {"utla[0-9]*_?(name|nm)", "ctyua[0-9]*_?(name|nm)", "cty[0-9]*_?(name|nm)"});
  if (lower_code < 0 || upper_code < 0)
    throw std::runtime_error(file.string() +
                             ": a council lookup needs lower-tier and upper-tier code columns "
                             "(e.g. ltla23_code, utla23_code or LAD23CD, UTLA23CD)");
  while (csv.next()) {
    auto field = [&](int column) {
      return column >= 0 && static_cast<std::size_t>(column) < csv.size() ? std::string(csv[column]) : std::string();
    };
    std::string from = field(lower_code), to = field(upper_code);
    if (from.empty() || to.empty()) continue;
    upper.emplace(from, to);
    if (auto name = field(lower_name); !name.empty()) names.emplace(from, name);
    if (auto name = field(upper_name); !name.empty()) names.emplace(to, name);
  }
}

void read_council_names(const fs::path& file, std::unordered_map<std::string, std::string>& names) {
  if (file.extension() == ".json") {
    std::ifstream in(file);
    nlohmann::json object = nlohmann::json::parse(in);
    for (auto& [code, name] : object.items())
      if (name.is_string()) names.emplace(code, name.get<std::string>());
    return;
  }
  CsvReader csv(file);
  std::vector<std::string> header = read_header(csv, file);
  int code = find_column(header, {"code", ".*(cd|_code)"});
  int name = find_column(header, {"name", ".*(nm|_name)"});
  if (code < 0 || name < 0) throw std::runtime_error(file.string() + ": a name list needs code and name columns");
  while (csv.next())
    if (csv.size() > static_cast<std::size_t>(std::max(code, name)) && !csv[code].empty())
      names.emplace(std::string(csv[code]), std::string(csv[name]));
}

}  // namespace placedist::geo::detail
