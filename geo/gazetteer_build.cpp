#include "geo/gazetteer_build.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <map>
#include <set>
#include <span>
#include <thread>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "geo/crs.hpp"
#include "geo/data_dir.hpp"
#include "geo/gazetteer_format.hpp"
#include "geo/gazetteer_sources.hpp"
#include "geo/io/atomic_file.hpp"
#include "geo/io/crc32c.hpp"

namespace placedist::geo {

using namespace detail;
namespace fs = std::filesystem;

GazetteerBuildOptions default_gazetteer_options() {
  GazetteerBuildOptions options;
  options.sources = {
      {GazetteerSource::Kind::codepoint, data_file("postcodes/codepoint_open_2025_10")},
      {GazetteerSource::Kind::directory,
       data_file("postcodes/nspd_nov2025_via_qlacref/nspd_nov2025_pcd7_oseast1m_osnrth1m_lad25cd.csv.gz")},
  };
  options.council_lookups = {data_file("boundaries/ons_ultra_generalised_500m/lookup_ltla23_utla23.csv")};
  options.council_names = {data_file("postcodes/onspd_sample_postcodes_io/gss_names_districts.json"),
                           data_file("postcodes/onspd_sample_postcodes_io/gss_names_counties.json")};
  return options;
}

namespace {

// Accumulates a centroid over units: the mean grid reference and the modal councils.
struct CentroidSum {
  double easting = 0, northing = 0;
  std::uint32_t count = 0;
  std::map<std::pair<std::uint16_t, std::uint16_t>, std::uint32_t> councils;
  bool terminated_only = false;

