// The privacy attack (DESIGN.md "Results, errors, privacy"; issue 11): from every SHAREABLE output
// of one cohort -- the layers of `placedist analyse` (straight, and with --roads), the QGIS
// project and styles, report.md/json, and the service's answers about the loaded cohort (its
// analysis layers, its report, POST /v1/coverage {"la"} swept over 80 radii) -- plus open data
// (every unit of the run's gazetteer, the providers file, the road network), no child's home and
// no placement may be narrowed to fewer than k = 5 unit postcodes. placements.csv is restricted
// and never read here.
//
// The attacker: a synthetic cohort of 2,000 Buckinghamshire children (real Code-Point 2025
// postcodes, fixed seed). The restricted truth (the cohort file) is used only to score, and to
// drop hypotheses the truth falsifies (a real attacker would not know which hold; keeping only
// the true ones makes this attacker stronger than a real one, never weaker):
//  - points: a published Point (homes, placements) or line end (journeys) at P narrows to the
//    units whose own location, sector centroid or district centroid is P (GeoJSON: 6 decimals);
//  - text: any string property that parses as a unit, sector or district postcode; any unit
//    postcode anywhere in a shareable file or answer;
//  - numbers: every numeric property of a child's features, as "this is measured between the
//    home and the placement" (DfE miles on the grid, planar or geodesic metres and miles, each
//    end at its unit, sector centroid or district centroid), to the field's printed decimals;
//    single-ended, as the snap distance of the home or the placement onto the road network;
//  - coverage: each numeric of a child's coverage row at each radius, as the providers, places
//    or providers without places within that many DfE miles of its home (unit, sector or
//    district point), recomputed with analysis::providers_within over the same providers.
// Postcodes never reach this test's output: only counts.
//
// PLACEDIST_ATTACK_BINARY names the binary attacked (default: this build's placedist), e.g. an
// earlier build to show that its outputs fail the rule.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "geo/built_gazetteer.hpp"
#include "geo/data_dir.hpp"
#include "geo/distance.hpp"
#include "geo/gazetteer.hpp"
#include "geo/io/csv_reader.hpp"
#include "geo/roads/road_network.hpp"
#include "geo/roads/road_query.hpp"
#include "src/analysis/providers.hpp"
#include "src/analysis/synthetic_cohort.hpp"
#include "src/cli/run_placedist.hpp"
#include "src/serve/serve_fixture.hpp"