  void add(const SourceUnit& unit) {
    easting += unit.easting_dm;
    northing += unit.northing_dm;
    ++count;
    ++councils[{unit.ltla, unit.utla}];
  }
};

// Centroid over the live units with a grid reference, or over the terminated ones when a
// place has no live unit left.
LocationRecord centroid_of(std::span<const SourceUnit> units, std::span<const std::uint8_t> terminated) {
  CentroidSum live, dead;
  for (std::size_t i = 0; i < units.size(); ++i) {
    if (!units[i].has_grid) continue;
    (terminated[i] ? dead : live).add(units[i]);
  }
  CentroidSum& sum = live.count ? live : dead;
  LocationRecord record{};
  record.ltla = record.utla = kNoCouncil;
  if (sum.count == 0) return record;
  record.easting_dm = static_cast<std::int32_t>(std::lround(sum.easting / sum.count));
  record.northing_dm = static_cast<std::int32_t>(std::lround(sum.northing / sum.count));
  auto modal = std::max_element(sum.councils.begin(), sum.councils.end(),
                                [](const auto& a, const auto& b) { return a.second < b.second; });
  record.ltla = modal->first.first;
  record.utla = modal->first.second;
  record.flags = kHasCoordinates | (live.count ? 0 : kTerminated) | (units[0].irish_grid ? kNorthernIreland : 0);
  return record;
}

LocationRecord unit_record(const SourceUnit& unit, bool terminated, bool inferred) {
  LocationRecord record{};
  record.easting_dm = unit.easting_dm;
  record.northing_dm = unit.northing_dm;
  record.ltla = unit.ltla;
  record.utla = unit.utla;
  record.quality = unit.quality;
  record.source = unit.source;
  record.flags = (unit.has_grid ? kHasCoordinates : 0) | (terminated ? kTerminated : 0) |
                 (inferred ? kTerminationInferred : 0) | (unit.irish_grid ? kNorthernIreland : 0);
  return record;
}

// Northern Ireland's Irish Grid references become (nominal) British National Grid ones through
// WGS84, so that every record shares one grid; their lon/lat later come back through the same
// Helmert and so are exact.
void irish_grid_to_bng(std::vector<SourceUnit>& units) {
  BngTransformer helmert(CrsMethod::helmert);
  for (SourceUnit& unit : units) {
    if (!unit.irish_grid || !unit.has_grid) continue;
    GridRef grid = helmert.to_bng(helmert.irish_grid_to_wgs84({unit.easting_dm / 10.0, unit.northing_dm / 10.0}));
    unit.easting_dm = static_cast<std::int32_t>(std::lround(grid.easting * 10));
    unit.northing_dm = static_cast<std::int32_t>(std::lround(grid.northing * 10));
  }
}

// Fills lon/lat of the records, on all cores, one transformer per thread.
void add_wgs84(std::vector<LocationRecord*>& records, CrsMethod method) {
  unsigned threads = std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
  auto work = [&](std::size_t begin, std::size_t end) {
    BngTransformer crs(method);
    constexpr std::size_t kBatch = 8192;
    std::vector<GridRef> grid;
    std::vector<LonLat> wgs;
    for (std::size_t at = begin; at < end; at += kBatch) {
      std::size_t n = std::min(kBatch, end - at);
      grid.resize(n);
      wgs.resize(n);
      for (std::size_t i = 0; i < n; ++i)
        grid[i] = {records[at + i]->easting_dm / 10.0, records[at + i]->northing_dm / 10.0};
      crs.to_wgs84(grid, wgs);
      for (std::size_t i = 0; i < n; ++i) {
        if (!is_finite(wgs[i])) {  // outside the OSTN15 grid (e.g. far offshore): keep the grid reference only
          records[at + i]->flags &= static_cast<std::uint8_t>(~kHasCoordinates);
          continue;
        }
        records[at + i]->lon_e7 = static_cast<std::int32_t>(std::lround(wgs[i].lon * 1e7));
        records[at + i]->lat_e7 = static_cast<std::int32_t>(std::lround(wgs[i].lat * 1e7));
      }
    }
  };
  std::vector<std::thread> pool;
  std::size_t share = (records.size() + threads - 1) / threads;
  for (unsigned t = 1; t < threads; ++t) {
    std::size_t begin = std::min(records.size(), t * share), end = std::min(records.size(), begin + share);
    pool.emplace_back(work, begin, end);
  }
  work(0, std::min(records.size(), share));
  for (auto& thread : pool) thread.join();
}

struct Assembled {
  std::vector<std::uint32_t> district_keys;
  std::vector<DistrictEntry> districts;
  std::vector<UnitWord> words;
  std::vector<LocationRecord> units;
  std::vector<LocationRecord> sectors;
  std::vector<AreaEntry> areas;
};

template <typename T>
void put_section(std::string& file, FileHeader& header, Section section, const T* data, std::size_t count) {
  file.resize((file.size() + 63) / 64 * 64, '\0');  // a cache line: no bitmap word or record straddles two
  header.sections[section] = {file.size(), count};
  file.append(reinterpret_cast<const char*>(data), count * sizeof(T));
}

}  // namespace

GazetteerBuildSummary build_gazetteer(const GazetteerBuildOptions& options) {
  auto say = [&](const std::string& message) {
    if (options.progress) options.progress(message);
  };
  if (options.sources.empty()) throw std::runtime_error("no postcode sources given");
  if (options.sources.size() > 250) throw std::runtime_error("too many sources");

  CouncilCodes codes;
  std::unordered_map<std::string, std::string> names, product_names;
  std::vector<SourceUnit> all;
  std::vector<SourceReport> reports;
  std::set<OutwardKey> live_list_areas;  // postcode areas a Code-Point source covers
  for (std::size_t s = 0; s < options.sources.size(); ++s) {
    const GazetteerSource& source = options.sources[s];
    say("reading " + source.path.filename().string());
    std::size_t first = all.size();
    if (source.kind == GazetteerSource::Kind::codepoint) {
      reports.push_back(read_codepoint(source.path, static_cast<std::uint8_t>(s), codes, product_names, all));
      for (std::size_t i = first; i < all.size(); ++i) live_list_areas.insert(area_of(all[i].outward));
    } else {
      reports.push_back(read_directory(source.path, static_cast<std::uint8_t>(s), codes, all));
    }
  }

  // Upper tier: the county a district belongs to, through the lookups; else the council itself.
  std::unordered_map<std::string, std::string> upper;
  for (const fs::path& lookup : options.council_lookups) read_council_lookup(lookup, upper, names);
  for (const fs::path& list : options.council_names) read_council_names(list, names);
  names.merge(product_names);  // the ONS names given explicitly win over Code-Point's ("Milton Keynes (B)")
  GazetteerBuildSummary summary;
  std::vector<std::uint16_t> upper_of(codes.size() + 1, CouncilCodes::kNone);
  for (std::size_t i = 0, n = codes.size(); i < n; ++i) {
    const std::string& code = codes.code(static_cast<std::uint16_t>(i));
    auto it = upper.find(code);
    if (it != upper.end()) {
      upper_of[i] = codes.intern(it->second);
    } else {
      upper_of[i] = static_cast<std::uint16_t>(i);
      if (code.starts_with("E07")) ++summary.county_districts_without_upper_tier;
    }
  }
  for (SourceUnit& unit : all)
    if (unit.utla == CouncilCodes::kNone && unit.ltla != CouncilCodes::kNone) unit.utla = upper_of[unit.ltla];

  irish_grid_to_bng(all);
  say("merging " + std::to_string(all.size()) + " rows");
  std::sort(all.begin(), all.end(), [](const SourceUnit& a, const SourceUnit& b) {
    return a.key() != b.key() ? a.key() < b.key() : a.source < b.source;
  });
  // One unit per postcode: the first source with a grid reference, else the first source.
  std::vector<SourceUnit> chosen;
  std::vector<std::uint8_t> terminated, inferred;
  chosen.reserve(all.size());
  for (std::size_t i = 0; i < all.size();) {
    std::size_t j = i;
    const SourceUnit* pick = nullptr;
    bool in_live_list = false;
    for (; j < all.size() && all[j].key() == all[i].key(); ++j) {
      if (!pick && all[j].has_grid) pick = &all[j];
      in_live_list |= options.sources[all[j].source].kind == GazetteerSource::Kind::codepoint;
    }
    if (!pick) pick = &all[i];
    bool dead = false, guessed = false;
    if (pick->termination == Termination::terminated) {
      dead = true;
    } else if (pick->termination == Termination::unknown && !in_live_list &&
               live_list_areas.contains(area_of(pick->outward))) {
      dead = guessed = true;
    }
    chosen.push_back(*pick);
    terminated.push_back(dead);
    inferred.push_back(guessed);
    i = j;
  }
  std::vector<SourceUnit>().swap(all);

  say("assembling " + std::to_string(chosen.size()) + " postcodes");
  Assembled out;
  out.units.reserve(chosen.size());
  for (std::size_t i = 0; i < chosen.size(); ++i)
    out.units.push_back(unit_record(chosen[i], terminated[i], inferred[i]));
  for (std::size_t i = 0; i < chosen.size();) {
    std::size_t j = i;
    while (j < chosen.size() && chosen[j].outward == chosen[i].outward) ++j;
    DistrictEntry district{};
    district.first_word = static_cast<std::uint32_t>(out.words.size());
    district.first_sector = static_cast<std::uint32_t>(out.sectors.size());
    district.unit_count = static_cast<std::uint32_t>(j - i);
    out.words.resize(out.words.size() + kWordsPerDistrict, UnitWord{});
    for (std::size_t k = i; k < j; ++k)
      out.words[district.first_word + chosen[k].inward / 64].bits |= std::uint64_t{1} << (chosen[k].inward % 64);
    for (std::size_t k = i; k < j;) {
      int digit = chosen[k].inward / 676;
      std::size_t m = k;
      while (m < j && chosen[m].inward / 676 == digit) ++m;
      district.sector_mask |= static_cast<std::uint16_t>(1u << digit);
      out.sectors.push_back(centroid_of(std::span(chosen).subspan(k, m - k), std::span(terminated).subspan(k, m - k)));
      k = m;
    }
    district.centroid = centroid_of(std::span(chosen).subspan(i, j - i), std::span(terminated).subspan(i, j - i));
    out.district_keys.push_back(chosen[i].outward);
    out.districts.push_back(district);
    i = j;
  }
  std::uint32_t running = 0;
  for (UnitWord& word : out.words) {
    word.rank = running;
    running += static_cast<std::uint32_t>(std::popcount(word.bits));
  }
  // Areas: units are sorted by outward code, and an area's districts are contiguous.
  for (std::size_t i = 0; i < chosen.size();) {
    OutwardKey area = area_of(chosen[i].outward);
    std::size_t j = i;
    while (j < chosen.size() && area_of(chosen[j].outward) == area) ++j;
    out.areas.push_back(
        {area, 0, centroid_of(std::span(chosen).subspan(i, j - i), std::span(terminated).subspan(i, j - i))});
    i = j;
  }
  std::sort(out.areas.begin(), out.areas.end(), [](const AreaEntry& a, const AreaEntry& b) { return a.area < b.area; });

  say("converting grid references to WGS84");
  std::vector<LocationRecord*> great_britain, northern_ireland;
  auto collect = [&](LocationRecord& r) {
    if (r.flags & kHasCoordinates) (r.flags & kNorthernIreland ? northern_ireland : great_britain).push_back(&r);
  };
  for (auto* list : {&out.units, &out.sectors})
    for (LocationRecord& r : *list) collect(r);
  for (DistrictEntry& d : out.districts) collect(d.centroid);
  for (AreaEntry& a : out.areas) collect(a.centroid);
  CrsInfo crs = default_crs_info();
  summary.crs_method = crs.description;
  add_wgs84(great_britain, crs.method);
  add_wgs84(northern_ireland, CrsMethod::helmert);

  std::vector<CouncilEntry> councils;
  std::string strings;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    CouncilEntry entry{};
    const std::string& code = codes.code(static_cast<std::uint16_t>(i));
    std::copy_n(code.begin(), std::min(code.size(), sizeof entry.code - 1), entry.code);
    auto name = names.find(code);
    if (name == names.end()) ++summary.unnamed_councils;
    std::string text = name == names.end() ? std::string() : name->second;
    entry.name_offset = static_cast<std::uint32_t>(strings.size());
    entry.name_length = static_cast<std::uint32_t>(text.size());
    strings += text;
    councils.push_back(entry);
  }