namespace placedist {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::size_t kK = 5;
constexpr const char* kCouncil = "E06000060";
constexpr int kSweepSteps = 80;  // POST /v1/coverage at 0.1, 0.2, ... 8.0 miles

std::string attacked_binary() {
  const char* env = std::getenv("PLACEDIST_ATTACK_BINARY");
  return env && *env ? std::string(env) : std::string(PLACEDIST_BINARY);
}

fs::path work_dir() {
  fs::path dir = fs::path(PLACEDIST_TEST_WORK) / ("disclosure_attack_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

testing::CliRun run(const std::string& arguments) {
  fs::path out = work_dir() / "run_out", err = work_dir() / "run_err";
  std::string command = attacked_binary() + " " + arguments + " >" + out.string() + " 2>" + err.string();
  int status = std::system(command.c_str());
  testing::CliRun result{WIFEXITED(status) ? WEXITSTATUS(status) : -1, testing::slurp(out), testing::slurp(err)};
  fs::remove(out);
  fs::remove(err);
  return result;
}

// ---- The open data the attacker holds: every unit of the gazetteer, with its areas. ----

using Set = std::vector<std::uint32_t>;  // unit indexes, sorted

struct Point {
  geo::GridRef grid;
  geo::LonLat pos;
  bool located = false;
};

enum Level { kUnit, kSector, kDistrict };

std::int64_t point_key(std::int64_t lon_e6, std::int64_t lat_e6) { return (lon_e6 << 32) ^ (lat_e6 & 0xffffffff); }

struct Units {
  std::vector<Point> unit;
  std::vector<std::uint32_t> sector_of, district_of;
  std::unordered_map<std::string, std::uint32_t> by_text, sector_id, district_id;
  std::vector<Set> sector_units, district_units;
  std::vector<Point> sector_point, district_point;
  // Units, sectors and districts by location rounded to 1e-6 degrees.
  std::unordered_map<std::int64_t, std::vector<std::uint32_t>> units_at, sectors_at, districts_at;

  static std::int64_t key_of(geo::LonLat p) { return point_key(std::llround(p.lon * 1e6), std::llround(p.lat * 1e6)); }

  explicit Units(const geo::Gazetteer& gazetteer) {
    gazetteer.for_each_unit([&](const geo::Postcode& pc, const geo::GeocodeResult& r) {
      auto index = static_cast<std::uint32_t>(unit.size());
      std::string text(pc.normalised());
      by_text.emplace(text, index);
      std::string sector = text.substr(0, text.size() - 2), district = text.substr(0, text.find(' '));
      auto s = sector_id.emplace(sector, static_cast<std::uint32_t>(sector_units.size()));
      if (s.second) sector_units.emplace_back();
      sector_units[s.first->second].push_back(index);
      auto d = district_id.emplace(district, static_cast<std::uint32_t>(district_units.size()));
      if (d.second) district_units.emplace_back();
      district_units[d.first->second].push_back(index);
      sector_of.push_back(s.first->second);
      district_of.push_back(d.first->second);
      unit.push_back({r.grid, r.position, r.located()});
      if (r.located()) units_at[key_of(r.position)].push_back(index);
    });
    auto centroids = [&](const std::unordered_map<std::string, std::uint32_t>& ids, std::vector<Point>& points,
                         std::unordered_map<std::int64_t, std::vector<std::uint32_t>>& at) {
      points.resize(ids.size());
      for (const auto& [text, id] : ids) {
        geo::GeocodeResult r = gazetteer.lookup(text);
        if (!r.located()) continue;
        points[id] = {r.grid, r.position, true};
        at[key_of(r.position)].push_back(id);
      }
    };
    centroids(sector_id, sector_point, sectors_at);
    centroids(district_id, district_point, districts_at);
  }

  const Point& point(std::uint32_t u, Level level) const {
    return level == kUnit ? unit[u] : level == kSector ? sector_point[sector_of[u]] : district_point[district_of[u]];
  }
  std::uint32_t point_id(std::uint32_t u, Level level) const {
    return level == kUnit ? u : level == kSector ? sector_of[u] : district_of[u];
  }

  // The units whose own location, sector centroid or district centroid is P (within 2e-6 degrees).
  Set at(double lon, double lat) const {
    Set out;
    std::int64_t x = std::llround(lon * 1e6), y = std::llround(lat * 1e6);
    auto near = [&](const Point& p) { return std::abs(p.pos.lon - lon) <= 2e-6 && std::abs(p.pos.lat - lat) <= 2e-6; };
    for (std::int64_t dx = -2; dx <= 2; ++dx)
      for (std::int64_t dy = -2; dy <= 2; ++dy) {
        std::int64_t key = point_key(x + dx, y + dy);
        if (auto it = units_at.find(key); it != units_at.end())
          for (std::uint32_t u : it->second)
            if (near(unit[u])) out.push_back(u);
        if (auto it = sectors_at.find(key); it != sectors_at.end())
          for (std::uint32_t s : it->second)
            if (near(sector_point[s])) out.insert(out.end(), sector_units[s].begin(), sector_units[s].end());
        if (auto it = districts_at.find(key); it != districts_at.end())
          for (std::uint32_t d : it->second)
            if (near(district_point[d])) out.insert(out.end(), district_units[d].begin(), district_units[d].end());
      }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  // The units a postcode text names (a unit, a sector or a district), empty for anything else.
  Set named(std::string_view text) const {
    geo::Postcode pc = geo::parse_postcode(text);
    if (!pc.ok()) return {};
    std::string n(pc.normalised());
    if (pc.level == geo::PostcodeLevel::unit) {
      if (auto it = by_text.find(n); it != by_text.end()) return {it->second};
    } else if (pc.level == geo::PostcodeLevel::sector) {
      if (auto it = sector_id.find(n); it != sector_id.end()) return sector_units[it->second];
    } else if (pc.level == geo::PostcodeLevel::district) {
      if (auto it = district_id.find(n); it != district_id.end()) return district_units[it->second];
    }
    return {};
  }
};

// ---- One child as the attacker sees it. ----

struct Candidates {
  bool known = false;  // false: nothing narrowed it yet (every unit of the gazetteer)
  Set set;
  std::size_t size(std::size_t universe) const { return known ? set.size() : universe; }
  bool contains(std::uint32_t u) const { return !known || std::binary_search(set.begin(), set.end(), u); }
  // Evidence: the true unit lies in `s`, else the hypothesis behind it is false and dropped.
  void narrow(const Set& s, std::uint32_t truth) {
    if (!std::binary_search(s.begin(), s.end(), truth)) return;
    if (!known) {
      set = s;
      known = true;
      return;
    }
    Set out;
    std::set_intersection(set.begin(), set.end(), s.begin(), s.end(), std::back_inserter(out));
    set = std::move(out);
  }
};

constexpr std::uint32_t kNone = UINT32_MAX;

struct Child {
  std::string id;
  std::uint32_t home = kNone, placement = kNone;  // the truth, for scoring only
  Candidates homes, placements;
  std::vector<const json*> features;                    // its features in every shareable layer
  std::vector<std::vector<const json*>> coverage_rows;  // its coverage row at each radius
};

// A numeric property and the decimals it is printed with (the most seen in that field).
struct Observation {
  std::string field;
  double value;
};

int decimals_of(double v) {
  for (int d = 0; d < 6; ++d) {
    double scaled = v * std::pow(10.0, d);
    if (std::abs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, std::abs(scaled))) return d;
  }
  return 6;
}

// ---- The metrics a published number might be. ----

enum Metric { kDfeMiles, kPlanarMetres, kPlanarMiles, kGeodesicMetres, kGeodesicMiles, kMetrics };

double measure(Metric metric, const Point& a, const Point& b) {
  switch (metric) {
    case kDfeMiles: return geo::dfe_miles_exact(a.grid, b.grid);
    case kPlanarMetres: return geo::planar_metres(a.grid, b.grid);
    case kPlanarMiles: return geo::planar_metres(a.grid, b.grid) / geo::kMetresPerMile;
    case kGeodesicMetres: return geo::geodesic_metres(a.pos, b.pos);
    default: return geo::geodesic_miles(a.pos, b.pos);
  }
}

// Planar metres of [lo, hi] in the metric's unit (geodesic and grid distances differ by the grid's
// scale factor, under 0.1% in Great Britain: a margin, then the exact metric decides).
std::pair<double, double> planar_window(Metric metric, double lo, double hi) {
  double factor = metric == kDfeMiles                                    ? geo::kMetresPerDfeMile
                  : (metric == kPlanarMiles || metric == kGeodesicMiles) ? geo::kMetresPerMile
                                                                         : 1.0;
  return {lo * factor * 0.998 - 5, hi * factor * 1.002 + 5};
}

struct Interval {
  double lo, hi;
  bool holds(double v) const { return v >= lo && v <= hi; }
};
Interval printed(double value, int decimals) {
  double half = 0.5 * std::pow(10.0, -decimals) + 1e-9 * std::max(1.0, std::abs(value));
  return {value - half, value + half};
}

// Keeps the members of `keep` for which some member of `other` gives a value in `want`, with
// `keep` at level `lk`, `other` at level `lo`; distinct points measured once. Returns false
// when the work would exceed the cap (nothing narrowed then).
bool narrow_pairwise(const Units& units, Candidates& keep, Level lk, const Candidates& other, Level lo, Metric metric,
                     Interval want, std::size_t* skipped) {
  auto distinct = [&](const Set& s, Level level) {
    std::vector<std::uint32_t> ids;
    std::unordered_set<std::uint32_t> seen;
    for (std::uint32_t u : s)
      if (seen.insert(units.point_id(u, level)).second) ids.push_back(u);
    return ids;
  };
  std::vector<std::uint32_t> mine = distinct(keep.set, lk), theirs = distinct(other.set, lo);
  if (mine.size() * theirs.size() > 4'000'000) {
    ++*skipped;
    return false;
  }
  auto [plo, phi] = planar_window(metric, want.lo, want.hi);
  std::unordered_set<std::uint32_t> ok_points;
  for (std::uint32_t a : mine) {
    const Point& pa = units.point(a, lk);
    if (!pa.located) {
      ok_points.insert(units.point_id(a, lk));  // cannot be measured: kept
      continue;
    }
    for (std::uint32_t b : theirs) {
      const Point& pb = units.point(b, lo);
      if (!pb.located) continue;
      double planar = geo::planar_metres(pa.grid, pb.grid);
      if (planar < plo || planar > phi) continue;
      if (want.holds(measure(metric, pa, pb))) {
        ok_points.insert(units.point_id(a, lk));
        break;
      }
    }
  }
  Set out;
  for (std::uint32_t u : keep.set)
    if (ok_points.count(units.point_id(u, lk))) out.push_back(u);
  keep.set = std::move(out);
  return true;
}

// ---- Percentiles, for the report. ----

struct Distribution {
  std::size_t n = 0, min = 0, p10 = 0, median = 0, under_k = 0, exactly_one = 0;
};
Distribution distribution(std::vector<std::size_t> counts) {
  Distribution d;
  if (counts.empty()) return d;
  std::sort(counts.begin(), counts.end());
  d.n = counts.size();
  d.min = counts.front();
  d.p10 = counts[counts.size() / 10];
  d.median = counts[counts.size() / 2];
  for (std::size_t c : counts) d.under_k += c < kK, d.exactly_one += c == 1;
  return d;
}
std::string describe(const char* what, const Distribution& d) {
  char line[300];
  std::snprintf(line, sizeof line,
                "%s candidates per child (%zu children): min %zu, p10 %zu, median %zu, under %zu: %zu (%.1f%%), "
                "exactly 1: %zu (%.1f%%)",
                what, d.n, d.min, d.p10, d.median, kK, d.under_k, d.n ? 100.0 * d.under_k / d.n : 0.0, d.exactly_one,
                d.n ? 100.0 * d.exactly_one / d.n : 0.0);
  return line;
}

// ---- The service, as a process of the attacked binary. ----

class ServeProcess {
 public:
  explicit ServeProcess(const std::vector<std::string>& args) {
    int fds[2];
    if (pipe(fds) != 0) return;
    std::string binary = attacked_binary();
    m_pid = fork();
    if (m_pid == 0) {
      dup2(fds[1], 2);
      close(fds[0]);
      std::vector<char*> argv{const_cast<char*>(binary.c_str())};
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
    close(fds[1]);
    m_err = fds[0];
    std::regex listening("listening on http://127\\.0\\.0\\.1:(\\d+)/");
    std::smatch match;
    char buffer[4096];
    while (!std::regex_search(m_text, match, listening)) {
      ssize_t n = read(m_err, buffer, sizeof buffer);
      if (n <= 0) break;
      m_text.append(buffer, static_cast<std::size_t>(n));
    }
    if (match.size() == 2) m_port = std::stoi(match[1]);
    // Keep draining its log so that it never blocks on a full pipe.
    m_drain = std::thread([fd = m_err] {
      char b[4096];
      while (read(fd, b, sizeof b) > 0) {}
    });
  }
  ~ServeProcess() {
    if (m_pid > 0) {
      kill(m_pid, SIGTERM);
      int status = 0;
      for (int i = 0; i < 1500 && waitpid(m_pid, &status, WNOHANG) != m_pid; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      if (kill(m_pid, 0) == 0) {
        kill(m_pid, SIGKILL);
        waitpid(m_pid, nullptr, 0);
      }
    }
    if (m_drain.joinable()) m_drain.join();
    if (m_err >= 0) close(m_err);
  }
  int port() const { return m_port; }
  std::size_t log_bytes() const { return m_text.size(); }

 private:
  pid_t m_pid = -1;
  int m_err = -1, m_port = 0;
  std::string m_text;
  std::thread m_drain;
};

// Every unit postcode written anywhere in a text (outward code, a space, digit and two letters).
void collect_unit_postcodes(const std::string& text, const Units& units, std::unordered_set<std::uint32_t>& found) {
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  for (std::size_t i = 2; i + 3 < text.size(); ++i) {
    if (text[i] != ' ' || !std::isdigit(static_cast<unsigned char>(text[i + 1])) || !upper(text[i + 2]) ||
        !upper(text[i + 3]) || (i + 4 < text.size() && alnum(text[i + 4])))
      continue;
    std::size_t j = i;
    while (j > 0 && i - j < 5 && alnum(text[j - 1])) --j;
    if (i - j < 2 || i - j > 4) continue;
    std::string candidate = text.substr(j, i - j + 4);
    if (auto it = units.by_text.find(candidate); it != units.by_text.end()) found.insert(it->second);
  }
}

// ---- The attack. ----

struct Sources {
  std::vector<json> documents;   // every GeoJSON layer and service answer, parsed
  std::vector<std::string> raw;  // every shareable text, as written
};

void add_feature_collection(const json& doc, std::unordered_map<std::string, Child*>& by_id) {
  if (!doc.is_object() || !doc.contains("features") || !doc["features"].is_array()) return;
  for (const json& f : doc["features"]) {
    if (!f.contains("properties") || !f["properties"].is_object()) continue;
    auto id = f["properties"].find("id");
    if (id == f["properties"].end() || !id->is_string()) continue;
    if (auto it = by_id.find(id->get<std::string>()); it != by_id.end()) it->second->features.push_back(&f);
  }
}

// The published ends of a feature: a Point, or the first and last vertex of a line.
std::vector<std::pair<double, double>> ends_of(const json& geometry) {
  std::vector<std::pair<double, double>> out;
  if (!geometry.is_object() || !geometry.contains("coordinates")) return out;
  const json& c = geometry["coordinates"];
  std::string type = geometry.value("type", "");
  auto pt = [&](const json& p) {
    if (p.is_array() && p.size() >= 2 && p[0].is_number()) out.emplace_back(p[0].get<double>(), p[1].get<double>());
  };
  if (type == "Point") pt(c);
  if (type == "MultiPoint")
    for (const json& p : c) pt(p);
  if (type == "LineString" && !c.empty()) pt(c.front()), pt(c.back());
  if (type == "MultiLineString")
    for (const json& line : c)
      if (!line.empty()) pt(line.front()), pt(line.back());
  return out;
}

const char* const kLevelNames[] = {"unit", "sector", "district"};
const char* const kMetricNames[] = {"dfe miles", "planar metres", "planar miles", "geodesic metres", "geodesic miles"};
const char* const kCountNames[] = {"providers", "places", "providers without places"};
std::string distance_key(const std::string& field, Level lh, Level lp, int metric) {
  return field + " = " + kMetricNames[metric] + " from home " + kLevelNames[lh] + " to placement " + kLevelNames[lp];
}
// A coverage count whose name says which it is is taken as that one only.
bool names_other_count(const std::string& field, int which) {
  int named = field == "providers_within"           ? 0
              : field == "places_within"            ? 1
              : field == "providers_without_places" ? 2
                                                    : -1;
  return named >= 0 && named != which;
}
std::string coverage_key(const std::string& field, Level level, int which) {
  return "coverage " + field + " = " + kCountNames[which] + " within miles of home " + kLevelNames[level];
}

struct AttackOutcome {
  Distribution homes, placements;
  std::size_t skipped_pairwise = 0;
  std::vector<std::string> hypotheses_used;  // field names whose hypotheses survived for some child
};

AttackOutcome attack(const Units& units, std::vector<Child>& children, const Sources& sources,
                     const analysis::ProviderSet& providers, geo::roads::RoadQuery* road) {
  AttackOutcome outcome;
  std::set<std::string> used;
  std::unordered_set<std::uint32_t> written;
  for (const std::string& text : sources.raw) collect_unit_postcodes(text, units, written);

  // Decimals per numeric field, over every feature.
  std::unordered_map<std::string, int> decimals;
  for (const Child& c : children)
    for (const json* f : c.features)
      for (const auto& [key, value] : (*f)["properties"].items())
        if (value.is_number()) decimals[key] = std::max(decimals[key], decimals_of(value.get<double>()));

  // Coverage counts per (level, point), cached: totals within k/10 DfE miles for k = 1..80.
  std::unordered_map<std::uint64_t, std::vector<analysis::ReachTotals>> profiles;
  auto profile = [&](std::uint32_t u, Level level) -> const std::vector<analysis::ReachTotals>* {
    const Point& p = units.point(u, level);
    if (!p.located) return nullptr;
    std::uint64_t key = (static_cast<std::uint64_t>(level) << 32) | units.point_id(u, level);
    auto it = profiles.find(key);
    if (it != profiles.end()) return &it->second;
    std::vector<analysis::Reach> reach = analysis::providers_within(providers, p.grid, kSweepSteps / 10.0);
    std::vector<analysis::ReachTotals> by_step(kSweepSteps + 1);
    std::size_t next = 0;  // reach is nearest first
    analysis::ReachTotals running;
    for (int k = 1; k <= kSweepSteps; ++k) {
      for (; next < reach.size() && reach[next].dfe_miles <= k / 10.0; ++next)
        analysis::count_provider(running, providers.providers[reach[next].provider]);
      by_step[k] = running;
    }
    return &profiles.emplace(key, std::move(by_step)).first->second;
  };
  auto count_of = [](const analysis::ReachTotals& t, int which) -> double {
    return which == 0   ? static_cast<double>(t.providers)
           : which == 1 ? static_cast<double>(t.places)
                        : static_cast<double>(t.providers_without_places);
  };

  std::unordered_map<std::uint32_t, double> snap_cache;
  auto snap_of = [&](std::uint32_t u) {
    if (auto it = snap_cache.find(u); it != snap_cache.end()) return it->second;
    double v = std::numeric_limits<double>::quiet_NaN();
    if (road && units.unit[u].located) {
      geo::roads::SnapResult s = road->snap(units.unit[u].pos);
      if (s.status == geo::roads::RoadStatus::ok) v = s.snap_m;
    }
    return snap_cache[u] = v;
  };

  auto observations = [](const Child& c) {
    std::vector<Observation> seen;
    for (const json* f : c.features)
      for (const auto& [key, value] : (*f)["properties"].items())
        if (value.is_number()) {
          Observation o{key, value.get<double>()};
          if (std::none_of(seen.begin(), seen.end(),
                           [&](const Observation& s) { return s.field == o.field && s.value == o.value; }))
            seen.push_back(o);
        }
    return seen;
  };

  // A hypothesis is a claim about how the publisher made a field, for every child ("dfe_miles is
  // measured between the unit home and the unit placement"). A false one leaves children without
  // their true home, so an attacker can only trust the models that hold for every child with the
  // field; those are applied. A number that only happens to agree with a unit for most children
  // (a count from the sector centroid equals the count from the unit wherever no provider lies
  // near the sector's edge) is coincidence: it says nothing the public centroid does not.
  std::map<std::string, std::pair<std::size_t, std::size_t>> tally;  // hypothesis: children with it, holding
  for (const Child& c : children) {
    std::set<std::string> present, holding;
    for (const Observation& o : observations(c)) {
      Interval want = printed(o.value, decimals[o.field]);
      if (road && c.home != kNone) {
        present.insert("snap home:" + o.field);
        if (want.holds(snap_of(c.home))) holding.insert("snap home:" + o.field);
      }
      if (road && c.placement != kNone) {
        present.insert("snap placement:" + o.field);
        if (want.holds(snap_of(c.placement))) holding.insert("snap placement:" + o.field);
      }
      if (c.home == kNone || c.placement == kNone) continue;
      for (Level lh : {kUnit, kSector, kDistrict})
        for (Level lp : {kUnit, kSector, kDistrict})
          for (int m = 0; m < kMetrics; ++m) {
            std::string key = distance_key(o.field, lh, lp, m);
            present.insert(key);
            const Point &th = units.point(c.home, lh), &tp = units.point(c.placement, lp);
            if (th.located && tp.located && want.holds(measure(static_cast<Metric>(m), th, tp))) holding.insert(key);
          }
    }
    if (c.home != kNone)
      for (Level level : {kUnit, kSector, kDistrict}) {
        const auto* truth = profile(c.home, level);
        for (int k = 1; k <= kSweepSteps; ++k)
          for (const json* row : c.coverage_rows[k])
            for (const auto& [key, value] : row->items())
              if (value.is_number())
                for (int which = 0; which < 3; ++which) {
                  if (names_other_count(key, which)) continue;
                  std::string h = coverage_key(key, level, which);
                  present.insert(h);
                  if (truth && count_of((*truth)[k], which) == value.get<double>()) holding.insert(h);
                }
      }
    for (const std::string& h : present) ++tally[h].first;
    for (const std::string& h : holding) ++tally[h].second;
  }
  auto plausible = [&](const std::string& h) {
    auto it = tally.find(h);
    return it != tally.end() && it->second.first > 0 && it->second.second == it->second.first;
  };

  // A model at a unit (or sector) that holds only because the same numbers are explained by
  // coarser, public points for every child is no evidence about the unit: skip it.
  auto coverage_explained = [&](const std::string& key, Level level, int which) {
    for (Level coarser : {kSector, kDistrict})
      if (coarser > level && plausible(coverage_key(key, coarser, which))) return true;
    return false;
  };
  auto distance_explained = [&](const std::string& field, Level lh, Level lp) {
    for (Level h : {kUnit, kSector, kDistrict})
      for (Level p : {kUnit, kSector, kDistrict})
        if (h >= lh && p >= lp && (h != lh || p != lp))
          for (int m = 0; m < kMetrics; ++m)
            if (plausible(distance_key(field, h, p, m))) return true;
    return false;
  };

  for (Child& c : children) {
    // Points and text.
    for (const json* f : c.features) {
      if (f->contains("geometry"))
        for (auto [lon, lat] : ends_of((*f)["geometry"])) {
          Set s = units.at(lon, lat);
          if (c.home != kNone) c.homes.narrow(s, c.home);
          if (c.placement != kNone) c.placements.narrow(s, c.placement);
        }
      for (const auto& [key, value] : (*f)["properties"].items()) {
        if (key == "id" || !value.is_string()) continue;
        Set s = units.named(value.get<std::string>());
        if (s.empty()) continue;
        if (c.home != kNone) c.homes.narrow(s, c.home);
        if (c.placement != kNone) c.placements.narrow(s, c.placement);
        used.insert("text:" + key);
      }
    }
    for (const auto& rows : c.coverage_rows)
      for (const json* row : rows)
        for (const auto& [key, value] : row->items()) {
          if (key == "id" || !value.is_string()) continue;
          Set s = units.named(value.get<std::string>());
          if (s.empty() || c.home == kNone) continue;
          c.homes.narrow(s, c.home);
          used.insert("coverage text:" + key);
        }
    if (c.home != kNone && written.count(c.home)) c.homes.narrow({c.home}, c.home), used.insert("unit postcode text");
    if (c.placement != kNone && written.count(c.placement))
      c.placements.narrow({c.placement}, c.placement), used.insert("unit postcode text");

    // Coverage sweep: counts within each radius, from the home (unit, sector or district point).
    auto sweep = [&] {
      if (c.home == kNone || !c.homes.known) return;
      for (Level level : {kUnit, kSector, kDistrict}) {
        const auto* truth = profile(c.home, level);
        if (!truth) continue;
        for (int which = 0; which < 3; ++which) {
          std::vector<const std::vector<analysis::ReachTotals>*> aligned;
          for (std::uint32_t u : c.homes.set) aligned.push_back(profile(u, level));
          for (int k = 1; k <= kSweepSteps; ++k)
            for (const json* row : c.coverage_rows[k])
              for (const auto& [key, value] : row->items()) {
                if (!value.is_number() || count_of((*truth)[k], which) != value.get<double>() ||
                    !plausible(coverage_key(key, level, which)) || coverage_explained(key, level, which))
                  continue;
                double v = value.get<double>();
                Set out;
                std::vector<const std::vector<analysis::ReachTotals>*> kept;
                for (std::size_t i = 0; i < c.homes.set.size(); ++i)
                  if (!aligned[i] || count_of((*aligned[i])[k], which) == v) {
                    out.push_back(c.homes.set[i]);
                    kept.push_back(aligned[i]);
                  }
                c.homes.set = std::move(out);
                aligned = std::move(kept);
                used.insert(coverage_key(key, level, which));
              }
        }
      }
    };

    // Numbers of the child's features.
    std::vector<Observation> seen = observations(c);
    auto numbers = [&](int rounds) {
      for (int round = 0; round < rounds; ++round)
        for (const Observation& o : seen) {
          Interval want = printed(o.value, decimals[o.field]);
          // Single-ended: the snap distance of either end onto the road network.
          if (road) {
            if (c.home != kNone && c.homes.known && plausible("snap home:" + o.field) && want.holds(snap_of(c.home))) {
              Set out;
              for (std::uint32_t u : c.homes.set)
                if (!units.unit[u].located || want.holds(snap_of(u))) out.push_back(u);
              c.homes.set = std::move(out);
              used.insert("snap:" + o.field);
            }
            if (c.placement != kNone && c.placements.known && plausible("snap placement:" + o.field) &&
                want.holds(snap_of(c.placement))) {
              Set out;
              for (std::uint32_t u : c.placements.set)
                if (!units.unit[u].located || want.holds(snap_of(u))) out.push_back(u);
              c.placements.set = std::move(out);
              used.insert("snap:" + o.field);
            }
          }
          // Between the home and the placement.
          if (c.home == kNone || c.placement == kNone || !c.homes.known || !c.placements.known) continue;
          for (Level lh : {kUnit, kSector, kDistrict})
            for (Level lp : {kUnit, kSector, kDistrict})
              for (int m = 0; m < kMetrics; ++m) {
                const Point &th = units.point(c.home, lh), &tp = units.point(c.placement, lp);
                if (!th.located || !tp.located || !plausible(distance_key(o.field, lh, lp, m)) ||
                    distance_explained(o.field, lh, lp) ||
                    !want.holds(measure(static_cast<Metric>(m), th, tp)))
                  continue;
                if (lh == kUnit || lp != kUnit)
                  narrow_pairwise(units, c.homes, lh, c.placements, lp, static_cast<Metric>(m), want,
                                  &outcome.skipped_pairwise);
                if (lp == kUnit || lh != kUnit)
                  narrow_pairwise(units, c.placements, lp, c.homes, lh, static_cast<Metric>(m), want,
                                  &outcome.skipped_pairwise);
                used.insert("distance:" + distance_key(o.field, lh, lp, m));
              }
        }
    };
    numbers(2);
    sweep();
    numbers(1);
  }

  std::vector<std::size_t> home_counts, placement_counts;
  for (const Child& c : children) {
    if (c.home != kNone) home_counts.push_back(c.homes.size(units.unit.size()));
    if (c.placement != kNone) placement_counts.push_back(c.placements.size(units.unit.size()));
  }
  outcome.homes = distribution(home_counts);
  outcome.placements = distribution(placement_counts);
  outcome.hypotheses_used.assign(used.begin(), used.end());
  return outcome;
}

// ---- The cohort and its outputs. ----

fs::path cohort_file() {
  fs::path out = work_dir() / "cohort_E06000060_2025.csv";
  analysis::CohortOptions options;
  options.codepoint = geo::data_file("postcodes/codepoint_open_2025_10/plain");
  options.council = kCouncil;
  options.children = 2000;
  options.year = 2025;
  options.seed = 20250331;
  options.far_council = "E10000015";
  options.ssda903 = false;
  analysis::write_cohort(options, out);
  return out;
}

std::vector<Child> read_truth(const fs::path& cohort, const Units& units) {
  std::vector<Child> children;
  geo::CsvReader in(cohort);
  in.next();  // id,home_postcode,placement_postcode,uasc
  auto unit_of = [&](std::string_view typed) {
    geo::Postcode pc = geo::parse_postcode(typed);
    if (!pc.ok() || pc.level != geo::PostcodeLevel::unit) return kNone;
    auto it = units.by_text.find(std::string(pc.normalised()));
    return it == units.by_text.end() ? kNone : it->second;
  };
  while (in.next()) {
    if (in.size() < 3) continue;
    Child c;
    c.id = std::string(in[0]);
    c.home = unit_of(in[1]);
    c.placement = unit_of(in[2]);
    children.push_back(std::move(c));
  }
  return children;
}

void read_folder(const fs::path& folder, Sources& sources) {
  for (const auto& entry : fs::directory_iterator(folder)) {
    std::string name = entry.path().filename().string();
    if (name == "placements.csv") continue;  // restricted: the council's own detail
    std::string text = testing::slurp(entry.path());
    if (entry.path().extension() == ".geojson" || entry.path().extension() == ".json") {
      json doc = json::parse(text, nullptr, false);
      if (!doc.is_discarded()) sources.documents.push_back(std::move(doc));
    }
    sources.raw.push_back(std::move(text));
  }
}

TEST(DisclosureAttack, EveryChildKeepsFiveCandidates) {
  auto started = std::chrono::steady_clock::now();
  fs::path gazetteer_path = testing::serve_gazetteer();
  geo::Gazetteer gazetteer = geo::Gazetteer::open(gazetteer_path);
  Units units(gazetteer);
  fs::path cohort = cohort_file();
  std::vector<Child> children = read_truth(cohort, units);
  ASSERT_GE(children.size(), 2000u);
  std::printf("attacked binary: %s\n",
              attacked_binary() == PLACEDIST_BINARY ? "this build" : "PLACEDIST_ATTACK_BINARY");
  std::printf("gazetteer: %zu units, %zu sectors, %zu districts; cohort: %zu children\n", units.unit.size(),
              units.sector_units.size(), units.district_units.size(), children.size());

  // The shareable outputs of `placedist analyse`: default options, and with roads.
  Sources sources;
  fs::path straight = work_dir() / "straight", roads_out = work_dir() / "roads";
  fs::path network = work_dir() / "bucks.pdr";
  testing::CliRun a = run("analyse " + cohort.string() + " --la " + kCouncil + " --gazetteer " +
                          gazetteer_path.string() + " --out " + straight.string());
  ASSERT_LE(a.exit_code, 1) << a.err.substr(0, 400);
  read_folder(straight, sources);
  testing::CliRun b = run("roads build --edges " +
                          geo::data_file("roads/bucks/osm2016_graphhopper_car/bucks_osm2016_car_edges.csv").string() +
                          " -o " + network.string());
  ASSERT_EQ(b.exit_code, 0) << b.err.substr(0, 400);
  testing::CliRun r =
      run("analyse " + cohort.string() + " --la " + kCouncil + " --gazetteer " + gazetteer_path.string() + " --roads " +
          network.string() + " --journeys both --out " + roads_out.string());
  ASSERT_LE(r.exit_code, 1) << r.err.substr(0, 400);
  read_folder(roads_out, sources);

  // The service's answers about the loaded cohort.
  fs::path providers_path = testing::serve_providers();
  std::vector<json> coverage(kSweepSteps + 1);
  {
    ServeProcess serve({"serve", "--gazetteer", gazetteer_path.string(), "--boundaries",
                        testing::serve_boundaries().string(), "--providers", providers_path.string(), "--cohort",
                        std::string(kCouncil) + "=" + cohort.string(), "--port", "0", "--threads", "2"});
    ASSERT_GT(serve.port(), 0) << "the service did not start (" << serve.log_bytes() << " bytes of log)";
    httplib::Client client("127.0.0.1", serve.port());
    client.set_read_timeout(120, 0);
    for (const char* layer : {"placements", "homes", "journeys", "journeys_road", "boundary", "councils",
                              "zone_20_miles", "zone_20_road_miles"}) {
      auto res = client.Get(std::string("/v1/layers/analysis/") + kCouncil + "/" + layer);
      ASSERT_TRUE(res);
      if (res->status != 200) continue;
      sources.raw.push_back(res->body);
      sources.documents.push_back(json::parse(res->body));
    }
    for (const char* path : {"/v1/cohorts", "/v1/cohorts/E06000060"}) {
      auto res = client.Get(path);
      if (res && res->status == 200) sources.raw.push_back(res->body);
    }
    for (int k = 1; k <= kSweepSteps; ++k) {
      json body = {{"la", kCouncil}, {"miles", k / 10.0}};
      auto res = client.Post("/v1/coverage", body.dump(), "application/json");
      ASSERT_TRUE(res);
      ASSERT_EQ(res->status, 200) << "coverage at " << k / 10.0 << " miles";
      sources.raw.push_back(res->body);
      coverage[k] = json::parse(res->body);
    }
  }

  std::unordered_map<std::string, Child*> by_id;
  for (Child& c : children) {
    by_id[c.id] = &c;
    c.coverage_rows.resize(kSweepSteps + 1);
  }
  for (const json& doc : sources.documents) add_feature_collection(doc, by_id);
  for (int k = 1; k <= kSweepSteps; ++k)
    if (coverage[k].contains("homes"))
      for (const json& row : coverage[k]["homes"])
        if (row.contains("id") && row["id"].is_string())
          if (auto it = by_id.find(row["id"].get<std::string>()); it != by_id.end())
            it->second->coverage_rows[k].push_back(&row);

  analysis::ProviderSet providers = analysis::load_providers(providers_path, gazetteer);
  fs::remove(providers_path);
  geo::roads::RoadQuery road(geo::roads::RoadNetwork::load(network));
  AttackOutcome outcome = attack(units, children, sources, providers, &road);

  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::string used;
  for (const std::string& h : outcome.hypotheses_used) used += (used.empty() ? "" : ", ") + h;
  std::printf("evidence that held for some child: %s\n", used.c_str());
  if (outcome.skipped_pairwise)
    std::printf("pairwise narrowings skipped over the work cap: %zu\n", outcome.skipped_pairwise);
  std::printf("%s\n%s\nattack took %.1f s\n", describe("home", outcome.homes).c_str(),
              describe("placement", outcome.placements).c_str(), seconds);
  std::fflush(stdout);
  EXPECT_GT(outcome.homes.n, 1500u);
  EXPECT_GT(outcome.placements.n, 1500u);
  EXPECT_GE(outcome.homes.min, kK) << describe("home", outcome.homes);
  EXPECT_GE(outcome.placements.min, kK) << describe("placement", outcome.placements);

  std::error_code ec;
  fs::remove_all(work_dir(), ec);
}

}  // namespace
}  // namespace placedist