  summary.units = out.units.size();
  summary.terminated = static_cast<std::uint64_t>(std::count(terminated.begin(), terminated.end(), 1));
  summary.without_grid = static_cast<std::uint64_t>(std::count_if(
      out.units.begin(), out.units.end(), [](const LocationRecord& r) { return !(r.flags & kHasCoordinates); }));
  summary.sectors = out.sectors.size();
  summary.districts = out.districts.size();
  summary.councils = councils.size();

  nlohmann::json meta;
  meta["format_version"] = kGazetteerVersion;
  std::time_t now = std::time(nullptr);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  meta["built"] = when;
  meta["crs"] = summary.crs_method;
  for (const SourceReport& r : reports) {
    meta["sources"].push_back({{"kind", r.kind},
                               {"path", r.path},
                               {"vintage", r.vintage},
                               {"rows", r.rows},
                               {"rejected_rows", r.rejected},
                               {"rows_without_grid", r.without_grid},
                               {"says_terminated", r.has_termination}});
  }
  for (const fs::path& p : options.council_lookups) meta["council_lookups"].push_back(p.string());
  for (const fs::path& p : options.council_names) meta["council_names"].push_back(p.string());
  meta["counts"] = {
      {"units", summary.units},      {"terminated", summary.terminated}, {"units_without_grid", summary.without_grid},
      {"sectors", summary.sectors},  {"districts", summary.districts},   {"areas", out.areas.size()},
      {"councils", summary.councils}};
  summary.metadata_json = meta.dump();

  say("writing " + options.output.string());
  std::string file(sizeof(FileHeader), '\0');
  FileHeader header{};
  std::copy_n(kGazetteerMagic, sizeof kGazetteerMagic, header.magic);
  header.version = kGazetteerVersion;
  header.endian_check = kEndianCheck;
  put_section(file, header, kDistrictKeys, out.district_keys.data(), out.district_keys.size());
  put_section(file, header, kDistricts, out.districts.data(), out.districts.size());
  put_section(file, header, kUnitWords, out.words.data(), out.words.size());
  put_section(file, header, kUnits, out.units.data(), out.units.size());
  put_section(file, header, kSectors, out.sectors.data(), out.sectors.size());
  put_section(file, header, kAreas, out.areas.data(), out.areas.size());
  put_section(file, header, kCouncils, councils.data(), councils.size());
  put_section(file, header, kStrings, strings.data(), strings.size());
  put_section(file, header, kMetadata, summary.metadata_json.data(), summary.metadata_json.size());
  header.file_size = file.size();
  const auto* bytes = reinterpret_cast<const std::byte*>(file.data());
  for (int s = 0; s < kSectionCount; ++s) {
    std::uint64_t end = s + 1 < kSectionCount ? header.sections[s + 1].offset : header.file_size;
    std::uint64_t begin = s == 0 ? sizeof(FileHeader) : header.sections[s].offset;  // padding after the header too
    header.section_crc32c[s] = crc32c({bytes + begin, end - begin});
  }
  header.header_crc32c = 0;
  header.header_crc32c = crc32c(std::as_bytes(std::span(&header, 1)));
  std::copy_n(reinterpret_cast<const char*>(&header), sizeof header, file.data());
  AtomicFile output(options.output);
  output.write(file);
  output.commit();
  return summary;
}

}  // namespace placedist::geo
